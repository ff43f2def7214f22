"""A BERT layer run at a few query positions only: what training MiniLM's top layer for the masked-LM
and NSP heads needs (the masked tokens and [CLS]), at a fraction of the full layer's cost."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def layer_at(
    layer, hidden: torch.Tensor, attention_mask: torch.Tensor, queries: torch.Tensor
) -> torch.Tensor:
    """The output of a transformers BertLayer at the positions `queries` (B, M) of each row.

    hidden (B, T, D) is the layer's input, attention_mask (B, T) is 1 on real tokens. Keys and values
    come from every position, as in the full layer, so the result equals the full layer's output at
    those positions; dropout follows the layer's train/eval mode. Returns (B, M, D).
    """
    attention = layer.attention.self
    batch, _, width = hidden.shape
    size = attention.attention_head_size
    chosen = hidden.gather(1, queries[..., None].expand(-1, -1, width))  # (B, M, D)

    def split(x: torch.Tensor) -> torch.Tensor:  # (B, S, D) -> (B, H, S, D / H)
        return x.view(batch, x.shape[1], -1, size).transpose(1, 2)

    bias = torch.zeros(attention_mask.shape, dtype=hidden.dtype, device=hidden.device)
    bias = bias.masked_fill(attention_mask == 0, torch.finfo(hidden.dtype).min)[:, None, None, :]
    context = F.scaled_dot_product_attention(
        split(attention.query(chosen)),
        split(attention.key(hidden)),
        split(attention.value(hidden)),
        attn_mask=bias,
        dropout_p=attention.dropout.p if layer.training else 0.0,
        scale=attention.scaling,
    )  # (B, H, M, D / H)
    mixed = layer.attention.output(context.transpose(1, 2).reshape(batch, -1, width), chosen)
    return layer.output(layer.intermediate(mixed), mixed)
