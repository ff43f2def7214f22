"""One fine-tuning engine for the pages and the command line, built on Hugging Face Trainer.

    python -m explorer.finetune --task cola --model bert-base-uncased --data ../shared/data/cola

Trainer brings mixed precision on GPU and several GPUs under `accelerate launch` or `torchrun`.
The model trained is always a copy: the cached model other pages and sessions share is never touched.
"""

from __future__ import annotations

import copy
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import torch

from explorer import data, device, models, registry, squad

LR_RANGE = (1e-7, 1e-2)  # beyond this a fine-tune diverges or does nothing
MAX_BATCH = 1024


class ConfigError(ValueError):
    """Settings that cannot give a meaningful fine-tune, with the reason."""


@dataclass(frozen=True)
class FinetuneConfig:
    task: str = "cola"
    model_id: str = ""  # hub id or local folder; "" = the family's checkpoint (offline: its fallback)
    family: str = "bert"
    source: str = "local"  # "local" files or the "hub"
    data_dir: str = ""  # local folder; "" = ../shared/data/<task>
    train_size: int = 2000
    eval_size: int = 527
    epochs: float = 1.0
    batch_size: int = 32
    learning_rate: float = 5e-5
    max_length: int = 64
    stride: int = 64  # SQuAD: tokens shared by consecutive windows of a long context
    seed: int = 0

    def validate(self) -> None:
        if self.task not in registry.TASKS:
            raise ConfigError(f"unknown task {self.task!r}; known: {', '.join(registry.TASKS)}")
        if not 1 <= self.batch_size <= MAX_BATCH:
            raise ConfigError(f"batch size {self.batch_size} must be between 1 and {MAX_BATCH}")
        if not LR_RANGE[0] <= self.learning_rate <= LR_RANGE[1]:
            raise ConfigError(
                f"learning rate {self.learning_rate:g} is outside {LR_RANGE[0]:g}..{LR_RANGE[1]:g}"
            )
        if self.train_size < 1 or self.eval_size < 1:
            raise ConfigError("the training and evaluation sets need at least one example each")
        if not 0 < self.epochs <= 50:
            raise ConfigError(f"epochs {self.epochs:g} must be above 0 and at most 50")
        if not 8 <= self.max_length <= 4096:
            raise ConfigError(f"max length {self.max_length} must be between 8 and 4096")
        if self.task == "squad" and not 0 <= self.stride < self.max_length // 2:
            raise ConfigError(f"the stride ({self.stride}) must be less than half the max length")


@dataclass(frozen=True)
class Progress:
    """One report from a running fine-tune."""

    step: int
    total_steps: int
    epoch: float
    loss: float | None
    steps_per_s: float
    eta_s: float
    evaluation: dict | None = None  # metrics, after an epoch's evaluation


@dataclass(frozen=True)
class FinetuneResult:
    config: FinetuneConfig
    model: object  # the trained copy, in eval mode
    tokenizer: object
    source: models.Source
    losses: tuple[tuple[int, float], ...]  # (step, training loss)
    evaluations: tuple[dict, ...]  # one per epoch: epoch, metrics
    final: dict  # the last evaluation's metrics
    details: dict = field(default_factory=dict)  # confusion matrix, dev predictions, spans
    stopped: bool = False
    seconds: float = 0.0
    samples_per_s: float = 0.0


class _Examples(torch.utils.data.Dataset):
    """Columns of equal length as a torch dataset of dicts (what Trainer consumes)."""

    def __init__(self, columns: dict[str, list]):
        self.columns = columns
        self.length = len(next(iter(columns.values())))

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int) -> dict:
        return {k: v[i] for k, v in self.columns.items()}


def _records(config: FinetuneConfig) -> tuple[list, list]:
    """Training (shuffled with the seed, then cut) and evaluation records, checked."""
    train = data.load(config.task, "train", config.source, config.data_dir or None)
    dev = data.load(config.task, "dev", config.source, config.data_dir or None)
    order = np.random.default_rng(config.seed).permutation(len(train))
    train = [train[i] for i in order[: config.train_size]]
    dev = dev[: config.eval_size]
    if not train or not dev:
        raise data.DataError("the training or the evaluation set is empty")
    labels = registry.TASKS[config.task].num_labels
    if config.task != "squad":
        bad = {r.label for r in train + dev} - set(range(labels))
        if bad:
            raise data.DataError(f"labels {sorted(bad)} found, but {config.task} has {labels} classes")
    return train, dev


