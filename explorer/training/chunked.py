"""A training that advances in short chunks, so a page can draw progress and stop it between chunks.

The page keeps the run in its session and calls `advance` once per refresh; whatever was learned
before a Stop (or any rerun) stays in the object.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from explorer import limits

# Training threads: the process's own, never changed here. torch.set_num_threads is process-wide
# (MKL's count, and the count every new thread starts with), and two runs saving and restoring it
# around their chunks could leave the whole server at one thread. Several runs' thread pools on 2
# cores slowed each other ~10x when each ran at once; the job queue (explorer/jobqueue.py) now
# bounds how many train at once instead.


class ChunkedRun:
    """Subclasses train one step in `train_step` and do their final evaluation in `finish`. After
    `max_seconds` of training (the server's limit, explorer/limits.py) the run stops and finishes."""

    clock: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self, total_steps: int, max_seconds: float = math.inf) -> None:
        self.total_steps, self.max_seconds = total_steps, max_seconds
        self.step = 0
        self.stopped = False
        self.limit = ""  # "seconds" when the server's limit stopped it
        self.finished = False
        self.seconds = 0.0  # training time only

    def train_step(self) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Evaluate what was learned; runs once, after the last step or a stop."""

    def advance(self, seconds: float) -> None:
        """Train until `seconds` have passed or the run is over; finish when it is."""
        start = self.clock()
        while not self.finished and self.step < self.total_steps and not self.stopped:
            self.train_step()
            self.step += 1
            if self.seconds + self.clock() - start >= self.max_seconds and self.step < self.total_steps:
                self.stopped, self.limit = True, "seconds"
            if self.clock() - start >= seconds:
                break
        self.seconds += self.clock() - start
        if not self.finished and (self.stopped or self.step >= self.total_steps):
            self.finish()
            self.finished = True

    def stop(self) -> None:
        """Stop after the current chunk; the next `advance` evaluates what was learned so far."""
        self.stopped = True


def allowed_sizes(config, allowed: limits.Limits) -> list[str]:
    """Why a live run's steps, batch or length (its config's fields) are above the server's limits."""
    sizes = [
        ("run_steps", config.steps, "steps"),
        ("batch", config.batch_size, "batch size"),
        ("length", config.max_length, "max length"),
    ]
    return [refused for name, value, what in sizes if (refused := allowed.above(name, value, what))]
