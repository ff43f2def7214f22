"""What a server owner lets one visitor run, read from the environment in this one place: a run's
steps and seconds, jobs per visitor, the biggest batch and length, the training set and epochs, the
seconds one tokenizer training on a visitor's corpus may take, and the bytes of an uploaded data file.

The defaults are safe for a shared server; a setting unset, not a number or not above 0 keeps its
default. Sizes are checked before any work starts (the configs' `validate`); a run that reaches its
steps or seconds stops there and evaluates what it has learned. The command line is the machine's
own user and runs under `UNLIMITED` (the engine's own ceilings still hold).
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields

ENV = {
    "run_seconds": "EXPLORER_MAX_RUN_SECONDS",
    "run_steps": "EXPLORER_MAX_RUN_STEPS",
    "jobs_per_client": "EXPLORER_MAX_JOBS_PER_CLIENT",
    "batch": "EXPLORER_MAX_BATCH",
    "length": "EXPLORER_MAX_LENGTH",
    "train_size": "EXPLORER_MAX_TRAIN_SIZE",
    "epochs": "EXPLORER_MAX_EPOCHS",
    "tokenizer_seconds": "EXPLORER_MAX_TOKENIZER_SECONDS",
    "upload_bytes": "EXPLORER_MAX_UPLOAD_BYTES",
}


@dataclass(frozen=True)
class Limits:
    """The server's limits per run and per visitor (a browser: its cookie, else its address)."""

    run_seconds: float = 1800.0  # a run stops and evaluates after this long (the queue's wait aside)
    run_steps: int = 5000  # ... or after this many training steps
    jobs_per_client: int = 2  # fine-tunes and live runs of one visitor, running and waiting
    batch: int = 128
    length: int = 512  # tokens per example (a fine-tune's max length, a live run's rows)
    train_size: int = 100_000  # training examples of a fine-tune (SQuAD's 87,599 fit)
    epochs: float = 10.0
    tokenizer_seconds: float = 120.0  # one press of Train on a visitor's corpus; its child is killed past it
    upload_bytes: int = 32 * 2**20  # a fine-tune page's data file, refused unread past it (SQuAD's: 30 MB)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        """The limits set in `environ`; each setting missing or unusable keeps its default."""
        values = {}
        for f in fields(cls):
            kind = float if f.type in ("float", float) else int
            try:
                value = kind(environ.get(ENV[f.name], "").strip())
            except ValueError:
                continue
            if value > 0 and math.isfinite(value):
                values[f.name] = value
        return cls(**values)

    def above(self, name: str, value: float, what: str) -> str | None:
        """Why `value` of the limit `name` (`what`, in words) is refused, naming its setting; None
        when it is within the limit."""
        limit = getattr(self, name)
        if value <= limit:
            return None
        return f"{what} {value:g} is above this server's limit of {limit:g} ({ENV[name]})"


UNLIMITED = Limits(
    math.inf, sys.maxsize, sys.maxsize, sys.maxsize, sys.maxsize, sys.maxsize, math.inf, math.inf, sys.maxsize
)


def current() -> Limits:
    """The limits this process runs under (a fine-tune's child inherits the server's environment)."""
    return Limits.from_env()
