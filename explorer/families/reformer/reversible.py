"""Reformer's memory: reversible residual layers, and LSH vs full attention in one training step.

A reversible layer computes Y1 = X1 + f(X2), Y2 = X2 + g(Y1), so its inputs follow from its outputs
(X2 = Y2 - g(Y1), X1 = Y1 - f(X2)) and the backward pass recomputes activations instead of keeping
them. We measure that against the same layers run with ordinary autograd, which keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from explorer import models, seeded
from explorer.families.reformer.lsh import REFORMER_CRIME

ATTENTIONS = ("lsh", "full_eager", "full_sdpa")
RESIDUALS = ("reversible", "ordinary")


def memory_config(length: int, layers: int = 2, **overrides):
    """crime-and-punishment's layer sizes (hidden 256, 2 heads x 64, chunks of 64), all-LSH, no dropout,
    with axial positions that multiply to `length` (training requires it)."""
    from transformers import ReformerConfig

    chunk = REFORMER_CRIME["lsh_attn_chunk_length"]
    if length % chunk or length < 2 * chunk:
        raise ValueError(f"{length} tokens: use a multiple of the chunk length {chunk}, at least {2 * chunk}")
    buckets = max(2, 1 << (2 * length // chunk).bit_length() - 1)  # about 2 T / chunk, a power of two
    kwargs = {
        **REFORMER_CRIME,
        "attn_layers": ["lsh"] * layers,
        "axial_pos_shape": [chunk, length // chunk],
        "max_position_embeddings": length,
        "num_buckets": buckets,
        "hidden_dropout_prob": 0.0,
        "lsh_attention_probs_dropout_prob": 0.0,
        "local_attention_probs_dropout_prob": 0.0,
        "attn_implementation": "eager",
        **overrides,
    }
    return ReformerConfig(**kwargs)


class FullAttention(nn.Module):
    """Causal full attention on an LSH layer's own shared query/key and value weights.

    "eager" builds the T x T weights as the chapter draws them; "sdpa" calls torch's
    scaled_dot_product_attention, whose kernels need not keep them.
    """

    def __init__(self, lsh: nn.Module, kind: str):
        super().__init__()
        self.query_key, self.value, self.kind = lsh.query_key, lsh.value, kind
        self.heads, self.size = lsh.num_attention_heads, lsh.attention_head_size

    def forward(self, hidden_states, attention_mask=None, buckets=None, **kwargs):
        from transformers.models.reformer.modeling_reformer import LSHSelfAttentionOutput

        batch, length, _ = hidden_states.shape
        split = lambda x: x.view(batch, length, self.heads, self.size).transpose(1, 2)  # noqa: E731
        query, value = split(self.query_key(hidden_states)), split(self.value(hidden_states))
        key = query * torch.rsqrt(query.pow(2).mean(-1, keepdim=True) + 1e-6)  # the model's key norm
        if self.kind == "sdpa":
            out = F.scaled_dot_product_attention(query, key, value, is_causal=True)
        else:
            scores = query @ key.transpose(-1, -2) / self.size**0.5
            future = torch.ones(length, length, dtype=torch.bool, device=scores.device).triu(1)
            out = scores.masked_fill(future, float("-inf")).softmax(-1) @ value
        merged = out.transpose(1, 2).reshape(batch, length, -1)
        return LSHSelfAttentionOutput(hidden_states=merged, attention_probs=(), buckets=None)


def build_memory_model(length: int, attention: str, layers: int = 2, device: str = "cpu", seed: int = 0):
    """A training-mode ReformerModel whose attention layers are LSH or full (eager or SDPA)."""
    from transformers import ReformerModel

    if attention not in ATTENTIONS:
        raise ValueError(f"attention must be one of {ATTENTIONS}")
    with models.exclusive(seed):
        model = ReformerModel(memory_config(length, layers))
    if attention != "lsh":
        for layer in model.encoder.layers:
            layer.attention.self_attention = FullAttention(layer.attention.self_attention, attention[5:])
    return model.to(device).train()


def ordinary_forward(model, input_ids: torch.Tensor) -> torch.Tensor:
    """The same layers and weights with ordinary residuals: autograd keeps every activation."""
    x1 = x2 = model.embeddings(input_ids=input_ids)
    for layer in model.encoder.layers:
        y1 = x1 + layer.attention(hidden_states=x2).hidden_states
        y2 = x2 + layer.feed_forward(y1)
        x1, x2 = y1, y2
    return model.encoder.layer_norm(torch.cat([x1, x2], dim=-1))


def train_step(model, input_ids: torch.Tensor, residual: str = "reversible") -> None:
    """One forward and backward pass (a sum as the loss); gradients are cleared afterwards."""
    if residual == "reversible":
        out = model(input_ids=input_ids).last_hidden_state
    else:
        out = ordinary_forward(model, input_ids)
    out.sum().backward()
    model.zero_grad(set_to_none=True)


@dataclass(frozen=True)
class Reconstruction:
    """How exactly one reversible layer's inputs follow from its outputs."""

    max_error_x1: float
    max_error_x2: float
    scale: float  # largest |input|, to read the errors against


