"""BigBird block-sparse vs full attention, forward time, same random weights of bigbird-roberta-base.

Two of the 12 layers run (every layer costs the same, so ratios hold) to keep the run short on a
shared 2-core CPU; lengths 1,024, 2,048 and 4,096 in one run. The chapter says sparse wins at 4,096.
"""

from __future__ import annotations

from bench.harness import Comparison, alternate
from explorer import cost, device, sparse

LENGTHS = (1024, 2048, 4096)
LAYERS = 2


def _timed(model, line: str, length: int, where: str):
    call = sparse.cost_call(model, line, length)

    def run() -> float:
        sparse.set_variant(model, line)
        return cost.time_call(call, where, repeat=1, warmup=0)

    return run


def main() -> list[Comparison]:
    where = device.pick_device()
    model = sparse.build_cost_model(where, num_hidden_layers=LAYERS)
    print(f"  device: {device.describe_device(where)}, {LAYERS} of 12 layers, batch 1")
    results = []
    for length in LENGTHS:
        for baseline in ("full_eager", "full_sdpa"):
            _timed(model, "block_sparse", length, where)()  # warm-up at this length
            cand, base = alternate(
                _timed(model, "block_sparse", length, where), _timed(model, baseline, length, where), 2
            )
            target = 1.0 if length == 4096 and baseline == "full_eager" else None
            title = f"BigBird forward, {length} tokens"
            results.append(Comparison(title, "block_sparse", baseline, cand, base, target))
    return results
