"""Time for the offline MiniLM to reach a stated dev MCC on CoLA on this machine (minutes on 2 cores).

It runs the CoLA page's default fine-tune and reports when each epoch's evaluation reached TARGET.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("EXPLORER_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.harness import Measurement  # noqa: E402
from explorer import finetune  # noqa: E402
from explorer.ui.finetune import DEFAULTS  # noqa: E402

TARGET = 0.1


def main() -> list[Measurement]:
    d = DEFAULTS["cola"]
    config = finetune.FinetuneConfig(
        task="cola",
        train_size=d["train_size"],
        eval_size=d["eval_size"],
        epochs=d["epochs"],
        batch_size=d["batch_size"],
        learning_rate=float(d["learning_rate"]),
        max_length=d["max_length"],
    )
    start, reached = time.perf_counter(), []

    def watch(progress: finetune.Progress) -> None:
        if progress.evaluation and progress.evaluation["mcc"] >= TARGET and not reached:
            reached.append((time.perf_counter() - start, progress.epoch, progress.evaluation["mcc"]))

    result = finetune.run(config, on_progress=watch)
    out = [
        Measurement(
            "CoLA fine-tune, page defaults", result.seconds, "s", f"final dev MCC {result.final['mcc']:.3f}"
        )
    ]
    if reached:
        seconds, epoch, mcc = reached[0]
        out.append(
            Measurement(f"time to dev MCC >= {TARGET}", seconds, "s", f"epoch {epoch:g}, MCC {mcc:.3f}")
        )
    else:
        out.append(Measurement(f"time to dev MCC >= {TARGET}", float("nan"), "s", "not reached"))
    return out
