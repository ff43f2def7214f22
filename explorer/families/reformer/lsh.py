"""Reformer's LSH attention step by step, the real model's chunked attention as T x T, and reversible layers.

Angular LSH: rotate each shared query/key vector by a random matrix R, bucket = argmax over [xR; -xR];
sort tokens by bucket (stable: position breaks ties), cut the sorted order into chunks, and let each
query attend within its chunk and the chunk before (the first chunk's "before" is the last chunk,
as in the model). Several rounds use fresh rotations; a query attends to the union of its rounds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from explorer.capture import capture
from explorer.registry import REFERENCE_MODELS

MAX_BUCKETS = 1024
MAX_ROUNDS = 8
MAX_STEP_TOKENS = 1024  # step-by-step figures are T x T

# google/reformer-crime-and-punishment's architecture (weights random when built here)
REFORMER_CRIME = REFERENCE_MODELS["google/reformer-crime-and-punishment"].config


class HashError(ValueError):
    """A hashing setting that cannot work, in words a learner can act on."""


def check_hashing(length: int, n_buckets: int, chunk: int, rounds: int) -> None:
    """Refuse settings that cannot hash or would not fit a figure."""
    if n_buckets < 2 or n_buckets % 2:
        raise HashError(
            f"{n_buckets} bucket(s): angular LSH takes argmax over [xR; -xR], so buckets come in pairs "
            "(2, 4, 8, ...); one bucket would put every token together, which is full attention"
        )
    if n_buckets > MAX_BUCKETS:
        raise HashError(
            f"{n_buckets:,} buckets is more than {MAX_BUCKETS:,}: almost every token would sit alone"
        )
    if not 1 <= rounds <= MAX_ROUNDS:
        raise HashError(f"hash rounds must be between 1 and {MAX_ROUNDS}")
    if chunk < 1 or length % chunk:
        raise HashError(f"{length} tokens is not a multiple of the chunk length {chunk}")
    if length > MAX_STEP_TOKENS:
        raise HashError(f"{length} tokens is over {MAX_STEP_TOKENS} for the step-by-step figures")


@dataclass(frozen=True)
class LshSteps:
    """Every step of angular LSH on one head's vectors, for each hash round."""

    buckets: np.ndarray  # (R, T) bucket of each token in each round
    order: np.ndarray  # (R, T) token positions sorted by (bucket, position)
    allowed: np.ndarray  # (R, T, T) bool: query may attend key in that round
    chunk: int

    @property
    def union(self) -> np.ndarray:
        """(T, T) bool: positions a query attends to in any round."""
        return self.allowed.any(0)


def sorted_order(buckets: torch.Tensor) -> torch.Tensor:
    """(..., T) positions sorted by bucket, ties by position (a stable sort, as the model's)."""
    return torch.sort(buckets, dim=-1, stable=True).indices


