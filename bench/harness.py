"""The benchmark harness: time a candidate and its baseline alternately, report the ratio.

A benchmark is a module bench/bench_<name>.py with a `main() -> list[Comparison]`. Timings on a
shared 2-core machine are noisy, so runs alternate baseline and candidate and report medians; only
the ratio within one run means anything. Run all with `python -m bench`, one with `python -m bench NAME`.
Contenders that set process-wide state (threads, autocast, accelerate's state) each run in a fresh
process (in_own_process), as a user runs them. BENCH_TINY=1 runs every benchmark once at a tiny size
(seconds): the test suite does that so a broken benchmark fails CI; its figures mean nothing.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
TINY = os.environ.get("BENCH_TINY") == "1"
T = TypeVar("T")


def sized(full: T, tiny: T) -> T:
    """`full`, or `tiny` under BENCH_TINY=1 (the test suite's smoke run of every benchmark)."""
    return tiny if TINY else full


def in_own_process(module: str, *args: str):
    """Run `python -m module args` in a fresh process and return what its last line prints, read as
    JSON (a number, or a record of several): nothing one contender sets up in its process reaches the
    next one."""
    out = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if out.returncode:
        raise RuntimeError(f"python -m {module} {' '.join(args)} exited with {out.returncode}:\n{out.stdout}")
    return json.loads(out.stdout.strip().splitlines()[-1])


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
