"""One admission queue for the server's heavy work (fine-tunes, live trainings): at most `max_jobs`
at once, first come first served, with each waiting job's place and an estimated wait.

A job is a `Ticket`. `submit` queues it; when a slot is free the queue marks it running and calls its
`on_start(threads)` (outside the lock), so the next job starts by itself when one finishes; a start
that fails gives its slot back at once. A queued ticket not seen (`beat`/`touch`) for `stale_s`
seconds belongs to a session that is gone and is dropped; so is a running *resident* one (a run that
advances only while its page draws it). One client (a browser, all its tabs) holds at most
`per_client` tickets, running and waiting (EXPLORER_MAX_JOBS_PER_CLIENT, explorer/limits.py).
"""

from __future__ import annotations

import heapq
import itertools
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from explorer import limits

ENV_MAX_JOBS = "EXPLORER_MAX_JOBS"
ENV_THREADS = "EXPLORER_THREADS"
# A waiting job unseen this long has lost its session. Its page beats every 5-10 s, but a browser
# runs a hidden tab's timers about once a minute, and a person may well wait in another tab.
STALE_S = 120.0
GPU_GIB_PER_JOB = 10  # a base-size fine-tune with its optimizer and activations fits in about this

QUEUED, RUNNING, DONE, CANCELLED, DROPPED = "queued", "running", "done", "cancelled", "dropped"
FAILED, REFUSED = "failed", "refused"  # its start raised; its client already held its share
_ids = itertools.count(1)


@dataclass(eq=False)
class Ticket:
    """One job's place in the queue. `eta` says the seconds a running job has left (None: unknown)."""

    owner: str  # the browser session that asked
    label: str
    on_start: Callable[[int], None] | None = None
    eta: Callable[[], float | None] = lambda: None
    resident: bool = False  # advances only while its own page draws it: beats come from that page
    client: str = ""  # the browser (or address) that asked, for its share of the queue; "" = owner
    id: int = field(default_factory=lambda: next(_ids))
    state: str = QUEUED
    threads: int = 0  # given when it starts
    seen: float = 0.0
    started: float = 0.0
    error: Exception | None = None  # what its on_start raised

    @property
    def active(self) -> bool:
        return self.state in (QUEUED, RUNNING)

    @property
    def asker(self) -> str:
        return self.client or self.owner


class ClientLimit(Exception):
    """A client asked for more jobs than its share of the queue (`limit`, running and waiting)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"this browser already holds its share of the queue, {limit} jobs running or waiting "
            f"({limits.ENV['jobs_per_client']}): stop one or wait for one to finish"
        )
        self.limit = limit


@dataclass(frozen=True)
class Load:
    """What the server is doing: jobs running and waiting, and how many may run at once."""

    running: int
    queued: int
    max_jobs: int
    threads: int


def default_max_jobs(cores: int, gpu_gib: float = 0.0) -> int:
    """Jobs at once: on a GPU one per GPU_GIB_PER_JOB GiB of its memory (at most one per core);
    on a CPU one per two cores, since a fine-tune gains from a second thread."""
    if gpu_gib > 0:
        return max(1, min(cores, int(gpu_gib // GPU_GIB_PER_JOB)))
    return max(1, cores // 2)


def _positive(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _gpu_gib() -> float:
    """The GPU's memory in GiB when the app runs on CUDA, else 0."""
    from explorer import device

    if device.pick_device() != "cuda":
        return 0.0
    import torch

    return torch.cuda.get_device_properties(0).total_memory / 2**30


def process_threads() -> int:
    """The threads one process trains with: the queue's share (EXPLORER_THREADS), else every core."""
    return _positive(ENV_THREADS) or _cores()


