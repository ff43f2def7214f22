"""The fine-tuning loop: a copy of the model, length-grouped batches, AdamW with a 10% warm-up and
its own learning rate for the new head, bfloat16 where the hardware has it; one process, or several
data-parallel ones under `accelerate launch` (parallel.py).

A plain PyTorch loop rather than Trainer: it stops at any step and evaluates the model it returns,
and it pads each batch only to its own longest row. The model trained is always a copy: the cached
model other pages and sessions share is never touched.
"""

from __future__ import annotations

import copy
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from explorer import device, limits, models, registry
from explorer.training import batching, data, predict, squad
from explorer.training.finetune import parallel
from explorer.training.finetune.config import ConfigError, FinetuneConfig
from explorer.training.finetune.levers import Levers, autocast, build_optimizer, precision, training_copy


@dataclass(frozen=True)
class Evaluation:
    """Dev-set metrics of the model at one step."""

    step: int
    epoch: float
    metrics: dict[str, float]


@dataclass(frozen=True)
class Progress:
    """One report from a running fine-tune."""

    step: int
    total_steps: int
    epoch: float
    loss: float | None  # mean training loss since the previous report
    steps_per_s: float  # training steps per second of training time
    eta_s: float
    evaluation: Evaluation | None = None


@dataclass(frozen=True)
class FinetuneResult:
    config: FinetuneConfig
    model: object  # the trained copy, in eval mode
    tokenizer: object
    source: models.Source  # the model actually trained (e.g. the packaged MiniLM, not the hub id asked for)
    losses: tuple[tuple[int, float], ...]  # (step, mean training loss)
    evaluations: tuple[Evaluation, ...]  # after each epoch, and at the stop
    report: predict.ClassifierReport | predict.QAReport  # the returned model's evaluation, in full
    stopped: bool = False
    train_seconds: float = 0.0  # the training steps alone
    eval_seconds: float = 0.0  # every dev-set evaluation
    seconds: float = 0.0  # everything: data, model copy, training, evaluations
    samples_per_s: float = 0.0  # training examples (SQuAD: windows) per second of training time
    device: str = ""  # what trained it, in words (device.describe_device), for the timings' caption
    limit: str = ""  # "steps" or "seconds": the server's limit that ended it early (explorer/limits.py)
    limit_value: float = 0.0  # that limit's value
    precision: str = ""  # "bfloat16" (autocast) or "float32": what the training steps computed in

    @property
    def final(self) -> dict[str, float]:
        return self.report.metrics


def records(config: FinetuneConfig) -> tuple[list, list]:
    """Training records (shuffled with the seed, then cut) and dev records (spread over articles)."""
    train = data.load(config.task, "train", config.source, config.data_dir or None)
    dev = data.load(config.task, "dev", config.source, config.data_dir or None)
    order = np.random.default_rng(config.seed).permutation(len(train))
    train = [train[i] for i in order[: config.train_size]]
    dev = data.spread(dev, config.eval_size)
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


def features(config: FinetuneConfig, tokenizer, train: list) -> dict[str, list]:
    """Unpadded model inputs with labels, one row per example (SQuAD: per window)."""
    keep = {"input_ids", "attention_mask", "token_type_ids", "labels", "start_positions", "end_positions"}
    if config.task == "squad":
        enc = squad.train_features(tokenizer, train, config.max_length, config.stride, pad=False)
        return {k: v for k, v in enc.items() if k in keep}
    pairs = [r.text_pair for r in train] if train[0].text_pair is not None else None
    enc = tokenizer([r.text for r in train], pairs, truncation=True, max_length=config.max_length)
    return {**{k: enc[k] for k in enc if k in keep}, "labels": [r.label for r in train]}


