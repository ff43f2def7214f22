"""Reformer's third fix (figure 20c): the feed-forward layer run over chunks of positions.

A feed-forward block maps each position on its own, so running it over c tokens at a time gives the
same output while its wide (T, d_ff) activation exists only as (c, d_ff). We measure the peak of one
block on this device both ways with explorer.mechanics.cost (the sweeps' own measurement).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from explorer import device
from explorer.families.reformer.lsh import REFORMER_CRIME
from explorer.mechanics import cost

LINES = ("unchunked", "chunked")
HIDDEN = REFORMER_CRIME["hidden_size"]  # 256, crime-and-punishment's
FEED_FORWARD = REFORMER_CRIME["feed_forward_size"]  # 512, the config's d_ff


@dataclass(frozen=True)
class FeedForward:
    """One feed-forward block's weights: x -> relu(x W1 + b1) W2 + b2 (the config's activation)."""

    w1: torch.Tensor  # (d, d_ff)
    b1: torch.Tensor  # (d_ff,)
    w2: torch.Tensor  # (d_ff, d)
    b2: torch.Tensor  # (d,)

    @property
    def hidden(self) -> int:
        return self.w1.shape[0]


def build(
    hidden: int = HIDDEN, feed_forward: int = FEED_FORWARD, seed: int = 0, where: str = "cpu"
) -> FeedForward:
    """Random weights from the block's own generator (torch's global RNG is not touched)."""
    generator = torch.Generator().manual_seed(seed)
    w1 = torch.randn(hidden, feed_forward, generator=generator) / hidden**0.5  # unit-scale activations
    b1 = torch.randn(feed_forward, generator=generator) * 0.1
    w2 = torch.randn(feed_forward, hidden, generator=generator) / feed_forward**0.5
    b2 = torch.randn(hidden, generator=generator) * 0.1
    return FeedForward(w1.to(where), b1.to(where), w2.to(where), b2.to(where))


@torch.inference_mode()
def apply(block: FeedForward, x: torch.Tensor) -> torch.Tensor:
    """(T, d) -> (T, d) over all positions at once: the (T, d_ff) activation exists whole."""
    return torch.relu(x @ block.w1 + block.b1) @ block.w2 + block.b2


@torch.inference_mode()
def apply_chunked(block: FeedForward, x: torch.Tensor, chunk: int) -> torch.Tensor:
    """(T, d) -> (T, d) over `chunk` positions at a time: at most a (chunk, d_ff) activation at once."""
    if chunk < 1:
        raise ValueError("a chunk holds at least one token")
    out = torch.empty_like(x)
    for start in range(0, x.shape[0], chunk):
        part = x[start : start + chunk]
        out[start : start + chunk] = torch.relu(part @ block.w1 + block.b1) @ block.w2 + block.b2
    return out


def call(block: FeedForward, line: str, length: int, chunk: int, seed: int = 0) -> Callable[[], object]:
    """The measured call of one line at one length; its input is made here, before measuring."""
    if line not in LINES:
        raise ValueError(f"line must be one of {LINES}")
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(length, block.hidden, generator=generator).to(block.w1.device)  # (T, d)
    cost.check_budget(length * (2 * block.w1.shape[1] + 2 * block.hidden) * 4)  # fp32: two (T, d_ff)
    if line == "chunked":
        return lambda: apply_chunked(block, x, chunk)
    return lambda: apply(block, x)


def ff_memory(
    lengths: tuple[int, ...], chunk: int, on_progress: Callable[[float, str, int], None] | None = None
) -> cost.Sweep:
    """Peak memory and time of one feed-forward block, unchunked vs chunked, at each length (fp32)."""
    where = device.pick_device()
    block = build(where=where)
    label = f"{device.describe_device(where)}, fp32"
    return cost.sweep(
        LINES,
        lengths,
        lambda line, length: call(block, line, length, chunk),
        where,
        label,
        on_progress=on_progress,
    )
