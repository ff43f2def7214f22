"""BigBird's block-sparse attention: the pattern (global, window, random blocks) and the real model's map.

Two transformers 5 pitfalls are handled here, not on the page:
- On an input of (5 + 2 x random blocks) x block size tokens or fewer, BigBirdModel switches itself
  to full attention for good, and its attentions come back empty for every later input. We refuse
  such lengths before the call, and read through a copy set back to block-sparse if a call switched it.
- In eval mode the random blocks are not drawn: every random block points at block 0 (already
  global), so the map shows global + window only. Training mode draws them (seeded per layer);
  we switch only the sparse-attention modules to training mode, so no dropout changes the numbers,
  and only in a copy of the module tree that shares the weights, so no other session sees the switch.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from explorer import models
from explorer.capture import capture
from explorer.registry import REFERENCE_MODELS

PARTS = ("none", "global", "window", "random")  # label values 0..3 of Pattern.blocks
MAX_BLOCKS = 256  # a pattern side; beyond this the grid is too big to draw or to read
MODES = ("eval", "train")

# google/bigbird-roberta-base's architecture (weights are random when built here)
BIGBIRD_BASE = REFERENCE_MODELS["google/bigbird-roberta-base"].config

_MODEL_LOCK = threading.Lock()  # numpy's global RNG, which a training-mode reading seeds and puts back


class PatternError(ValueError):
    """A pattern setting that cannot work, said in words a learner can act on."""


@dataclass(frozen=True)
class Pattern:
    """Which key blocks each query block attends to, and why (global, window or random)."""

    blocks: np.ndarray  # (n, n) int8: index into PARTS
    block_size: int
    window: int  # blocks in the sliding window (odd)
    global_blocks: int  # global blocks at each end
    random_blocks: int  # random key blocks per (non-global) query block

    @property
    def length(self) -> int:
        return self.blocks.shape[0] * self.block_size

    @property
    def fraction(self) -> float:
        """Share of the full T x T matrix this pattern computes."""
        return float((self.blocks > 0).mean())

    def count(self, part: str) -> int:
        """Number of blocks labelled with one part."""
        return int((self.blocks == PARTS.index(part)).sum())


def check_pattern(length: int, block_size: int, window: int, global_blocks: int, random_blocks: int) -> int:
    """Refuse settings that cannot form a pattern; returns the number of blocks."""
    if block_size < 1 or length < 1:
        raise PatternError(f"length ({length}) and block size ({block_size}) must be at least 1")
    if length % block_size:
        near = max(block_size, round(length / block_size) * block_size)
        raise PatternError(f"length {length} is not a multiple of the block size {block_size}; try {near}")
    n = length // block_size
    if n > MAX_BLOCKS:
        raise PatternError(f"{n} blocks a side is too many to draw; use at most {MAX_BLOCKS}")
    if window < 1 or window % 2 == 0:
        raise PatternError(f"the window is {window} blocks; it must be odd (1, 3, 5, ...)")
    if global_blocks < 0 or 2 * global_blocks >= n:
        raise PatternError(f"{global_blocks} global blocks at each end leave no middle in {n} blocks")
    if random_blocks < 0:
        raise PatternError("the number of random blocks cannot be negative")
    return n


def build_pattern(
    length: int,
    block_size: int,
    window: int = 3,
    global_blocks: int = 1,
    random_blocks: int = 3,
    seed: int = 0,
) -> Pattern:
    """BigBird's pattern for `length` tokens: global rows/columns, a sliding window, random blocks.

    Random blocks are drawn (seeded) per query block among the blocks not already global or in its
    window; when fewer remain, all of them are taken.
    """
    n = check_pattern(length, block_size, window, global_blocks, random_blocks)
    rows, cols = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    blocks = np.zeros((n, n), dtype=np.int8)
    blocks[np.abs(rows - cols) <= window // 2] = PARTS.index("window")
    is_global = (np.arange(n) < global_blocks) | (np.arange(n) >= n - global_blocks)
    blocks[is_global, :] = PARTS.index("global")
    blocks[:, is_global] = PARTS.index("global")
    rng = np.random.default_rng(seed)
    for row in np.flatnonzero(~is_global):
        free = np.flatnonzero(blocks[row] == 0)
        chosen = rng.choice(free, size=min(random_blocks, len(free)), replace=False)
        blocks[row, chosen] = PARTS.index("random")
    return Pattern(blocks, block_size, window, global_blocks, random_blocks)


def min_sparse_length(config) -> int:
    """The shortest input (a multiple of the block size) BigBird runs block-sparse on."""
    return (6 + 2 * config.num_random_blocks) * config.block_size


def check_length(config, length: int) -> None:
    """Refuse a length the real model would not run block-sparse, or cannot hold."""
    block, lowest = config.block_size, min_sparse_length(config)
    if length % block:
        raise PatternError(f"length {length} is not a multiple of the model's block size {block}")
    if length < lowest:
        raise PatternError(
            f"at {length} tokens BigBird switches itself to full attention; block-sparse needs at least "
            f"{lowest} = (6 + 2 x {config.num_random_blocks} random blocks) x {block}"
        )
    if length > config.max_position_embeddings:
        raise PatternError(f"{length} tokens is over the model's limit of {config.max_position_embeddings}")


@dataclass(frozen=True)
class SparseMap:
    """One layer of the real model's block-sparse attention, read back at block level."""

    mode: str  # "eval" (random blocks not used) or "train" (random blocks drawn)
    layer: int
    block_size: int
    mass: np.ndarray  # (H, n, n) mean weight a query of the row block puts on the key block
    head_map: np.ndarray  # (T, T) float32 of one head (head 0), for the pooled heatmap
    row_sums: np.ndarray  # (H, T) each query's total weight as read back in T x T

    @property
    def nonzero(self) -> np.ndarray:
        """(H, n, n) blocks that received any weight."""
        return self.mass > 0

    def parts(self, head: int) -> np.ndarray:
        """(n, n) labels of one head's non-zero blocks: global and window by rule, the rest random."""
        n = self.mass.shape[-1]
        rule = build_pattern(n * self.block_size, self.block_size, 3, 1, 0).blocks
        return np.where(self.nonzero[head], np.where(rule > 0, rule, PARTS.index("random")), 0)