@torch.no_grad()
def reconstruct(layer: nn.Module, x1: torch.Tensor, x2: torch.Tensor) -> Reconstruction:
    """Run a ReformerLayer forward, then recover its inputs from its outputs alone."""
    out = layer(prev_attn_output=x1, hidden_states=x2)
    y1, y2 = out.attn_output, out.hidden_states
    back_x2 = y2 - layer.feed_forward(y1)
    back_x1 = y1 - layer.attention(hidden_states=back_x2, buckets=out.buckets).hidden_states
    scale = float(torch.maximum(x1.abs().max(), x2.abs().max()))
    return Reconstruction(float((back_x1 - x1).abs().max()), float((back_x2 - x2).abs().max()), scale)


def reconstruction_check(length: int = 256, seed: int = 0) -> Reconstruction:
    """One reversible LSH layer of crime-and-punishment's sizes run on seeded random inputs, then undone."""
    model = build_memory_model(length, "lsh", layers=1, seed=seed).eval()
    generator = torch.Generator().manual_seed(seed)
    hidden = model.config.hidden_size
    x1, x2 = (torch.randn(1, length, hidden, generator=generator) for _ in range(2))
    with seeded.draws(generator):  # the LSH layer's hash rotations, off torch's global RNG
        return reconstruct(model.encoder.layers[0], x1, x2)


@dataclass(frozen=True)
class StackRebuild:
    """A stack of reversible layers undone from its top outputs alone, layer by layer down."""

    errors: tuple[float, ...]  # max |x - x_rebuilt| over X1 and X2 at each layer's input, top layer first
    scale: float  # largest |input| of the bottom layer


@torch.no_grad()
def rebuild_stack(layers: int = 6, length: int = 256, seed: int = 0) -> StackRebuild:
    """Run `layers` reversible LSH layers of crime-and-punishment's sizes on seeded inputs, keep only the
    top outputs, and rebuild every layer's inputs from them: errors add up on the way down."""
    from explorer.families.reformer.lsh_reading import own_rotations

    model = build_memory_model(length, "lsh", layers=layers, seed=seed).eval()
    generator = torch.Generator().manual_seed(seed)
    x1, x2 = (torch.randn(1, length, model.config.hidden_size, generator=generator) for _ in range(2))
    inputs, buckets = [], []
    with own_rotations(model, seed):  # the hashing's rotations from the seed, not torch's global RNG
        for layer in model.encoder.layers:
            inputs.append((x1, x2))
            out = layer(prev_attn_output=x1, hidden_states=x2)
            x1, x2, _ = out.attn_output, out.hidden_states, buckets.append(out.buckets)
    errors = []
    for layer, (true1, true2), hashed in reversed(
        list(zip(model.encoder.layers, inputs, buckets, strict=True))
    ):
        x2 = x2 - layer.feed_forward(x1)
        x1 = x1 - layer.attention(hidden_states=x2, buckets=hashed).hidden_states
        errors.append(float(torch.maximum((x1 - true1).abs().max(), (x2 - true2).abs().max())))
    scale = float(torch.maximum(inputs[0][0].abs().max(), inputs[0][1].abs().max()))
    return StackRebuild(tuple(errors), scale)
