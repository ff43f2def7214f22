"""Self-attention of one head computed step by step (Figure 21) from a real layer's weights, and checked
against the model's own attention probabilities and context layer for that head."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from explorer.capture import capture
from explorer.mechanics.attention import encode
from explorer.tokens.tokenize import display_piece

MAX_STEP_TOKENS = 48  # each step is a heatmap a side per token: longer inputs are cut to this


@dataclass(frozen=True)
class AttentionSteps:
    """Every step of one head on one input (T tokens, d hidden, d_h = d / heads), and the checks."""

    tokens: tuple[str, ...]
    layer: int
    head: int
    shape: tuple[int, int]  # (layers, heads) of the model
    x: np.ndarray  # (T, d) the layer's input
    q: np.ndarray  # (T, d_h) X W_q + b_q, this head's columns
    k: np.ndarray  # (T, d_h)
    v: np.ndarray  # (T, d_h)
    scores: np.ndarray  # (T, T) Q K^T / sqrt(d_h)
    mask: np.ndarray  # (T,) added to every row: 0 for a real token, a large negative for padding
    probs: np.ndarray  # (T, T) softmax(scores + mask) over keys
    context: np.ndarray  # (T, d_h) probs @ V
    all_context: np.ndarray  # (T, d) every head's probs @ V, concatenated
    probs_error: float  # max |probs - the model's own attention for this head|
    context_error: float  # max |context - the model's context layer, this head's columns|
    block_error: float  # max |all heads -> W_o -> + X -> LayerNorm - the model's attention-block output|
    total_tokens: int  # before cutting to MAX_STEP_TOKENS


def layers_of(model) -> torch.nn.ModuleList:
    """The encoder layers of a BERT-like model, with or without a task head around it."""
    return getattr(model, "bert", model).encoder.layer


def block_output(layer, all_context: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """The attention block's output from the concatenated heads: LayerNorm(context W_o + b_o + X)."""
    out = layer.attention.output
    return out.LayerNorm(out.dense(all_context.to(out.dense.weight.dtype)) + x.to(out.dense.weight.dtype))


def _check_range(what: str, value: int, count: int) -> None:
    if not 0 <= value < count:
        raise ValueError(f"{what} {value} is out of range 0-{count - 1}")


def _project(linear: torch.nn.Linear, x: torch.Tensor, heads: int) -> torch.Tensor:
    """x (T, d) through one projection, split per head: (heads, T, d_h)."""
    y = x @ linear.weight.float().T + linear.bias.float()
    return y.view(x.shape[0], heads, -1).transpose(0, 1)


def _run_model(model, batch: dict, layer: int) -> tuple[torch.Tensor, object, torch.Tensor]:
    """One forward with output_attentions; this layer's input X (T, d), its self-attention call and
    attention-block output (T, d), seen by capture's hooks (which see this thread only)."""
    block = layers_of(model)[layer].attention
    device = next(model.parameters()).device
    outputs = {}

    def forward(m) -> None:
        outputs["out"] = m(**{k: v.to(device) for k, v in batch.items()}, output_attentions=True)

    calls = capture(model, [block.self, block], forward)
    self_call = next(c for c in calls if c.module is block.self)
    block_call = next(c for c in calls if c.module is block)
    hidden = self_call.args[0] if self_call.args else self_call.kwargs["hidden_states"]
    return (
        hidden[0].float(),
        (self_call, outputs["out"].attentions[layer][0]),
        block_call.output[0][0].float(),
    )


@torch.inference_mode()
def attention_steps(
    model, tokenizer, text: str, pair: str | None, layer: int, head: int, max_tokens: int = MAX_STEP_TOKENS
) -> AttentionSteps:
    """Q, K, V, Q K^T / sqrt(d_h), mask, softmax and x V for one head of one layer, on the text (pair)."""
    config = model.config
    _check_range("layer", layer, config.num_hidden_layers)
    _check_range("head", head, config.num_attention_heads)
    encoded = encode(tokenizer, text, pair, max_tokens)
    batch = {k: v for k, v in encoded["batch"].items() if k != "special_tokens_mask"}
    x, (self_call, model_probs), model_block = _run_model(model, batch, layer)
    attn, heads = layers_of(model)[layer].attention.self, config.num_attention_heads
    q, k, v = (_project(p, x, heads) for p in (attn.query, attn.key, attn.value))  # (H, T, d_h)
    scores = q @ k.transpose(-1, -2) / q.shape[-1] ** 0.5  # (H, T, T)
    real = batch["attention_mask"][0].to(x.device) == 1
    mask = torch.where(real, 0.0, torch.finfo(torch.float32).min)  # (T,), as the model's own mask
    probs = torch.softmax(scores + mask, dim=-1)  # (H, T, T)
    context = probs @ v  # (H, T, d_h)
    all_context = context.transpose(0, 1).reshape(x.shape[0], -1)  # (T, d), heads side by side
    model_context = self_call.output[0][0].float().view(x.shape[0], heads, -1)[:, head]  # (T, d_h)
    block = block_output(layers_of(model)[layer], all_context, x).float()
    pieces = tokenizer.convert_ids_to_tokens(batch["input_ids"][0].tolist())
    return AttentionSteps(
        tokens=tuple(display_piece(tokenizer, p) for p in pieces),
        layer=layer,
        head=head,
        shape=(config.num_hidden_layers, heads),
        x=x.cpu().numpy(),
        q=q[head].cpu().numpy(),
        k=k[head].cpu().numpy(),
        v=v[head].cpu().numpy(),
        scores=scores[head].cpu().numpy(),
        mask=mask.cpu().numpy(),
        probs=probs[head].cpu().numpy(),
        context=context[head].cpu().numpy(),
        all_context=all_context.cpu().numpy(),
        probs_error=float((probs[head] - model_probs[head].float()).abs().max()),
        context_error=float((context[head] - model_context).abs().max()),
        block_error=float((block - model_block).abs().max()),
        total_tokens=encoded["total"],
    )
