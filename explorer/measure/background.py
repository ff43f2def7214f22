"""Measurements run in a background thread, so a page never waits on one and can show its progress.

One at a time per server, and each holds a slot of the server's job queue (explorer/jobqueue.py)
while it runs, so a measurement never times itself against a fine-tune. A `Measurement` records its
progress point by point (the time left estimated from the points so far), stops after the current
point when asked or at the server's run limit (EXPLORER_MAX_RUN_SECONDS) with the points measured so
far, and keeps a finished sweep on disk (explorer/measure/kept.py). Sessions share one measurement
per (what, device, settings): a second visitor watches the same run instead of starting another.

A measurement nobody asked for (the defaults measured ahead, at a server's start or on a page's first
visit) gives way to people: when someone's job waits in the queue, or a measurement someone asked for
waits for its turn, it stops after the current point (unless that was its last), hands its turn and
slot over, and starts again from its first point once they are free.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from explorer import jobqueue, limits
from explorer.measure import kept
from explorer.mechanics import cost

ENV_AHEAD = "EXPLORER_MEASURE_AHEAD"  # "0": default settings are measured only when asked
WAITING, RUNNING, DONE, STOPPED, FAILED = "waiting", "running", "done", "stopped", "failed"
POLL_S = 0.5  # how often a waiting measurement looks for its turn (and tells the queue it is there)
CLIENT = "server:measure"  # the queue's name for the measurements' own tickets

Runner = Callable[[Callable[[float, str, int], None]], cost.Sweep | kept.Result]  # (on_progress) -> result
Index = tuple[str, str, tuple]  # (what, device, settings)

_ONE = threading.Lock()  # held by the measurement that runs: one at a time per server
_lock = threading.Lock()  # guards _jobs, _kept and _asked
_asked = 0  # measurements someone asked for, waiting for their turn: the ahead ones let them go first
_jobs: dict[Index, Measurement] = {}
_kept: dict[Index, kept.Kept] = {}


def ahead() -> bool:
    """Whether a page's default settings are measured in the background on its first visit."""
    return os.environ.get(ENV_AHEAD, "1") != "0"