def server_limits() -> tuple[int, int]:
    """(jobs at once, threads per job): EXPLORER_MAX_JOBS / EXPLORER_THREADS, else from the machine."""
    cores = _cores()
    max_jobs = _positive(ENV_MAX_JOBS) or default_max_jobs(cores, _gpu_gib())
    return max_jobs, _positive(ENV_THREADS) or max(1, cores // max_jobs)


class JobQueue:
    """FIFO admission for at most `max_jobs` running tickets; thread-safe."""

    def __init__(
        self,
        max_jobs: int,
        threads: int = 1,
        stale_s: float = STALE_S,
        clock: Callable[[], float] = time.monotonic,
        per_client: int | None = None,
    ) -> None:
        self.max_jobs, self.threads, self.stale_s, self.clock = max_jobs, threads, stale_s, clock
        self.per_client = per_client or sys.maxsize  # None: a client may hold every slot and more
        self._lock = threading.Lock()
        self._queued: deque[Ticket] = deque()
        self._running: list[Ticket] = []
        self._durations: deque[float] = deque(maxlen=10)  # of finished jobs, for the wait of queued ones

    def submit(self, ticket: Ticket) -> Ticket:
        """Queue a ticket; it starts now if a slot is free and nobody is ahead of it. Raises
        ClientLimit (nothing queued) when its client already holds its share, and what its own
        start raised (its slot given back)."""
        with self._lock:
            self._drop_stale()
            held = sum(t.asker == ticket.asker for t in (*self._queued, *self._running))
            if held >= self.per_client:
                ticket.state = REFUSED
                raise ClientLimit(self.per_client)
            ticket.state, ticket.seen = QUEUED, self.clock()
            self._queued.append(ticket)
            started = self._admit()
        self._start(started)
        if ticket.error is not None:
            raise ticket.error
        return ticket

    def beat(self, ticket: Ticket) -> None:
        """The ticket's session is still there."""
        ticket.seen = self.clock()

    def touch(self, owner: str) -> None:
        """Every non-resident ticket of this session is still wanted (any rerun of the session)."""
        with self._lock:
            for ticket in (*self._queued, *self._running):
                if ticket.owner == owner and not ticket.resident:
                    ticket.seen = self.clock()

    def cancel(self, ticket: Ticket) -> None:
        """Leave the queue (nothing starts) or give back a running job's slot."""
        self._end(ticket, CANCELLED)

    def finish(self, ticket: Ticket) -> None:
        """A running job is over: its slot goes to the next in line."""
        self._end(ticket, DONE)

    def _end(self, ticket: Ticket, state: str) -> None:
        """Take the ticket out (its slot, if running, goes to the next in line) with its last state."""
        with self._lock:
            if ticket in self._queued:
                self._queued.remove(ticket)
            elif ticket in self._running:
                self._running.remove(ticket)
                if state == DONE:
                    self._durations.append(self.clock() - ticket.started)
            else:
                return
            ticket.state = state
            started = self._admit()
        self._start(started)

    def _drop_stale(self) -> None:
        now = self.clock()
        for ticket in [*self._queued, *(t for t in self._running if t.resident)]:
            if now - ticket.seen > self.stale_s:
                (self._queued if ticket.state == QUEUED else self._running).remove(ticket)
                ticket.state = DROPPED

    def _admit(self) -> list[Ticket]:
        """Under the lock: drop the stale, then move the first in line to running while slots are free."""
        self._drop_stale()
        started = []
        while self._queued and len(self._running) < self.max_jobs:
            ticket = self._queued.popleft()
            ticket.state, ticket.threads, ticket.started = RUNNING, self.threads, self.clock()
            self._running.append(ticket)
            started.append(ticket)
        return started

    def _start(self, tickets: list[Ticket]) -> None:
        """Call each admitted ticket's on_start outside the lock. One that fails keeps its error and
        gives its slot back, and the others start all the same: whoever freed the slots (another
        session's finish, a page's load line) is not told of it."""
        for ticket in tickets:
            if ticket.on_start is None:
                continue
            try:
                ticket.on_start(ticket.threads)
            except Exception as err:
                ticket.error = err
                self._end(ticket, FAILED)

    def sweep(self) -> None:
        """Drop tickets whose sessions are gone and start who is next."""
        with self._lock:
            started = self._admit()
        self._start(started)

    def load(self) -> Load:
        self.sweep()
        with self._lock:
            return Load(len(self._running), len(self._queued), self.max_jobs, self.threads)

    def waiting_besides(self, client: str) -> bool:
        """Whether a ticket of another client waits for a slot (its session still there); a slot
        freed by a session that left goes to the next in line first, as in sweep()."""
        self.sweep()
        with self._lock:
            return any(t.asker != client for t in self._queued)

    def place(self, ticket: Ticket) -> int | None:
        """1 for the next to start; None when the ticket is not waiting."""
        with self._lock:
            return self._queued.index(ticket) + 1 if ticket in self._queued else None

    def _typical(self, now: float) -> float | None:
        """How long a job takes here: finished jobs' mean, else the running ones' projected mean."""
        if self._durations:
            return sum(self._durations) / len(self._durations)
        projected = [now - t.started + left for t in self._running if (left := t.eta()) is not None]
        return sum(projected) / len(projected) if projected else None

    def estimated_wait(self, ticket: Ticket) -> float | None:
        """Seconds until a waiting ticket starts: slots free as running jobs end (their ETA), and each
        ticket ahead then takes a typical job's time. None when a needed time is not known yet."""
        with self._lock:
            if ticket not in self._queued:
                return None
            now = self.clock()
            ahead = list(self._queued).index(ticket)
            free = [t.eta() for t in self._running] + [0.0] * (self.max_jobs - len(self._running))
            typical = self._typical(now)
        if any(left is None for left in free) or (ahead and typical is None):
            return None
        heapq.heapify(free)
        for _ in range(ahead):
            heapq.heappush(free, heapq.heappop(free) + typical)
        return max(0.0, free[0])


_shared: JobQueue | None = None
_shared_lock = threading.Lock()


def shared() -> JobQueue:
    """The server's one queue, shared by every session."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = JobQueue(*server_limits(), per_client=limits.current().jobs_per_client)
        return _shared
