"""Every benchmark runs once at a tiny size (BENCH_TINY=1), as `python -m bench NAME` runs it, so a
benchmark that breaks fails CI instead of the next person who measures. The figures of a tiny run
mean nothing (speed lives in bench/); what is checked is that each benchmark ends and prints its
results."""

import os
import pkgutil
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.schedule import bench_uses_browser

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
NAMES = sorted(
    m.name.removeprefix("bench_") for m in pkgutil.iter_modules([str(BENCH)]) if m.name.startswith("bench_")
)
# A result line as harness.Comparison / Measurement print it: "title: ... <number> <unit> ...".
RESULT = re.compile(r"^\S.*: .*\d")


def _param(name: str):
    """Benchmarks that drive a server with Chromium are browser tests too (marked e2e)."""
    return pytest.param(name, marks=[pytest.mark.e2e] if bench_uses_browser(name) else [])


@pytest.mark.parametrize("name", [_param(name) for name in NAMES])
def test_benchmark_runs_at_tiny_size(name):
    # A short TMPDIR of its own, not tmp_path: Chromium puts its profile's socket there, and a Unix
    # socket's path has at most 107 bytes (under pytest-xdist tmp_path alone is over 80).
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        out = subprocess.run(
            [sys.executable, "-m", "bench", name],
            cwd=ROOT,
            env={**os.environ, "BENCH_TINY": "1", "TMPDIR": scratch},
            capture_output=True,
            text=True,
            timeout=400,
        )
    assert out.returncode == 0, f"python -m bench {name} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    lines = out.stdout.splitlines()
    results = [line for line in lines[lines.index(f"== {name}") + 1 :] if RESULT.match(line)]
    assert results, f"python -m bench {name} printed no result:\n{out.stdout[-3000:]}"
