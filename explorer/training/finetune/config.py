"""The settings of one fine-tune, checked before any work starts; defaults come from the registry."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from explorer import limits, registry

LR_RANGE = (1e-7, 1e-2)  # beyond this a fine-tune diverges or does nothing
MAX_BATCH = 1024
MAX_THREADS = 1024


class ConfigError(ValueError):
    """Settings that cannot give a meaningful fine-tune, with the reason."""


def looks_like_folder(name: str) -> bool:
    """A model name that can only be a path: hub ids never start with / . ~ and hold at most one '/'."""
    return name.startswith(("/", ".", "~")) or name.count("/") > 1 or "\\" in name


@dataclass(frozen=True)
class FinetuneConfig:
    task: str = "cola"
    model_id: str = ""  # hub id or local folder; "" = the family's checkpoint (offline: its fallback)
    family: str = "bert"
    source: str = "local"  # "local" files or the "hub"
    data_dir: str = ""  # local folder; "" = the first of data.default_dir's folders that exists
    train_size: int = 8551
    eval_size: int = 527
    epochs: float = 1.0
    batch_size: int = 32
    learning_rate: float = 1e-4
    max_length: int = 64
    stride: int = 0  # SQuAD: tokens shared by consecutive windows of a long context
    seed: int = 0
    dropout: float = 0.1  # every dropout layer of the training copy
    head_lr_scale: float = 1.0  # learning rate of the new head (and pooler) = this x learning_rate
    freeze_embeddings: bool = False  # the word embeddings (the input vocabulary's vectors) left as they are
    online: bool = False  # may the model come from the hub
    threads: int = 0  # CPU threads of the run (the server's job queue sets it); 0 = every core

    @classmethod
    def defaults(cls, task: str, device: str, **changes) -> FinetuneConfig:
        """The registry's defaults for `task` on `device`, with `changes` on top."""
        if task not in registry.TASKS:
            raise ConfigError(f"unknown task {task!r}; known: {', '.join(registry.TASKS)}")
        d = registry.training_defaults(task, device)
        family = registry.TASKS[task].default_family
        settings = {k: v for k, v in asdict(d).items() if k != "why"}
        return cls(**{"task": task, "family": family, **settings, **changes})

    def validate(self, allowed: limits.Limits | None = None) -> None:
        """Raise ConfigError with a reason for the first setting that cannot work, or that is above
        the server's limits (`allowed`, else those of the environment: explorer/limits.py)."""
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
        if not 0 <= self.dropout < 1:
            raise ConfigError(f"dropout {self.dropout:g} must be at least 0 and below 1")
        if not 0 < self.head_lr_scale <= 1000:
            raise ConfigError(f"head learning-rate factor {self.head_lr_scale:g} must be in (0, 1000]")
        if not 0 <= self.threads <= MAX_THREADS:
            raise ConfigError(f"threads {self.threads} must be between 0 (every core) and {MAX_THREADS}")
        if not 8 <= self.max_length <= 4096:
            raise ConfigError(f"max length {self.max_length} must be between 8 and 4096")
        if self.task == "squad" and not 0 <= self.stride < self.max_length // 2:
            raise ConfigError(f"the stride ({self.stride}) must be less than half the max length")
        self._check_limits(allowed or limits.current())
        name = self.model_id.strip()
        if name and looks_like_folder(name) and not Path(name).expanduser().is_dir():
            raise ConfigError(f"model folder {name} does not exist")

    def _check_limits(self, allowed: limits.Limits) -> None:
        sizes = [
            ("batch", self.batch_size, "batch size"),
            ("length", self.max_length, "max length"),
            ("train_size", self.train_size, "training set size"),
            ("epochs", self.epochs, "epochs"),
        ]
        for name, value, what in sizes:
            refused = allowed.above(name, value, what)
            if refused:
                raise ConfigError(refused)

    def thread_count(self) -> int:
        """The threads this process trains with: `threads`, else every core it may use, shared
        evenly by the processes that `accelerate launch` started on this machine."""
        if self.threads:
            return self.threads
        from explorer.jobqueue import process_threads as threads  # not the worker: it imports this

        local = os.environ.get("LOCAL_WORLD_SIZE", "")  # set by accelerate launch (torchrun)
        return max(1, threads() // (int(local) if local.isdigit() and int(local) > 0 else 1))

    def as_json(self) -> dict:
        return asdict(self)