def _check_head(model, task: registry.Task) -> None:
    kind = {"cls": "ForSequenceClassification", "qa": "ForQuestionAnswering"}[task.head]
    if not type(model).__name__.endswith(kind):
        raise ConfigError(f"{type(model).__name__} has no {kind.removeprefix('For')} head for {task.name}")


def _classification_columns(tokenizer, records: list, max_length: int) -> dict:
    pairs = [r.text_pair for r in records] if records[0].text_pair is not None else None
    enc = tokenizer([r.text for r in records], pairs, truncation=True, max_length=max_length)
    return {**{k: enc[k] for k in enc}, "labels": [r.label for r in records]}


def _model_inputs(features: dict) -> dict:
    keep = {"input_ids", "attention_mask", "token_type_ids", "labels", "start_positions", "end_positions"}
    return {k: v for k, v in features.items() if k in keep}


def _evaluate(model, tokenizer, config: FinetuneConfig, dev: list) -> tuple[dict, dict]:
    from explorer import predict

    task = registry.TASKS[config.task]
    if config.task == "squad":
        return predict.evaluate_qa(model, tokenizer, dev, config.max_length, config.stride)
    return predict.evaluate_classifier(model, tokenizer, dev, config.max_length, task.num_labels)


def _callback(config, tokenizer, dev, report, stop, state):
    """A Trainer callback: progress after each logged step, evaluation after each epoch, stop on request."""
    from transformers import TrainerCallback

    class Reporter(TrainerCallback):
        def on_step_end(self, args, train_state, control, **kwargs):
            if stop is not None and stop.is_set():
                control.should_training_stop = True
                state["stopped"] = True

        def on_log(self, args, train_state, control, logs=None, **kwargs):
            if logs and "loss" in logs:
                state["losses"].append((train_state.global_step, float(logs["loss"])))
                report(train_state, float(logs["loss"]), None)

        def on_epoch_end(self, args, train_state, control, model=None, **kwargs):
            if state["stopped"]:
                return
            began = time.perf_counter()
            scores, details = _evaluate(model, tokenizer, config, dev)
            state["eval_seconds"] += time.perf_counter() - began
            model.train()
            state["evaluations"].append({"epoch": round(train_state.epoch or 0, 2), **scores})
            state["details"] = details
            report(train_state, None, scores)

    return Reporter()


def _features(config: FinetuneConfig, tokenizer, train: list) -> _Examples:
    if config.task == "squad":
        features = squad.train_features(tokenizer, train, config.max_length, config.stride)
        return _Examples(_model_inputs(features))
    return _Examples(_classification_columns(tokenizer, train, config.max_length))