def evaluate(model, tokenizer, config: FinetuneConfig, dev: list):
    """The dev-set report of `model` as it is now (ClassifierReport or QAReport)."""
    if config.task == "squad":
        return predict.evaluate_qa(model, tokenizer, dev, config.max_length, config.stride)
    return predict.evaluate_classifier(
        model, tokenizer, dev, config.max_length, registry.TASKS[config.task].num_labels
    )


def _random_plan(n: int, batch_size: int, epochs: float, seed: int) -> list[list[int]]:
    rng = np.random.default_rng(seed)
    steps = max(1, round(-(-n // batch_size) * epochs))
    batches: list[list[int]] = []
    while len(batches) < steps:
        order = rng.permutation(n).tolist()
        batches += [order[i : i + batch_size] for i in range(0, n, batch_size)]
    return batches[:steps]


def _prepare(config: FinetuneConfig, base: models.Loaded | None, levers: Levers, acc, allowed: limits.Limits):
    """Records, the base model, a training copy and its own tokenizer, and the unpadded features."""
    config.validate(allowed)
    task = registry.TASKS[config.task]
    with acc.main_process_first():  # under a launch, one process downloads; the others read its cache
        train, dev = records(config)
        if config.batch_size > len(train):
            raise ConfigError(
                f"batch size {config.batch_size} is larger than the training set ({len(train)})"
            )
        base = base or models.load(
            registry.family(config.family), task.head, str(acc.device), config.model_id or None, config.online
        )
    if acc.device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    _check_head(base.model, task)
    model = training_copy(base.model, acc.device, levers, config.dropout, config.freeze_embeddings)
    tokenizer = copy.deepcopy(base.tokenizer)  # fast tokenizers hold state: never share one across runs
    return base, model, tokenizer, dev, features(config, tokenizer, train)


class _Loop:
    """The state of one fine-tune: its plan of batches, optimizer, clocks, losses and evaluations."""

    def __init__(self, config, model, tokenizer, rows, dev, levers, on_progress, acc, allowed, began):
        self.config, self.tokenizer, self.rows, self.dev = config, tokenizer, rows, dev
        self.allowed, self.began = allowed, began  # a run's seconds count from its start: data included
        self.levers, self.acc, self.plain = levers, acc, model
        self.where = next(model.parameters()).device.type
        n, size = len(rows["input_ids"]), config.batch_size
        lengths = [len(ids) for ids in rows["input_ids"]]
        self.plan = (
            batching.plan(lengths, size, config.epochs, config.seed)
            if levers.group_by_length
            else _random_plan(n, size, config.epochs, config.seed)
        )
        self.total, self.per_epoch = len(self.plan), -(-n // size)
        self.optimizer, self.schedule = build_optimizer(model, config, levers, self.total)
        self.model = acc.prepare_model(model)  # several processes: DDP, which averages the gradients
        self.on_progress, self.every = on_progress, max(1, self.total // 100)
        self.step = self.samples = 0
        self.train_s = self.eval_s = 0.0  # kept apart so that speed counts training alone
        self.pending: list[float] = []
        self.losses: list[tuple[int, float]] = []
        self.evaluations: list[Evaluation] = []
        self.report = None

    def tell(self, loss: float | None, evaluation: Evaluation | None) -> None:
        rate = self.step / self.train_s if self.train_s else 0.0
        end = min(self.total, self.allowed.run_steps)  # where it will stop, for the queue's wait
        left = self.allowed.run_seconds - (time.perf_counter() - self.began)
        eta = min((end - self.step) / rate, max(0.0, left)) if rate else float("nan")
        if self.on_progress:
            epoch = self.step / self.per_epoch
            self.on_progress(Progress(self.step, self.total, epoch, loss, rate, eta, evaluation))

    def train_step(self, index: list[int]) -> None:
        tick = time.perf_counter()
        mine, weight = parallel.share(index, self.acc.process_index, self.acc.num_processes)
        batch = batching.collate(
            self.rows, mine, self.tokenizer.pad_token_id or 0, 8 if self.where == "cuda" else 1
        )
        with autocast(self.where, self.levers):
            loss = self.model(**{k: v.to(self.acc.device) for k, v in batch.items()}).loss * weight
        self.acc.backward(loss)
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        self.schedule.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.step, self.samples = self.step + 1, self.samples + len(index)
        self.pending.append(parallel.mean(self.acc, loss.detach()))
        self.train_s += time.perf_counter() - tick
        if self.step % self.every == 0 or self.step == self.total:
            self.losses.append((self.step, sum(self.pending) / len(self.pending)))
            self.pending.clear()
            self.tell(self.losses[-1][1], None)

    def end(self, stop: threading.Event | None) -> str:
        """Why the run ends after this step: "stop" (asked), the server's limit reached ("steps",
        "seconds"), or "" (it goes on, or its plan is done). Every process gets the same answer."""
        if self.step >= self.total:
            return ""
        if stop is not None and parallel.any_process(self.acc, stop.is_set()):
            return "stop"
        if self.step >= self.allowed.run_steps:
            return "steps"
        seconds = self.allowed.run_seconds
        late = time.perf_counter() - self.began >= seconds
        return "seconds" if math.isfinite(seconds) and parallel.any_process(self.acc, late) else ""

    def evaluate(self) -> None:
        tick = time.perf_counter()
        self.report = parallel.evaluate(self.acc, self.plain, self.tokenizer, self.config, self.dev)
        self.model.train()
        self.eval_s += time.perf_counter() - tick
        self.evaluations.append(
            Evaluation(self.step, round(self.step / self.per_epoch, 2), self.report.metrics)
        )
        self.tell(None, self.evaluations[-1])


def run(
    config: FinetuneConfig,
    base: models.Loaded | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    levers: Levers = Levers(),  # noqa: B008 - frozen
    allowed: limits.Limits | None = None,
) -> FinetuneResult:
    """Fine-tune a copy of `base` (or of a freshly loaded model); evaluate after every epoch and at a
    stop, so the last evaluation is always of the model returned. A stop is asked (`stop`) or comes
    at the server's limit of steps or seconds (`allowed`, else the environment's: explorer/limits.py).
    Under `accelerate launch`, every process returns the same metrics; only the main one reports."""
    began = time.perf_counter()
    allowed = allowed or limits.current()
    acc = parallel.accelerator(device.pick_device())
    torch.set_num_threads(config.thread_count())  # this process is the fine-tune's (worker or CLI)
    base, model, tokenizer, dev, rows = _prepare(config, base, levers, acc, allowed)
    on_progress = on_progress if acc.is_main_process else None
    loop = _Loop(config, model, tokenizer, rows, dev, levers, on_progress, acc, allowed, began)
    # dropout, its own masks in each process; the global RNG is this process's alone (the page's worker
    # or the command line: no other session draws here), and a generator of its own (explorer.seeded)
    # would put a Python call in every op of the training step
    torch.manual_seed(config.seed + acc.process_index)
    why = ""
    for index in loop.plan:
        loop.train_step(index)
        why = loop.end(stop)
        if loop.step % loop.per_epoch == 0 or loop.step == loop.total or why:
            loop.evaluate()
        if why:
            break
    limit = why if why in ("steps", "seconds") else ""
    model.eval()  # the plain model: DDP's wrapper stays behind
    return FinetuneResult(
        config=config,
        model=model,
        tokenizer=tokenizer,
        source=base.source,
        losses=tuple(loop.losses),
        evaluations=tuple(loop.evaluations),
        report=loop.report,
        stopped=bool(why),
        train_seconds=loop.train_s,
        eval_seconds=loop.eval_s,
        seconds=time.perf_counter() - began,
        samples_per_s=loop.samples / max(loop.train_s, 1e-9),
        device=device.describe_device(acc.device.type),
        limit=limit,
        limit_value=float(getattr(allowed, f"run_{limit}")) if limit else 0.0,
        precision=precision(loop.where, levers),
    )