@torch.inference_mode()
def _own_modules(model: nn.Module) -> nn.Module:
    """A copy of the model's module tree that shares every weight and buffer with it (no new memory):
    its modes and attention type can be switched without another session's forward seeing it."""
    shared = {id(t): t for t in (*model.parameters(), *model.buffers())}
    return copy.deepcopy(model, shared)


def sparse_map(model, input_ids: torch.Tensor, layer: int, mode: str) -> SparseMap:
    """Run the real model once and read back one layer's block-sparse attention (batch item 0)."""
    config = model.config
    check_length(config, input_ids.shape[-1])
    if mode not in MODES:
        raise PatternError(f"mode must be one of {MODES}")
    reader = _own_modules(model)  # switched alone: other sessions' forwards keep the shared model's modes
    if reader.attention_type != "block_sparse":
        reader.set_attention_type("block_sparse")
    for module in reader.modules():
        if type(module).__name__ == "BigBirdBlockSparseAttention":
            module.train(mode == "train")
    watched = [reader.encoder.layer[layer].attention.self]
    with _MODEL_LOCK:  # training mode seeds numpy's global RNG to draw its blocks: put back after
        numpy_state = np.random.get_state()
        try:
            calls = capture(reader, watched, lambda m: m(input_ids=input_ids.to(m.device)))
        finally:
            np.random.set_state(numpy_state)
    probs = calls[0].output[1][0].detach().float().cpu()  # (H, T, T)
    heads, length, _ = probs.shape
    b = config.block_size
    mass = probs.view(heads, length // b, b, length // b, b).sum(-1).mean(2)
    return SparseMap(mode, layer, b, mass.numpy(), probs[0].numpy(), probs.sum(-1).numpy())


# --- cost: the same weights through block-sparse, eager full and SDPA full attention ------------------

LINES = ("block_sparse", "full_eager", "full_sdpa")


class SdpaSelfAttention(nn.Module):
    """Full attention through torch's scaled_dot_product_attention, on a layer's own q/k/v weights."""

    def __init__(self, full: nn.Module):
        super().__init__()
        self.query, self.key, self.value = full.query, full.key, full.value
        self.heads, self.size = full.num_attention_heads, full.attention_head_size

    def forward(self, hidden_states, attention_mask=None, **kwargs):
        batch, length, _ = hidden_states.shape
        split = lambda x: x.view(batch, length, self.heads, self.size).transpose(1, 2)  # noqa: E731
        out = nn.functional.scaled_dot_product_attention(
            split(self.query(hidden_states)),
            split(self.key(hidden_states)),
            split(self.value(hidden_states)),
            attn_mask=attention_mask,
        )
        return out.transpose(1, 2).reshape(batch, length, -1), None


def build_cost_model(device: str = "cpu", seed: int = 0, **overrides):
    """BigBirdModel with bigbird-roberta-base's architecture and random weights (cost only), in eval mode.

    Built fresh, never the page's cached model: switching its attention below mutates it.
    """
    from transformers import BigBirdConfig, BigBirdModel

    config = BigBirdConfig(**{**BIGBIRD_BASE, **overrides}, attn_implementation="eager")
    dtype = torch.float16 if device == "cuda" else torch.float32
    with models.exclusive(seed):
        model = BigBirdModel(config, add_pooling_layer=False)
    return model.to(device, dtype).eval()


def set_variant(model, line: str) -> None:
    """Switch a cost model to one line of LINES, keeping its weights."""
    if line not in LINES:
        raise ValueError(f"line must be one of {LINES}")
    model.set_attention_type("block_sparse")  # from any state, so the next switch rebuilds the modules
    if line == "block_sparse":
        return
    model.set_attention_type("original_full")
    if line == "full_sdpa":
        for layer in model.encoder.layer:
            layer.attention.self = SdpaSelfAttention(layer.attention.self)


def cost_call(model, line: str, length: int, batch: int = 1, seed: int = 0):
    """The call a sweep measures: one forward of a (batch, length) random-token input through `line`."""
    from explorer.mechanics.cost import NotMeasured, check_budget

    config = model.config
    if line != "block_sparse":  # full attention holds (batch, heads, T, T) scores and weights in fp32
        check_budget(2 * batch * config.num_attention_heads * length * length * 4)
    if length > config.max_position_embeddings:
        raise NotMeasured(f"over the model's limit of {config.max_position_embeddings} tokens")
    if line == "block_sparse" and length < min_sparse_length(config):
        raise NotMeasured(f"BigBird runs full attention below {min_sparse_length(config)} tokens")
    set_variant(model, line)
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(5, config.vocab_size, (batch, length), generator=generator).to(model.device)

    def call() -> None:
        with torch.inference_mode():
            model(input_ids=ids)

    return call


def fill_ids(ids: list[int], length: int) -> torch.Tensor:
    """(1, length) token ids: the text's ids, repeated until they fill `length` (cut if longer)."""
    if not ids:
        raise PatternError("the text has no tokens")
    repeats = -(-length // len(ids))
    return torch.tensor((ids * repeats)[:length]).unsqueeze(0)
