"""Reformer LSH vs full attention: peak memory of one training step (2 layers, hidden 256, fp32).

Full attention is run two ways on the same weights: eager (T x T weights kept, as the chapter draws
it) and torch's scaled_dot_product_attention. 4,096 tokens on a CPU; 8,192 where a GPU is present.
"""

from __future__ import annotations

import torch

from bench.harness import Comparison, sized
from explorer import device
from explorer.families.reformer import reversible
from explorer.mechanics import cost


def _peak(attention: str, length: int, where: str) -> float:
    model = reversible.build_memory_model(length, attention, device=where)
    tokens = torch.randint(0, model.config.vocab_size, (1, length)).to(where)
    reversible.train_step(model, tokens)  # warm-up: first-call allocations are not the method's
    return cost.peak_memory(lambda: reversible.train_step(model, tokens), where) / 1e6


def main() -> list[Comparison]:
    where = device.pick_device()
    length = sized(8192 if where == "cuda" else 4096, 128)
    print(f"  device: {device.describe_device(where)}, {length} tokens")
    peaks = {attention: _peak(attention, length, where) for attention in reversible.ATTENTIONS}
    title = f"Reformer training step peak memory, {length} tokens"
    return [
        Comparison(title, "lsh", "full_eager", peaks["lsh"], peaks["full_eager"], 1.0, unit="MB"),
        Comparison(title, "lsh", "full_sdpa", peaks["lsh"], peaks["full_sdpa"], None, unit="MB"),
    ]