class Measurement:
    """One sweep running in its own thread: its state, progress, and result (partial when stopped)."""

    def __init__(self, index: Index, runner: Runner, ahead: bool = False) -> None:
        self.index, self.runner = index, runner
        self.ahead = ahead  # nobody asked for it: it gives way to a person's job
        self.gave_way = 0  # how many times it did
        self._giving_way = False
        self.state = WAITING
        self.place: int | None = None  # in the job queue, while waiting for a slot
        self.fraction, self.step, self.total = 0.0, 0, None  # total: known after the first point
        self.line, self.value = "", 0  # the last point measured
        self.began: float | None = None  # monotonic, when it got its turn
        self._last = 0.0  # monotonic, when the last point was measured
        self.result: cost.Sweep | None = None
        self.error = ""
        self.limit = False  # stopped by the server's run limit, not by a person
        self._stop = threading.Event()

    @property
    def finished(self) -> bool:
        return self.state in (DONE, STOPPED, FAILED)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """Stop after the point being measured (at once while waiting for its turn)."""
        self._stop.set()

    @property
    def elapsed(self) -> float:
        began = self.began  # read once: the measuring thread may start again meanwhile
        return 0.0 if began is None else time.monotonic() - began

    @property
    def left(self) -> float | None:
        """Seconds left at the pace of the points so far, counted down since the last point (None
        before the first point): a slow point does not make the estimate grow while it runs."""
        fraction, began, last = self.fraction, self.began, self._last  # one reading of each
        if not fraction or began is None:
            return None
        return max(0.0, (last - began) / fraction * (1 - fraction) - (time.monotonic() - last))

    def _progress(self, fraction: float, line: str, value: int) -> None:
        self._last = time.monotonic()
        self.fraction, self.line, self.value = fraction, line, value
        self.step += 1
        if self.total is None:
            self.total = max(1, round(1 / fraction))
        if self._stop.is_set():
            raise cost.Stopped()
        if self.ahead and fraction < 1 and (_asked or jobqueue.shared().waiting_besides(CLIENT)):
            self._giving_way = True  # a finished run is kept: only one cut short starts again
            raise cost.Stopped()
        if self.elapsed > limits.current().run_seconds:
            self.limit = True
            raise cost.Stopped(limit=True)

    def run(self) -> None:
        """Wait for this server's turn and a slot of the job queue, then measure; never raises.
        Again from the first point after giving way to a person's job or measurement."""
        while True:
            if not self._take_turn():
                self.state = STOPPED
                return
            try:
                ticket = self._admitted()
                if ticket is None:
                    self.state = STOPPED
                    return
                try:
                    self._measure()
                finally:  # a run cut short is not a job's duration for the queue's estimates
                    (jobqueue.shared().cancel if self._giving_way else jobqueue.shared().finish)(ticket)
            finally:
                _ONE.release()
            if not self._giving_way:
                return
            self._restart()

    def _take_turn(self) -> bool:
        """This server's one turn to measure (False when stopped while waiting). A measurement someone
        asked for is counted while it waits, and an ahead one waits until none is; one asked for while
        it waits (start() on it: the waiting box's claim) is counted from then on."""
        global _asked
        asked = False
        try:
            while True:
                if self._stop.is_set():
                    return False
                if not asked and not self.ahead:
                    asked = True
                    with _lock:
                        _asked += 1
                if (asked or not _asked) and _ONE.acquire(timeout=POLL_S):
                    return True
                if not asked and _asked:
                    time.sleep(POLL_S)
        finally:
            if asked:
                with _lock:
                    _asked -= 1

    def _restart(self) -> None:
        """Back to waiting, with nothing measured: the points of a run cut short are not mixed with
        those measured after someone else's job. The state changes last, so a page that sees it
        waiting sees nothing of the run cut short."""
        self.gave_way += 1
        self.fraction, self.step, self.total, self.line, self.value = 0.0, 0, None, "", 0
        self.result, self._giving_way = None, False
        self.state = WAITING

    def _admitted(self) -> jobqueue.Ticket | None:
        """A running ticket of the job queue, or None when stopped while waiting for one."""
        queue = jobqueue.shared()
        ticket = jobqueue.Ticket("explorer-measure", f"measure {self.index[0]}", client=CLIENT)
        queue.submit(ticket)
        while ticket.state != jobqueue.RUNNING:
            if self._stop.is_set():
                queue.cancel(ticket)
                return None
            if not ticket.active:  # dropped meanwhile: queue again
                ticket = jobqueue.Ticket("explorer-measure", ticket.label, client=CLIENT)
                queue.submit(ticket)
            queue.beat(ticket)
            self.place = queue.place(ticket)
            time.sleep(POLL_S)
        return ticket

    def _measure(self) -> None:
        self.began, self.state, self.place = time.monotonic(), RUNNING, None
        try:
            sweep = self.runner(self._progress)
        except cost.Stopped as stop:
            self.result, self.state = stop.partial, (RUNNING if self._giving_way else STOPPED)
            return
        except Exception as err:  # a setting refused, the device giving up: said on the page
            self.error, self.state = str(err), FAILED
            return
        what, where, settings = self.index
        found = kept.save(what, where, settings, sweep)
        with _lock:
            _kept[self.index] = found
        self.result, self.state = sweep, DONE


def kept_result(index: Index, kind: type[kept.Result] | None = None) -> kept.Kept | None:
    """The kept sweep (or `kind`) of these settings on this device: from memory, else from disk."""
    with _lock:
        found = _kept.get(index)
    if found is None:
        found = kept.load(*index, kind=kind)
        if found is not None:
            with _lock:
                _kept.setdefault(index, found)
    return found


def find(index: Index) -> Measurement | None:
    """The measurement of these settings that runs, or last stopped or failed; None if none."""
    with _lock:
        return _jobs.get(index)


def start(index: Index, runner: Runner, ahead: bool = False) -> Measurement:
    """Start measuring in the background, or return the measurement of the same settings that runs.
    `ahead`: nobody asked for it (it gives way to people's jobs); a person asking for a run that is
    under way makes it theirs."""
    with _lock:
        job = _jobs.get(index)
        if job is not None and not job.finished:
            job.ahead = job.ahead and ahead
            return job
        job = _jobs[index] = Measurement(index, runner, ahead)
    threading.Thread(target=job.run, name=f"explorer-measure-{index[0]}", daemon=True).start()
    return job


def busy() -> bool:
    """Whether a measurement is waiting or running in this process."""
    with _lock:
        return any(not job.finished for job in _jobs.values())