def run(
    config: FinetuneConfig,
    base: models.Loaded | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> FinetuneResult:
    """Fine-tune a copy of `base` (or of a freshly loaded model) and evaluate it after every epoch."""
    from transformers import (
        DataCollatorWithPadding,
        PrinterCallback,
        Trainer,
        TrainingArguments,
        default_data_collator,
    )

    config.validate()
    task = registry.TASKS[config.task]
    train, dev = _records(config)
    if config.batch_size > len(train):
        raise ConfigError(f"batch size {config.batch_size} is larger than the training set ({len(train)})")
    family = registry.family(config.family)
    where = device.pick_device()
    base = base or models.load(family, task.head, where, config.model_id or None)
    model = copy.deepcopy(base.model).to(where)
    _check_head(model, task)
    tokenizer = base.tokenizer
    dataset = _features(config, tokenizer, train)
    state = {"losses": [], "evaluations": [], "details": {}, "stopped": False, "eval_seconds": 0.0}
    started = time.perf_counter()
    steps = max(1, int(np.ceil(len(dataset) / config.batch_size) * config.epochs))

    def report(train_state, loss, evaluation) -> None:
        elapsed = time.perf_counter() - started
        rate = train_state.global_step / elapsed if elapsed else 0.0
        eta = (steps - train_state.global_step) / rate if rate else float("nan")
        if on_progress:
            on_progress(
                Progress(
                    train_state.global_step, steps, train_state.epoch or 0.0, loss, rate, eta, evaluation
                )
            )

    with tempfile.TemporaryDirectory(prefix="finetune-") as scratch:
        args = TrainingArguments(
            output_dir=scratch,
            per_device_train_batch_size=config.batch_size,
            num_train_epochs=config.epochs,
            learning_rate=config.learning_rate,
            warmup_steps=0.1,  # a float is a share of the steps: BERT's 10% warm-up
            seed=config.seed,
            data_seed=config.seed,
            logging_steps=max(1, steps // 100),
            save_strategy="no",
            eval_strategy="no",
            report_to=[],
            fp16=where == "cuda",
            use_cpu=where == "cpu",
            dataloader_num_workers=0,
            disable_tqdm=True,
        )
        collator = default_data_collator if config.task == "squad" else DataCollatorWithPadding(tokenizer)
        trainer = Trainer(
            model=model,
            args=args,
            train_dataset=dataset,
            data_collator=collator,
            callbacks=[_callback(config, tokenizer, dev, report, stop, state)],
        )
        trainer.remove_callback(PrinterCallback)  # progress goes to on_progress, not stdout
        training_began = time.perf_counter()
        trainer.train()
        training = time.perf_counter() - training_began - state["eval_seconds"]  # training alone
    seconds = time.perf_counter() - started
    if not state["evaluations"]:  # stopped before an epoch ended: evaluate what was learned so far
        scores, state["details"] = _evaluate(model, tokenizer, config, dev)
        state["evaluations"].append({"epoch": round(trainer.state.epoch or 0, 2), **scores})
    model.eval()
    return FinetuneResult(
        config=replace(config, model_id=config.model_id or family.hub_id),
        model=model,
        tokenizer=tokenizer,
        source=base.source,
        losses=tuple(state["losses"]),
        evaluations=tuple(state["evaluations"]),
        final={k: v for k, v in state["evaluations"][-1].items() if k != "epoch"},
        details=state["details"],
        stopped=state["stopped"],
        seconds=seconds,
        samples_per_s=min(trainer.state.global_step * config.batch_size, len(dataset) * config.epochs)
        / max(training, 1e-9),
    )


def main(argv: list[str] | None = None) -> int:
    """The command line: the same engine, headless, printing progress and the final metrics."""
    import argparse
    import json

    from explorer import hub

    hub.prepare()
    parser = argparse.ArgumentParser(prog="python -m explorer.finetune", description=__doc__.splitlines()[0])
    defaults = FinetuneConfig()
    parser.add_argument("--task", default=defaults.task, choices=sorted(registry.TASKS))
    parser.add_argument(
        "--model", default="", help="hub id or local folder (default: the family's checkpoint)"
    )
    parser.add_argument("--data", default="", help="local data folder (default: ../shared/data/<task>)")
    parser.add_argument("--hub-data", action="store_true", help="load the data set from the hub instead")
    for name in ("train_size", "eval_size", "batch_size", "max_length", "stride", "seed"):
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=getattr(defaults, name))
    parser.add_argument("--epochs", type=float, default=defaults.epochs)
    parser.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    parser.add_argument("--output", default="", help="folder to save the fine-tuned model and tokenizer")
    a = parser.parse_args(argv)
    config = FinetuneConfig(
        task=a.task,
        model_id=a.model,
        source="hub" if a.hub_data else "local",
        data_dir=a.data,
        train_size=a.train_size,
        eval_size=a.eval_size,
        epochs=a.epochs,
        batch_size=a.batch_size,
        learning_rate=a.learning_rate,
        max_length=a.max_length,
        stride=a.stride,
        seed=a.seed,
    )

    def show(p: Progress) -> None:
        what = f"loss {p.loss:.4f}" if p.loss is not None else f"eval {p.evaluation}"
        print(
            f"step {p.step}/{p.total_steps} epoch {p.epoch:.2f} {what} {p.steps_per_s:.2f} steps/s",
            flush=True,
        )

    try:
        result = run(config, on_progress=show)
    except (ConfigError, data.DataError) as err:
        parser.error(str(err))
    print(
        json.dumps(
            {
                "task": config.task,
                "source": result.source.kind,
                "metrics": result.final,
                "seconds": round(result.seconds, 1),
            }
        )
    )
    if a.output:
        result.model.save_pretrained(a.output)
        result.tokenizer.save_pretrained(a.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
