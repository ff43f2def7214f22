"""Every benchmark runs once at a tiny size (BENCH_TINY=1), as `python -m bench NAME` runs it, so a
benchmark that breaks fails CI instead of the next person who measures. The figures of a tiny run
mean nothing (speed lives in bench/); what is checked is that each benchmark ends and prints its
results.

The benchmarks that drive no browser run in turn in one `python -m bench a b ...` process, as
`python -m bench` runs them all: each would otherwise pay the same imports of torch and transformers
(about 20 s of CPU in all). Those that drive Chromium run a process each, in the browser lanes
(tests/schedule.py)."""

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
TOGETHER = [name for name in NAMES if not bench_uses_browser(name)]
# A result line as harness.Comparison / Measurement print it: "title: ... <number> <unit> ...".
RESULT = re.compile(r"^\S.*: .*\d")


def _param(name: str):
    """Benchmarks that drive a server with Chromium are browser tests too (marked e2e)."""
    return pytest.param(name, marks=[pytest.mark.e2e] if bench_uses_browser(name) else [])


def run_tiny(*names: str, timeout: float = 400) -> subprocess.CompletedProcess:
    """`python -m bench NAMES` at BENCH_TINY=1, its output captured."""
    # A short TMPDIR of its own, not tmp_path: Chromium puts its profile's socket there, and a Unix
    # socket's path has at most 107 bytes (under pytest-xdist tmp_path alone is over 80).
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        return subprocess.run(
            [sys.executable, "-m", "bench", *names],
            cwd=ROOT,
            env={**os.environ, "BENCH_TINY": "1", "TMPDIR": scratch},
            capture_output=True,
            text=True,
            timeout=timeout,
        )


@pytest.fixture(scope="module")
def together() -> subprocess.CompletedProcess:
    """One process that ran every benchmark in TOGETHER, in turn."""
    return run_tiny(*TOGETHER, timeout=600)


def section(stdout: str, name: str) -> tuple[list[str], bool]:
    """The lines `python -m bench` printed under `== name`, and whether it went on to another
    benchmark afterwards (so this one returned)."""
    lines = stdout.splitlines()
    rest = lines[lines.index(f"== {name}") + 1 :]
    end = next((i for i, line in enumerate(rest) if line.startswith("== ")), None)
    return rest[:end], end is not None


@pytest.mark.parametrize("name", [_param(name) for name in NAMES])
def test_benchmark_runs_at_tiny_size(name, request):
    out = request.getfixturevalue("together") if name in TOGETHER else run_tiny(name)
    assert f"== {name}" in out.stdout.splitlines(), (
        f"python -m bench never began {name}:\n{out.stderr[-3000:]}"
    )
    lines, went_on = section(out.stdout, name)
    ended = (went_on or out.returncode == 0) and not any(line.startswith("!! ") for line in lines)
    assert ended, f"python -m bench {name} failed:\n" + "\n".join(lines)[-3000:] + f"\n{out.stderr[-3000:]}"
    results = [line for line in lines if RESULT.match(line)]
    assert results, f"python -m bench {name} printed no result:\n{out.stdout[-3000:]}"
