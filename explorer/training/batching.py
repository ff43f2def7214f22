"""Batches of similar length, padded only to their own longest row.

CoLA sentences average 11 tokens; a random batch of 32 pads to about twice that, so half of a random
batch's compute is spent on padding. Grouping by length keeps the batches random but nearly pad-free.
"""

from __future__ import annotations

import numpy as np
import torch

GROUP = 64  # batches per group sorted by length: large enough to pack, small enough to stay random


def epoch_batches(lengths: list[int], batch_size: int, rng: np.random.Generator) -> list[list[int]]:
    """One epoch as batches of row indices: shuffle, sort within groups by length, shuffle the batches."""
    order = rng.permutation(len(lengths))
    group = batch_size * GROUP
    batches = []
    for start in range(0, len(order), group):
        chunk = sorted(order[start : start + group], key=lambda i: lengths[i], reverse=True)
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    return [[int(i) for i in batches[j]] for j in rng.permutation(len(batches))]


def plan(lengths: list[int], batch_size: int, epochs: float, seed: int) -> list[list[int]]:
    """Every step's batch for `epochs` epochs (a fraction ends early); each epoch is reshuffled."""
    rng = np.random.default_rng(seed)
    per_epoch = -(-len(lengths) // batch_size)
    steps = max(1, round(per_epoch * epochs))
    batches: list[list[int]] = []
    while len(batches) < steps:
        batches += epoch_batches(lengths, batch_size, rng)
    return batches[:steps]


def collate(rows: dict[str, list], index: list[int], pad_id: int, multiple: int = 1) -> dict:
    """Tensors for one batch: token columns padded to the longest row (rounded up to `multiple`)."""
    ids = [rows["input_ids"][i] for i in index]
    width = max(map(len, ids))
    width = -(-width // multiple) * multiple
    out = {}
    for name, values in rows.items():
        picked = [values[i] for i in index]
        if isinstance(picked[0], list):
            fill = pad_id if name == "input_ids" else 0
            tensor = torch.full((len(index), width), fill, dtype=torch.long)
            for row, value in enumerate(picked):
                tensor[row, : len(value)] = torch.tensor(value, dtype=torch.long)
            out[name] = tensor
        else:
            out[name] = torch.tensor(picked, dtype=torch.long)
    return out
