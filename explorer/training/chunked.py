"""A training that advances in short chunks, so a page can draw progress and stop it between chunks.

The page keeps the run in its session and calls `advance` once per refresh; whatever was learned
before a Stop (or any rerun) stays in the object.
"""

from __future__ import annotations

import time

# Training threads: the process's own, never changed here. torch.set_num_threads is process-wide
# (MKL's count, and the count every new thread starts with), and two runs saving and restoring it
# around their chunks could leave the whole server at one thread. Several runs' thread pools on 2
# cores slowed each other ~10x when each ran at once; the job queue (explorer/jobqueue.py) now
# bounds how many train at once instead.


class ChunkedRun:
    """Subclasses train one step in `train_step` and do their final evaluation in `finish`."""

    def __init__(self, total_steps: int) -> None:
        self.total_steps = total_steps
        self.step = 0
        self.stopped = False
        self.finished = False
        self.seconds = 0.0  # training time only

    def train_step(self) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Evaluate what was learned; runs once, after the last step or a stop."""

    def advance(self, seconds: float) -> None:
        """Train until `seconds` have passed or the run is over; finish when it is."""
        start = time.monotonic()
        while not self.finished and self.step < self.total_steps and not self.stopped:
            self.train_step()
            self.step += 1
            if time.monotonic() - start >= seconds:
                break
        self.seconds += time.monotonic() - start
        if not self.finished and (self.stopped or self.step >= self.total_steps):
            self.finish()
            self.finished = True

    def stop(self) -> None:
        """Stop after the current chunk; the next `advance` evaluates what was learned so far."""
        self.stopped = True
