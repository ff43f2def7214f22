"""The command line: the page's engine and defaults, headless, printing progress and the final metrics.

python -m explorer.training.finetune --task cola       # exactly what the CoLA page runs by default here
python -m explorer.training.finetune --task squad --model bert-base-uncased --data ../shared/data/squad
accelerate launch --num_processes 4 -m explorer.training.finetune --task cola   # data-parallel, same results
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

SETTINGS = ("train_size", "eval_size", "batch_size", "max_length", "stride", "seed", "threads")


def _parser(tasks: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m explorer.training.finetune",
        description="Fine-tune a copy of a model on a task; unset settings take the page's defaults for "
        "the task on this device (explorer/registry.py).",
        epilog="Under accelerate launch, --batch-size is the global batch and each process trains on its "
        "share of it; --threads is per process (default: this machine's cores shared by its processes).",
    )
    parser.add_argument("--task", default="cola", choices=tasks)
    parser.add_argument(
        "--model", default="", help="hub id or local folder (default: the family's checkpoint)"
    )
    parser.add_argument(
        "--data", default="", help="local data folder (default: $EXPLORER_DATA/<task> or the prefetch folder)"
    )
    parser.add_argument(
        "--hub-data", action="store_true", help="read the data set from the hub (the default online)"
    )
    for name in SETTINGS:
        parser.add_argument(f"--{name.replace('_', '-')}", type=int)
    parser.add_argument("--epochs", type=float)
    parser.add_argument("--learning-rate", type=float)
    parser.add_argument("--dropout", type=float, help="dropout of every layer while training")
    parser.add_argument("--head-lr-scale", type=float, help="the new head's learning rate / --learning-rate")
    parser.add_argument(
        "--freeze-embeddings",
        action=argparse.BooleanOptionalAction,
        help="leave the word embeddings untrained (default: as the page, on on a CPU)",
    )
    parser.add_argument("--output", default="", help="folder to save the fine-tuned model and tokenizer")
    return parser


def _allow_named_folders(*named: str | None) -> None:
    """The command line is the machine's own user: the folders it names are allowed to this process.

    A page's fields stay confined to the allowed roots (explorer/paths.py); the page's child process
    is explorer.training.finetune.worker, which does not come through here.
    """
    from explorer import paths

    folders = [str(Path(n).expanduser().resolve()) for n in named if n and paths.looks_like_path(n)]
    if folders:
        roots = [str(r) for r in paths.allowed_roots()]
        os.environ[paths.ENV] = os.pathsep.join([*roots, *folders])


def main(argv: list[str] | None = None) -> int:
    from explorer import hub

    online = hub.prepare()
    from explorer import device, limits, registry
    from explorer.training import data
    from explorer.training.finetune import ConfigError, FinetuneConfig, Progress, parallel, run

    parser = _parser(sorted(registry.TASKS))
    a = parser.parse_args(argv)
    _allow_named_folders(a.data, a.model)
    floats = ("epochs", "learning_rate", "dropout", "head_lr_scale")
    given = {k: getattr(a, k) for k in (*SETTINGS, *floats, "freeze_embeddings") if getattr(a, k) is not None}

    def show(p: Progress) -> None:
        what = f"loss {p.loss:.4f}" if p.loss is not None else f"eval {json.dumps(p.evaluation.metrics)}"
        print(
            f"step {p.step}/{p.total_steps} epoch {p.epoch:.2f} {what} {p.steps_per_s:.2f} steps/s",
            flush=True,
        )

    task = registry.TASKS[a.task]
    hub_data = a.hub_data or not task.local or (online and not a.data)  # as the page's data choice
    folder = a.data or ("" if hub_data else str(data.default_dir(a.task) or ""))
    try:
        config = FinetuneConfig.defaults(
            a.task,
            device.pick_device(),
            model_id=a.model or registry.family(task.default_family).hub_id,  # as the page's model field
            source="hub" if hub_data else "local",
            data_dir=folder,
            online=online,
            **given,
        )
        result = run(config, on_progress=show, allowed=limits.UNLIMITED)  # the machine's own user
    except (ConfigError, data.DataError) as err:
        parser.error(str(err))
    summary = {
        "task": config.task,
        "trained": f"{result.source.kind}: {result.source.name}",
        "metrics": result.final,
        "stopped_at_step": result.evaluations[-1].step,
        "precision": result.precision,
        "train_seconds": round(result.train_seconds, 1),
        "eval_seconds": round(result.eval_seconds, 1),
        "seconds": round(result.seconds, 1),
        "samples_per_s": round(result.samples_per_s, 1),
    }
    if parallel.is_main():  # under accelerate launch every process has the result: one writes it
        print(json.dumps(summary))
        if a.output:
            result.model.save_pretrained(a.output)
            result.tokenizer.save_pretrained(a.output)
    parallel.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
