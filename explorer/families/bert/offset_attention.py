"""Start some attention heads of a BERT layer looking a fixed number of tokens away (i-1, i+1, ...).

A masked word is best guessed from its neighbours, but MiniLM's upper layers have to learn to find
them: a head that is fitted first to look at position i + offset (its query and key rows only, a
supervised fit on the layer's real inputs) gives the masked-LM training that attention to start
from. How well the layer's input tells positions apart bounds the fit (train_heads' docstring)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def offset_loss(scores: torch.Tensor, mask: torch.Tensor, offset: int) -> tuple[torch.Tensor, float]:
    """Cross-entropy of each real row of scores (B, T, T) against its target column i + offset, and
    the share of rows whose largest score is at the target; rows whose target falls outside are left out."""
    batch, width, _ = scores.shape
    scores = scores.masked_fill(mask[:, None, :] == 0, torch.finfo(scores.dtype).min)
    target = torch.arange(width)[None].expand(batch, width) + offset
    valid = (target >= 0) & (target < mask.sum(1, keepdim=True)) & (mask == 1)
    hits = (scores[valid].argmax(-1) == target[valid]).float().mean().item()
    return F.cross_entropy(scores[valid], target[valid]), hits


def fit_offset(layer, head: int, offset: int, inputs: list, steps: int = 100, lr: float = 3e-3) -> float:
    """Fit `head` of a transformers BertLayer so each position attends to position + offset.

    inputs: (hidden (B, T, D), mask (B, T)) pairs, the layer's real inputs. Only the head's query and
    key rows change (its values and everything else keep their weights). Returns the last batch's share
    of positions whose strongest key is the target."""
    attention = layer.attention.self
    size = attention.attention_head_size
    rows = slice(head * size, (head + 1) * size)
    linears = (attention.query, attention.key)
    weights = [
        p[rows].detach().clone().requires_grad_(True) for lin in linears for p in (lin.weight, lin.bias)
    ]
    optimizer = torch.optim.Adam(weights, lr=lr)
    hits = 0.0
    for step in range(steps):
        hidden, mask = inputs[step % len(inputs)]
        hidden = hidden.float()
        query, key = hidden @ weights[0].T + weights[1], hidden @ weights[2].T + weights[3]  # (B, T, d)
        loss, hits = offset_loss(query @ key.transpose(1, 2) * attention.scaling, mask, offset)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        for lin, (weight, bias) in zip(linears, (weights[:2], weights[2:]), strict=True):
            lin.weight[rows] = weight
            lin.bias[rows] = bias
    return hits
