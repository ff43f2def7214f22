"""A training that advances in short chunks, so a page can draw progress and stop it between chunks.

The page keeps the run in its session and calls `advance` once per refresh; whatever was learned
before a Stop (or any rerun) stays in the object.
"""

from __future__ import annotations

import time

import torch

# Training threads per chunk. A live run shares a small CPU with every other session; several
# sessions' intra-op pools on 2 cores slow each other ~10x, and the small models here gain little
# from a second thread. With PyTorch's OpenMP backend the setting is per calling thread, so the
# other sessions' threads keep theirs; it is restored after each chunk.
CHUNK_THREADS = 1


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
        start, threads = time.monotonic(), torch.get_num_threads()
        torch.set_num_threads(CHUNK_THREADS)
        try:
            while not self.finished and self.step < self.total_steps and not self.stopped:
                self.train_step()
                self.step += 1
                if time.monotonic() - start >= seconds:
                    break
        finally:
            torch.set_num_threads(threads)
        self.seconds += time.monotonic() - start
        if not self.finished and (self.stopped or self.step >= self.total_steps):
            self.finish()
            self.finished = True

    def stop(self) -> None:
        """Stop after the current chunk; the next `advance` evaluates what was learned so far."""
        self.stopped = True
