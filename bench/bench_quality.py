"""Time to quality: the CoLA and SQuAD pages' default fine-tunes on this machine, as the page runs them.

Targets on a 2-core CPU with the offline MiniLM: CoLA dev MCC >= 0.30 within 120 s, SQuAD F1 >= 50
within 480 s (the whole run: data, model, training and evaluations). BENCH_TASKS=cola runs one.
On a shared machine the seconds carry the other processes' load: say so when reporting them.
"""

from __future__ import annotations

import os

os.environ.setdefault("EXPLORER_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("EXPLORER_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))

from bench.harness import Measurement, sized  # noqa: E402
from explorer import device, registry  # noqa: E402
from explorer.training import data  # noqa: E402
from explorer.training.finetune import FinetuneConfig, run  # noqa: E402
from explorer.training.finetune.worker import threads  # noqa: E402

TARGETS = {"cola": ("mcc", 0.30, 120.0), "squad": ("f1", 50.0, 480.0)}


def measure(task: str) -> Measurement:
    where = device.pick_device()
    model_id = registry.family(registry.TASKS[task].default_family).hub_id
    tiny = sized({}, {"train_size": 8, "eval_size": 4, "batch_size": 8, "epochs": 1.0})
    config = FinetuneConfig.defaults(
        task, where, model_id=model_id, data_dir=str(data.default_dir(task)), **tiny
    )
    result = run(config)
    metric, score, seconds = TARGETS[task]
    met = result.final[metric] >= score and result.seconds <= seconds
    note = (
        f"{metric} {result.final[metric]:.3f} (target >= {score:g} within {seconds:g} s: "
        f"{'MET' if met else 'MISSED'}); training {result.train_seconds:.0f} s, evaluation "
        f"{result.eval_seconds:.0f} s, {result.samples_per_s:.1f} samples/s, {where}, {threads()} threads"
    )
    return Measurement(f"{task} page defaults, whole run", result.seconds, "s", note)


def main() -> list[Measurement]:
    import torch

    torch.set_num_threads(threads())
    tasks = os.environ.get("BENCH_TASKS", "cola,squad").split(",")
    return [measure(task) for task in tasks]
