"""Time to quality: the CoLA and SQuAD pages' default fine-tunes on this machine, beside a plain Trainer.

The engine runs each page's CPU defaults with the offline MiniLM, as the page runs them; its seconds are
the whole run (data, model, training and the evaluations). Targets on this 2-core CPU: CoLA dev MCC >=
0.30 within 60 s, SQuAD dev F1 >= 60 within 240 s (#29). A plain Hugging Face Trainer then trains the
same model on the same records with the same epochs, batch, learning rate, warm-up and lengths, as its
docs show it (the model's own dropout, one learning rate for all, every weight trained, batches in
random order), scored on the same dev records after every tenth of its steps; its time to the engine's
score counts from the same start and leaves its evaluations out. Each contender runs in its own
process. BENCH_TASKS=cola runs one. On a shared machine the seconds carry the other processes' load.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

os.environ.setdefault("EXPLORER_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("EXPLORER_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))

from bench.harness import Comparison, Measurement, in_own_process, sized  # noqa: E402
from explorer import device, models, registry  # noqa: E402
from explorer.training import data  # noqa: E402
from explorer.training.finetune import FinetuneConfig, engine, run  # noqa: E402
from explorer.training.finetune.worker import threads  # noqa: E402

TARGETS = {"cola": ("mcc", 0.30, 60.0), "squad": ("f1", 60.0, 240.0)}
TINY = {"train_size": 8, "eval_size": 4, "batch_size": 8, "epochs": 1.0}
EVALUATIONS = sized(10, 2)  # the Trainer's dev scores over its run


def _config(task: str) -> FinetuneConfig:
    where = device.pick_device()
    return FinetuneConfig.defaults(
        task,
        where,
        model_id=registry.family(registry.TASKS[task].default_family).hub_id,
        data_dir=str(data.default_dir(task)),
        **sized({}, TINY),
    )


def _engine(task: str) -> dict:
    """The page's run: its whole time and its final score."""
    result = run(_config(task))
    metric = TARGETS[task][0]
    return {
        "seconds": result.seconds,
        "score": result.final[metric],
        "train_s": result.train_seconds,
        "eval_s": result.eval_seconds,
        "samples_per_s": result.samples_per_s,
        "precision": result.precision,
    }


def _trainer(task: str) -> dict:
    """A plain Trainer on the same records and schedule; its dev score after every tenth of its steps,
    each with the seconds since the start (data and model included) less the evaluations before it."""
    from transformers import DataCollatorWithPadding, Trainer, TrainerCallback, TrainingArguments

    began = time.perf_counter()
    config = _config(task)
    train, dev = engine.records(config)
    base = models.load(
        registry.family(config.family), registry.TASKS[task].head, device.pick_device(), config.model_id
    )
    features = engine.features(config, base.tokenizer, train)
    rows = [{k: v[i] for k, v in features.items()} for i in range(len(features["input_ids"]))]
    steps = max(1, round(-(-len(rows) // config.batch_size) * config.epochs))
    metric = TARGETS[task][0]
    scores: list[tuple[float, float]] = []  # (seconds, score)
    paused = [0.0]

    class Score(TrainerCallback):
        def on_step_end(self, args, state, control, model=None, **kwargs):
            if state.global_step % max(1, steps // EVALUATIONS) and state.global_step != steps:
                return
            tick = time.perf_counter()
            model.eval()
            report = engine.evaluate(model, base.tokenizer, config, dev)
            model.train()
            scores.append((tick - began - paused[0], report.metrics[metric]))
            paused[0] += time.perf_counter() - tick

    with tempfile.TemporaryDirectory() as scratch:
        args = TrainingArguments(
            output_dir=scratch,
            per_device_train_batch_size=config.batch_size,
            num_train_epochs=config.epochs,
            learning_rate=config.learning_rate,
            warmup_steps=0.1,
            seed=config.seed,
            save_strategy="no",
            report_to=[],
            use_cpu=device.pick_device() == "cpu",
            disable_tqdm=True,
            logging_strategy="no",
            dataloader_num_workers=0,
        )
        trainer = Trainer(
            model=base.model,
            args=args,
            train_dataset=rows,
            data_collator=DataCollatorWithPadding(base.tokenizer),
            callbacks=[Score()],
        )
        trainer.train()
    return {"seconds": time.perf_counter() - began - paused[0], "scores": scores}


def measure(task: str, mine: dict, plain: dict) -> list:
    """The engine's run against its target, and the Trainer's time to the same score."""
    metric, score, seconds = TARGETS[task]
    met = mine["score"] >= score and mine["seconds"] <= seconds
    out: list = [
        Measurement(
            f"{task} page defaults, whole run",
            mine["seconds"],
            "s",
            f"{metric} {mine['score']:.3f} (target >= {score:g} within {seconds:g} s: "
            f"{'MET' if met else 'MISSED'}); training {mine['train_s']:.0f} s, evaluation "
            f"{mine['eval_s']:.0f} s, {mine['samples_per_s']:.1f} samples/s, {mine['precision']}, "
            f"{threads()} threads",
        )
    ]
    curve = ", ".join(f"{s:.3g} at {t:.0f} s" for t, s in plain["scores"])
    reached = [t for t, s in plain["scores"] if s >= min(score, mine["score"])]
    what = f"{metric} {min(score, mine['score']):.3g}"
    if reached:
        title = f"{task}: time to {what}, the engine's whole run vs a plain Trainer on the same schedule"
        out.append(Comparison(title, "engine", "plain Trainer", mine["seconds"], reached[0]))
    out.append(
        Measurement(
            f"{task} plain Trainer, same schedule, whole run",
            plain["seconds"],
            "s",
            f"{'reached ' + what + f' at {reached[0]:.0f} s' if reached else 'never reached ' + what}; "
            f"dev {metric} along the run: {curve}",
        )
    )
    return out


def main() -> list:
    tasks = os.environ.get("BENCH_TASKS", "cola,squad")
    # one process a contender, its tasks one after the other: the engine as the command line runs it,
    # the Trainer as a user's script does; neither meets the other's process-wide state
    mine = in_own_process("bench.bench_quality", "engine", tasks)
    plain = in_own_process("bench.bench_quality", "trainer", tasks)
    return [line for task in tasks.split(",") for line in measure(task, mine[task], plain[task])]


if __name__ == "__main__":
    import torch

    torch.set_num_threads(threads())  # as the page's child process and the command line do
    contender = {"engine": _engine, "trainer": _trainer}[sys.argv[1]]
    print(json.dumps({task: contender(task) for task in sys.argv[2].split(",")}), flush=True)
