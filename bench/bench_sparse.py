"""BigBird block-sparse vs full attention, forward time, same random weights of bigbird-roberta-base.

Two of the 12 layers run (every layer costs the same, so ratios hold) to keep the run short on a
shared 2-core CPU; lengths 1,024, 2,048 and 4,096 in one run, the three lines alternating within
each length. The chapter says sparse wins at 4,096 (target: block-sparse / full eager <= 1).
"""

from __future__ import annotations

import statistics

from bench.harness import Comparison, sized
from explorer import device
from explorer.families.bigbird import sparse
from explorer.mechanics import cost

LENGTHS = sized((1024, 2048, 4096), (768,))  # 768: the shortest block-sparse length of the model
LAYERS = sized(2, 1)
ROUNDS = sized(2, 1)


def _medians(model, length: int, where: str) -> dict[str, float]:
    calls = {line: sparse.cost_call(model, line, length) for line in sparse.LINES}
    times: dict[str, list[float]] = {line: [] for line in sparse.LINES}
    for round_ in range(ROUNDS + 1):
        for line, call in calls.items():
            sparse.set_variant(model, line)
            seconds = cost.time_call(call, where, repeat=1, warmup=0)
            if round_:  # round 0 is the warm-up
                times[line].append(seconds)
    return {line: statistics.median(values) for line, values in times.items()}


def main() -> list[Comparison]:
    where = device.pick_device()
    model = sparse.build_cost_model(where, num_hidden_layers=LAYERS)
    print(f"  device: {device.describe_device(where)}, {LAYERS} of 12 layers, batch 1")
    results = []
    for length in LENGTHS:
        median = _medians(model, length, where)
        for baseline in ("full_eager", "full_sdpa"):
            target = 1.0 if length == 4096 and baseline == "full_eager" else None
            title = f"BigBird forward, {length} tokens"
            results.append(
                Comparison(title, "block_sparse", baseline, median["block_sparse"], median[baseline], target)
            )
    return results
