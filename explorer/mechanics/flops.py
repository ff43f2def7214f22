"""FLOPs of one encoder layer, self-attention vs feed-forward, by sequence length, from a model's config.

Counts are matrix products only (2 FLOPs per multiply-add, one sequence, no batch): the softmax,
scaling, biases, GELU and LayerNorms add a few operations per number, far below the products.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from explorer.mechanics import cost

LENGTHS = (64, 128, 256, 512, 1024, 2048, 4096)  # tokens, the chart's x axis
TIMED = ("attention", "feed_forward")  # the two blocks of one layer that the measured check times


@dataclass(frozen=True)
class LayerShape:
    """What one layer's cost depends on: hidden size d, heads h and feed-forward size f."""

    hidden: int
    heads: int
    intermediate: int

    @classmethod
    def from_config(cls, config) -> LayerShape:
        return cls(config.hidden_size, config.num_attention_heads, config.intermediate_size)


@dataclass(frozen=True)
class LayerFlops:
    """FLOPs of one layer's parts at one length T (d hidden, f feed-forward)."""

    length: int
    qkv: int  # X @ W_q, W_k, W_v: 3 x 2Td^2
    scores: int  # Q K^T in every head: 2T^2d
    weighted: int  # softmax x V in every head: 2T^2d
    output: int  # concatenated heads @ W_o: 2Td^2
    feed_forward: int  # d -> f -> d: 4Tdf

    @property
    def quadratic(self) -> int:
        """The T^2 terms of attention (Q K^T and x V)."""
        return self.scores + self.weighted

    @property
    def attention(self) -> int:
        """The whole self-attention block: projections, Q K^T, x V, output projection."""
        return self.qkv + self.scores + self.weighted + self.output


def layer_flops(shape: LayerShape, length: int) -> LayerFlops:
    """Matrix-product FLOPs of one layer's parts on one sequence of `length` tokens."""
    t, d, f = length, shape.hidden, shape.intermediate
    head = d // shape.heads  # every head multiplies (T x d/h) by (d/h x T): h of them make 2T^2d
    return LayerFlops(
        length=t,
        qkv=3 * 2 * t * d * d,
        scores=shape.heads * 2 * t * t * head,
        weighted=shape.heads * 2 * t * t * head,
        output=2 * t * d * d,
        feed_forward=2 * 2 * t * d * f,
    )


def _coefficients(shape: LayerShape, part: str) -> tuple[float, float]:
    """(a, b) with part(T) = a T + b T^2, read off the counts at T = 1 and T = 2."""
    one = getattr(layer_flops(shape, 1), part)
    two = getattr(layer_flops(shape, 2), part)
    quadratic = (two - 2 * one) / 2
    return one - quadratic, quadratic


def _meets(shape: LayerShape, part: str) -> float:
    """The length T > 0 at which `part` equals the feed-forward's count (both are a T + b T^2)."""
    a, b = _coefficients(shape, part)
    a_ff, b_ff = _coefficients(shape, "feed_forward")
    if b == b_ff:
        return float("inf")
    return (a_ff - a) / (b - b_ff)


def quadratic_crossover(shape: LayerShape) -> float:
    """Tokens from which the T^2 terms alone (Q K^T, x V) cost more than the feed-forward."""
    return _meets(shape, "quadratic")


def attention_crossover(shape: LayerShape) -> float:
    """Tokens from which the whole self-attention block costs more than the feed-forward."""
    return _meets(shape, "attention")


@dataclass(frozen=True)
class FlopsTable:
    """Every length's counts for one layer shape, and the two crossovers."""

    shape: LayerShape
    rows: tuple[LayerFlops, ...]
    quadratic_crossover: float  # tokens
    attention_crossover: float  # tokens


def flops_table(shape: LayerShape, lengths: tuple[int, ...] = LENGTHS) -> FlopsTable:
    """The counts at every length, with where attention overtakes the feed-forward."""
    rows = tuple(layer_flops(shape, n) for n in lengths)
    return FlopsTable(shape, rows, quadratic_crossover(shape), attention_crossover(shape))


def block_call(layer: torch.nn.Module, part: str, hidden: torch.Tensor):
    """One forward of a BERT layer's attention block or feed-forward block on hidden (1, T, d)."""
    if part == "attention":
        return lambda: layer.attention(hidden)
    return lambda: layer.output(layer.intermediate(hidden), hidden)


def time_blocks(
    layer: torch.nn.Module, shape: LayerShape, lengths: tuple[int, ...], where: str, label: str, progress=None
) -> cost.Sweep:
    """Median forward time of one layer's attention block vs its feed-forward block at each length.

    The layer is only read (inference mode); its input is random from a generator of its own.
    """
    generator = torch.Generator().manual_seed(0)
    dtype = next(layer.parameters()).dtype

    def make(part: str, length: int):
        cost.check_budget(3 * 4 * shape.heads * length * length)  # scores, probs and a copy, float32
        hidden = torch.randn(1, length, shape.hidden, generator=generator).to(where, dtype)
        call = block_call(layer, part, hidden)

        def run() -> None:
            with torch.inference_mode():
                call()

        return run

    return cost.sweep(TIMED, lengths, make, where, label, repeat=3, memory=False, on_progress=progress)
