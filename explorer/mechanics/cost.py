"""Measured cost on this device: wall time and peak tensor memory of a call, over a sweep of lengths.

Peak memory is what PyTorch's allocator held above what was already allocated when the call began:
on CUDA from torch.cuda.max_memory_allocated, on the CPU from torch.profiler's allocation events
(this thread's only, so other sessions of the server do not count). One measurement runs at a time
in the process, so two sessions never time each other's work.
"""

from __future__ import annotations

import math
import os
import statistics
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch

from explorer.i18n import translate

_LOCK = threading.Lock()  # one measurement at a time in this process


@dataclass(frozen=True)
class Point:
    """One measured call: which line (method), at which length and batch, its time and memory."""

    line: str  # e.g. "block_sparse", "full_eager", "full_sdpa"
    length: int  # tokens per sequence
    batch: int
    seconds: float  # median wall time of one call
    peak_bytes: int | None = None  # peak allocator memory above the start; None when not measured

    @property
    def peak_mb(self) -> float | None:
        return None if self.peak_bytes is None else self.peak_bytes / 1e6


@dataclass(frozen=True)
class Sweep:
    """Every point of one sweep, and the device it was measured on (describe_device's words)."""

    device: str
    points: tuple[Point, ...]
    skipped: tuple[tuple[str, int, str], ...] = ()  # (line, length, why) for points not measured

    def value(self, line: str, length: int, metric: str = "seconds") -> float | None:
        for point in self.points:
            if point.line == line and point.length == length:
                return getattr(point, metric)
        return None

    def ratios(self, over: str, under: str) -> list[tuple[int, float]]:
        """(length, `over` / `under`) at every length where both lines were measured, shortest first."""
        found = []
        for length in sorted({p.length for p in self.points}):
            top, bottom = self.value(over, length), self.value(under, length)
            if top and bottom:
                found.append((length, top / bottom))
        return found


@dataclass(frozen=True)
class Verdict:
    """Which line is best at the longest length measured, and from which length on it stays best."""

    metric: str  # "seconds" or "peak_bytes"
    winner: str
    since: int  # smallest length from which the winner is best at every longer length measured
    longest: int
    runner_up: str | None  # second best at the longest length
    ratio: float | None  # runner-up / winner at the longest length (how many times better)
    everywhere: bool  # best at every length measured


@dataclass(frozen=True)
class Growth:
    """How much one line's value grew from the shortest to the longest length it was measured at."""

    line: str
    first: int  # shortest length measured
    last: int  # longest length measured
    factor: float  # value at `last` / value at `first`

    @property
    def order(self) -> float:
        """The k in value ~ length^k that this growth implies (1: linear, 2: quadratic)."""
        return math.log(self.factor) / math.log(self.last / self.first)


def growth(result: Sweep, line: str, metric: str = "seconds") -> Growth | None:
    """The line's growth between its shortest and longest lengths; None under two lengths or at a zero."""
    measured = sorted(
        (p.length, getattr(p, metric)) for p in result.points if p.line == line and getattr(p, metric)
    )
    if len(measured) < 2 or measured[0][0] == measured[-1][0]:
        return None
    (first, low), (last, high) = measured[0], measured[-1]
    return Growth(line, first, last, high / low)


def _sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def time_call(fn: Callable[[], object], device: str, repeat: int = 3, warmup: int = 1) -> float:
    """Median wall seconds of `repeat` calls after `warmup` calls (CUDA synchronised around each)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        _sync(device)
        start = time.perf_counter()
        fn()
        _sync(device)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _cpu_peak(fn: Callable[[], object]) -> int:
    """Peak bytes the CPU allocator held above the start during fn, from the profiler's events."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        fn()
    events = sorted(
        (e.start_ns(), e.nbytes())
        for e in prof.profiler.kineto_results.events()
        if e.name() == "[memory]" and str(e.device_type()).endswith("CPU")
    )
    held = peak = 0
    for _, nbytes in events:
        held += nbytes
        peak = max(peak, held)
    return peak


def peak_memory(fn: Callable[[], object], device: str) -> int:
    """Peak tensor bytes allocated during one call of fn, above what was held before it."""
    if device == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        before = torch.cuda.memory_allocated()
        fn()
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated() - before
    return _cpu_peak(fn)


def measure(
    line: str, length: int, batch: int, fn: Callable[[], object], device: str, repeat: int = 3, memory=True
) -> Point:
    """Time (and, when asked, peak memory of) one call, holding the process-wide measurement lock."""
    with _LOCK:
        seconds = time_call(fn, device, repeat=repeat)
        peak = peak_memory(fn, device) if memory else None
    return Point(line, length, batch, seconds, peak)