def _chunk_index(order: torch.Tensor, chunk: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Round, query and key positions of every (query, key) pair the chunks allow, as the model pairs them.

    order is (R, T); rounds are chunked one after another, so a round's first chunk looks back at the
    previous round's last chunk (and round 0's at the last round's), exactly as ReformerModel does.
    """
    rounds, length = order.shape
    chunks = order.reshape(-1, chunk)  # (R*C, chunk)
    keys = torch.cat([chunks.roll(1, dims=0), chunks], dim=1)  # previous chunk first, as the model
    round_of = (torch.arange(chunks.shape[0]) // (length // chunk)).view(-1, 1, 1)
    shape = (chunks.shape[0], chunk, keys.shape[1])
    return (
        round_of.expand(shape).reshape(-1),
        chunks.unsqueeze(-1).expand(shape).reshape(-1),
        keys.unsqueeze(1).expand(shape).reshape(-1),
    )


def chunk_allowed(order: torch.Tensor, chunk: int, causal: bool) -> torch.Tensor:
    """(R, T, T) bool: in each round, each query sees its sorted chunk and the one before it."""
    rounds, length = order.shape
    allowed = torch.zeros(rounds, length, length, dtype=torch.bool)
    allowed[_chunk_index(order, chunk)] = True
    if causal:
        allowed &= torch.ones(length, length, dtype=torch.bool).tril()
    return allowed


def hash_steps(
    vectors: torch.Tensor, n_buckets: int, rounds: int, chunk: int, causal: bool = True, seed: int = 0
) -> LshSteps:
    """Angular LSH of (T, d) vectors: rotate, bucket, sort, chunk; one fresh rotation per round."""
    length, dim = vectors.shape
    check_hashing(length, n_buckets, chunk, rounds)
    generator = torch.Generator().manual_seed(seed)
    rotations = torch.randn(rounds, dim, n_buckets // 2, generator=generator)
    rotated = torch.einsum("td,rdb->rtb", vectors.float().cpu(), rotations)
    buckets = torch.cat([rotated, -rotated], dim=-1).argmax(-1)  # (R, T)
    order = sorted_order(buckets)
    return LshSteps(buckets.numpy(), order.numpy(), chunk_allowed(order, chunk, causal).numpy(), chunk)


@dataclass(frozen=True)
class LshReading:
    """One LSH layer of the real model on one input: its vectors, buckets, and attention as T x T."""

    layer: int
    query_key: np.ndarray  # (H, T, d) shared query/key vectors
    buckets: np.ndarray  # (H, R, T) buckets per round, round offsets removed
    maps: np.ndarray  # (H, R, T, T) each round's attention reassembled in token order
    allowed: np.ndarray  # (H, R, T, T) bool: where each round's chunks let a query look
    chunk: int
    n_buckets: int


def reassemble(probs: torch.Tensor, order: torch.Tensor, chunk: int) -> torch.Tensor:
    """The model's chunked weights (R*C, chunk, 2 chunk) of one head back into (R, T, T) token order."""
    rounds, length = order.shape
    out = torch.zeros(rounds, length, length, dtype=probs.dtype)
    return out.index_put_(_chunk_index(order, chunk), probs.reshape(-1), accumulate=True)


def lsh_layers(model) -> list[int]:
    """Indices of the model's LSH attention layers."""
    return [i for i, kind in enumerate(model.config.attn_layers) if kind == "lsh"]


@torch.inference_mode()
def read_lsh(model, input_ids: torch.Tensor, layer: int) -> LshReading:
    """Run the real ReformerModel once; read one LSH layer's vectors, buckets and chunked weights."""
    attention = model.encoder.layers[layer].attention.self_attention
    length, chunk = input_ids.shape[-1], attention.chunk_length
    if length % chunk or length <= chunk:
        raise HashError(f"{length} tokens: LSH needs a multiple of the chunk length {chunk}, above one chunk")
    ids = input_ids[:1].to(model.device)
    call = capture(model, [attention], lambda m: m(input_ids=ids, output_attentions=True))[0]
    out, heads, size = call.output, attention.num_attention_heads, attention.attention_head_size
    qk = attention.query_key(call.kwargs["hidden_states"])[0].view(length, heads, size).transpose(0, 1)
    qk = qk.float().cpu()  # (H, T, d)
    buckets = out.buckets[0].cpu()  # (H, R, T) with round offsets
    rounds = buckets.shape[1]
    order = sorted_order(buckets.reshape(heads, -1)) % length  # (H, R*T)
    probs = out.attention_probs[0].float().cpu().view(heads, -1, chunk, 2 * chunk)
    order = order.view(heads, rounds, length)
    maps = torch.stack([reassemble(probs[h], order[h], chunk) for h in range(heads)])
    causal = model.config.is_decoder
    allowed = torch.stack([chunk_allowed(order[h], chunk, causal) for h in range(heads)])
    n_buckets = int(np.prod(attention.num_buckets))
    offsets = torch.arange(rounds).view(1, -1, 1) * n_buckets
    return LshReading(
        layer, qk.numpy(), (buckets - offsets).numpy(), maps.numpy(), allowed.numpy(), chunk, n_buckets
    )
