"""The measured-cost sweeps the pages offer, each a function of its settings that returns a cost.Sweep.

The pages only ask, show progress and draw; what runs, on which device and with which inputs, is here.
Inputs are random tokens from a torch.Generator of the sweep's own (torch's global RNG is not touched).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from explorer import device
from explorer.families.bigbird import sparse
from explorer.families.distilbert import speed
from explorer.families.reformer import reversible
from explorer.mechanics import cost

Progress = Callable[[float, str, int], None]  # (fraction done, line, length) after each point


def device_label(where: str, half_on_cuda: bool = True) -> str:
    """The device in words, with the precision a sweep runs in (fp16 on CUDA unless it says not)."""
    half = half_on_cuda and where == "cuda"
    return f"{device.describe_device(where)}, {'fp16' if half else 'fp32'}"


def _random_ids(vocab: int, shape: tuple[int, ...], where: str, seed: int) -> torch.Tensor:
    return torch.randint(0, vocab, shape, generator=torch.Generator().manual_seed(seed)).to(where)


def reformer_memory(
    axis: str, values: tuple[int, ...], on_progress: Progress | None = None, length: int = 1024, seed: int = 0
) -> cost.Sweep:
    """One training step's peak memory and time on Reformer layers (crime-and-punishment's sizes).

    axis "tokens": LSH vs full eager vs full SDPA attention at each length in `values`, 2 layers.
    axis "layers": reversible vs ordinary residuals at each depth in `values`, LSH, `length` tokens.
    """
    if axis not in ("tokens", "layers"):
        raise ValueError('axis must be "tokens" or "layers"')
    where = device.pick_device()

    def make(line: str, value: int) -> Callable[[], None]:
        if axis == "tokens":
            attention, layers, tokens, residual = line, 2, value, "reversible"
        else:
            attention, layers, tokens, residual = "lsh", value, length, line
        model = reversible.build_memory_model(tokens, attention, layers=layers, device=where, seed=seed)
        ids = _random_ids(model.config.vocab_size, (1, tokens), where, seed)
        return lambda: reversible.train_step(model, ids, residual)

    lines = reversible.ATTENTIONS if axis == "tokens" else reversible.RESIDUALS
    label = device_label(where, half_on_cuda=False)
    # In training mode each reversible layer reseeds torch's global RNG on every forward (transformers
    # keeps dropout identical for the recomputation in backward): give the process its state back.
    with torch.random.fork_rng(devices=[torch.cuda.current_device()] if where == "cuda" else []):
        return cost.sweep(lines, values, make, where, label, on_progress=on_progress)


def bigbird_latency(
    lengths: tuple[int, ...], layers: int, batch: int, on_progress: Progress | None = None
) -> cost.Sweep:
    """Forward time and peak memory of block-sparse vs full (eager, SDPA) attention, same weights."""
    where = device.pick_device()
    model = sparse.build_cost_model(where, num_hidden_layers=layers)
    return cost.sweep(
        sparse.LINES,
        lengths,
        lambda line, length: sparse.cost_call(model, line, length, batch),
        where,
        device_label(where),
        batch=batch,
        on_progress=on_progress,
    )


def distil_latency(
    batches: tuple[int, ...], lengths: tuple[int, ...], on_progress: Progress | None = None
) -> cost.Sweep:
    """Forward time of teacher BERT-base and student DistilBERT at every batch and length."""
    where = device.pick_device()
    pair = speed.build_pair(where)
    label = device_label(where)
    points: list[cost.Point] = []
    skipped: list[tuple[str, int, str]] = []
    for number, batch in enumerate(batches):

        def step(done: float, line: str, length: int, number: int = number) -> None:
            if on_progress:
                on_progress((number + done) / len(batches), line, length)

        try:
            part = cost.sweep(
                speed.LINES,
                lengths,
                lambda line, length, batch=batch: speed.forward_call(pair[line], batch, length, where),
                where,
                label,
                batch=batch,
                repeat=3,
                memory=False,
                on_progress=step,
            )
        except cost.Stopped as stop:  # the earlier batches' points come out with this one's so far
            part = stop.partial or cost.Sweep(label, ())
            whole = cost.Sweep(label, (*points, *part.points), (*skipped, *part.skipped))
            raise cost.Stopped(whole, stop.limit) from None
        points += part.points
        skipped += part.skipped
    return cost.Sweep(label, tuple(points), tuple(skipped))
