"""The benchmark harness: time a candidate and its baseline alternately, report the ratio.

A benchmark is a module bench/bench_<name>.py with a `main() -> list[Comparison]`. Timings on a
shared 2-core machine are noisy, so runs alternate baseline and candidate and report medians; only
the ratio within one run means anything. Run all with `python -m bench`, one with `python -m bench NAME`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Comparison:
    """Median seconds of a candidate and its baseline, and the target for their ratio."""

    title: str
    candidate: str
    baseline: str
    candidate_s: float
    baseline_s: float
    target: float | None = None  # the ratio must be at most this (None: report only)
    unit: str = "s"

    @property
    def ratio(self) -> float:
        return self.candidate_s / self.baseline_s if self.baseline_s else float("inf")

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.ratio <= self.target

    def line(self) -> str:
        verdict = "" if self.met is None else (" MET" if self.met else " MISSED")
        target = "" if self.target is None else f" (target <= {self.target:g}x)"
        return (
            f"{self.title}: {self.candidate} {self.candidate_s:.4g} {self.unit} vs {self.baseline} "
            f"{self.baseline_s:.4g} {self.unit} -> {self.ratio:.3f}x{target}{verdict}"
        )


def alternate(
    candidate: Callable[[], float], baseline: Callable[[], float], runs: int
) -> tuple[float, float]:
    """Median of `runs` alternating measurements; each callable returns the seconds it measured."""
    cand, base = [], []
    for _ in range(runs):
        base.append(baseline())
        cand.append(candidate())
    return statistics.median(cand), statistics.median(base)


def seconds(fn: Callable[[], object], repeat: int = 1) -> Callable[[], float]:
    """Wrap fn so that calling it returns the mean wall time of `repeat` calls."""

    def timed() -> float:
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        return (time.perf_counter() - start) / repeat

    return timed


@dataclass(frozen=True)
class Measurement:
    """A figure with no baseline in the same run (e.g. time to reach a score), with what it was."""

    title: str
    value: float
    unit: str
    note: str = ""

    def line(self) -> str:
        return f"{self.title}: {self.value:.4g} {self.unit}" + (f" ({self.note})" if self.note else "")