class Stopped(Exception):
    """Raised by a sweep's on_progress to end it after the current point; `sweep` raises it again
    with the points measured so far (`partial`), so a stopped sweep still shows what it has."""

    def __init__(self, partial: Sweep | None = None, limit: bool = False) -> None:
        super().__init__("stopped")
        self.partial, self.limit = partial, limit


class NotMeasured(Exception):
    """A point of a sweep that cannot be measured (too short for the method, too long for the device)."""


# What one measured call may hold at once; a shared server must not be taken down by one sweep.
BUDGET_BYTES = int(os.environ.get("EXPLORER_COST_BUDGET_MB", "2048")) * 2**20


def check_budget(needed: int) -> None:
    """Refuse a point whose estimated working memory is over BUDGET_BYTES (EXPLORER_COST_BUDGET_MB)."""
    if needed > BUDGET_BYTES:
        raise NotMeasured(
            f"needs about {needed / 2**30:.1f} GB, over this server's {BUDGET_BYTES / 2**30:.1f} GB budget"
        )


def _out_of_memory(err: RuntimeError) -> bool:
    """A failed allocation: CUDA raises OutOfMemoryError, the CPU allocator a plain RuntimeError."""
    text = str(err).lower()
    return isinstance(err, torch.OutOfMemoryError) or "out of memory" in text or "allocate" in text


def sweep(
    lines: Iterable[str],
    lengths: Iterable[int],
    make_call: Callable[[str, int], Callable[[], object]],
    device: str,
    label: str,
    batch: int = 1,
    repeat: int = 1,
    memory: bool = True,
    on_progress: Callable[[float, str, int], None] | None = None,
) -> Sweep:
    """Measure every line at every length; lines alternate within a length so load drift hits all alike.

    make_call(line, length) returns the call to measure, or raises NotMeasured with the reason.
    on_progress may raise Stopped to end the sweep; it comes back out with the points so far.
    """
    lines, lengths = tuple(lines), tuple(sorted(lengths))
    points, skipped = [], []
    total, done = len(lines) * len(lengths), 0
    for length in lengths:
        for line in lines:
            try:
                points.append(measure(line, length, batch, make_call(line, length), device, repeat, memory))
            except NotMeasured as why:
                skipped.append((line, length, str(why)))
            except RuntimeError as err:
                if not _out_of_memory(err):
                    raise
                skipped.append((line, length, "out of memory"))
            done += 1
            if on_progress:
                try:
                    on_progress(done / total, line, length)
                except Stopped as stop:
                    raise Stopped(Sweep(label, tuple(points), tuple(skipped)), stop.limit) from None
    return Sweep(label, tuple(points), tuple(skipped))


def who_wins(points: Iterable[Point], metric: str = "seconds") -> Verdict | None:
    """The line with the lowest value at the longest length, and from which length on it stays lowest.

    Only lengths where at least two lines were measured count. None when no such length exists.
    """
    by_length: dict[int, dict[str, float]] = {}
    for point in points:
        value = getattr(point, metric)
        if value is not None:
            by_length.setdefault(point.length, {})[point.line] = value
    lengths = sorted(n for n, lines in by_length.items() if len(lines) >= 2)
    if not lengths:
        return None
    best = {n: min(by_length[n], key=by_length[n].get) for n in lengths}
    longest = lengths[-1]
    winner = best[longest]
    since = longest
    for n in reversed(lengths):
        if best[n] != winner:
            break
        since = n
    ranked = sorted(by_length[longest], key=by_length[longest].get)
    runner = ranked[1]
    low = by_length[longest][winner]
    ratio = by_length[longest][runner] / low if low > 0 else None
    return Verdict(metric, winner, since, longest, runner, ratio, since == lengths[0])


def verdict_sentence(
    verdict: Verdict | None, lang: str, names: dict[str, str], device: str, unit: str = "tokens"
) -> str:
    """One sentence, in the page's language, that says what the numbers show on this device.

    unit names what the x axis counts ("tokens" or "layers").
    """
    if verdict is None:
        return translate(lang, "cost.verdict_none")
    values = {
        "winner": names.get(verdict.winner, verdict.winner),
        "runner": names.get(verdict.runner_up or "", verdict.runner_up or ""),
        "since": f"{verdict.since:,}",
        "longest": f"{verdict.longest:,}",
        "ratio": f"{verdict.ratio:.1f}" if verdict.ratio else "?",
        "device": device,
        "what": translate(lang, f"cost.metric_{verdict.metric}"),
        "unit": translate(lang, f"cost.unit_{unit}"),
        "better": translate(lang, f"cost.better_{verdict.metric}"),
    }
    key = "cost.verdict_everywhere" if verdict.everywhere else "cost.verdict_since"
    return translate(lang, key, **values)
