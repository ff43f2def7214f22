"""DistilBERT (student) vs BERT-base (teacher) forward time, real configs, random weights, 128 tokens.

The paper says the student is about 60% faster (teacher time / student time about 1.6).
"""

from __future__ import annotations

from bench.harness import Comparison, alternate, sized
from explorer import device
from explorer.families.distilbert import speed
from explorer.mechanics import cost

LENGTH, BATCHES, RUNS = sized(128, 8), sized((1, 32), (1,)), sized(3, 1)


def main() -> list[Comparison]:
    where = device.pick_device()
    pair = speed.build_pair(where)
    print(f"  device: {device.describe_device(where)}")
    results = []
    for batch in BATCHES:
        calls = {name: speed.forward_call(model, batch, LENGTH, where) for name, model in pair.items()}
        for call in calls.values():
            call()  # warm-up
        cand, base = alternate(
            lambda calls=calls: cost.time_call(calls["student"], where, 1, 0),
            lambda calls=calls: cost.time_call(calls["teacher"], where, 1, 0),
            RUNS,
        )
        title = f"forward, batch {batch} x {LENGTH} tokens (paper: about 1/1.6 = 0.625x)"
        results.append(Comparison(title, "DistilBERT", "BERT-base", cand, base, None))
    return results
