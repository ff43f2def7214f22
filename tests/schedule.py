"""How make test's workers (pytest-xdist) share the suite: two browser lanes, the rest one by one.

The browser tests (tests/e2e and the benchmarks that drive Chromium) go into two lanes of about equal
expected length, a test file's tests in one lane; each lane runs in turn on one worker, with that
worker's own app server and Chromium (tests/e2e/conftest.py's session fixtures), so at most two rooms
of Chromium share the cores at once.
Every other test is a unit of its own, except the hostile catalogue's cases of one page view, which
stay together (they reuse the page their class opened on that worker). Units go out longest first
(the lanes, then the tests EXPECTED_S names, then the rest in collection order), so what is left at
the end is short and the workers finish together. --dist loadgroup's markers are not used: they are
lost on pytest 9's node ids.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANES = 2
# Seconds a test took in make test on this 2-core machine, quiet, by the start of its node id (the
# longest start that matches counts). A test not named here counts as short and keeps its place in
# the collection; a figure gone stale only makes the workers end less evenly, never changes a result.
EXPECTED_S = {
    "tests/e2e/": 10,
    "tests/e2e/test_deadlines.py": 0,
    "tests/e2e/test_tour_browser.py": 10,
    "tests/e2e/test_tour_browser.py::test_the_tour_walked": 110,  # the two passes: about 200 s
    "tests/e2e/test_tour_browser.py::test_every_stops_link": 90,
    "tests/e2e/test_finetune_browser.py": 20,
    "tests/e2e/test_finetune_browser.py::test_a_run_survives": 76,
    "tests/e2e/test_finetune_browser.py::test_squad": 30,
    "tests/e2e/test_room_browser.py": 47,
    "tests/e2e/test_classroom_browser.py": 34,
    "tests/e2e/test_sparse_browser.py::test_reformer": 10,
    "tests/e2e/test_tokenization_browser.py": 15,
    "tests/unit/test_bench_smoke.py": 10,
    "tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size[room]": 35,
    "tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size[classroom]": 20,
    "tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size[page]": 25,
    "tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size[finetune]": 23,
    "tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size[cold_start]": 19,
    "tests/app/test_pages.py::test_a_data_folder_in_the_wrong_format": 32,
    "tests/app/test_compare_pages.py::test_one_training_step": 10,
    # Measured with the machine loaded (about 5x slower), divided by 5: the multi-process and
    # multi-thread unit tests.
    "tests/unit/test_accelerate.py::test_two_gloo_processes": 20,
    "tests/unit/test_isolation.py::test_every_page_computation": 20,
    "tests/unit/test_finetune_protocol.py::test_a_child_streams": 16,
    "tests/unit/test_rtd_race_streams.py::test_a_race_leaves": 8,
    "tests/unit/test_electra_distil.py::test_the_rtd_race_trains": 6,
    "tests/unit/test_finetune_engine.py": 4,
}
# The catalogue's case id is [<page view>-<input>-seed=<seed>]: one unit per page view.
HOSTILE_CASE = re.compile(r"^(tests/app/test_hostile\.py::TestEveryField::[^\[]+\[.+)-[a-z_]+-seed=[^\]]*\]$")
BENCH_CASE = re.compile(r"^tests/unit/test_bench_smoke\.py::\w+\[(\w+)\]$")
BENCH_TOGETHER = "tests/unit/test_bench_smoke.py, the benchmarks in one process"


def bench_uses_browser(name: str) -> bool:
    """Whether `python -m bench NAME` drives a server with Chromium (a browser test too)."""
    return "sync_playwright" in (ROOT / "bench" / f"bench_{name}.py").read_text()


def in_browser(nodeid: str) -> bool:
    bench = BENCH_CASE.match(nodeid)
    return nodeid.startswith("tests/e2e/") or bool(bench and bench_uses_browser(bench.group(1)))


def expected_s(nodeid: str) -> float:
    """EXPECTED_S's figure for the longest start of `nodeid` it names; 0 when none."""
    starts = [start for start in EXPECTED_S if nodeid.startswith(start)]
    return EXPECTED_S[max(starts, key=len)] if starts else 0


def browser_lanes(nodeids: list[str]) -> dict[str, str]:
    """Each browser test's lane ("browser lane 1", ...). A test file's tests share a lane (two of its
    fine-tunes never run at once); the longest files first, each into the lane expected to end first."""
    files: dict[str, list[str]] = {}
    for nodeid in filter(in_browser, nodeids):
        files.setdefault(nodeid if BENCH_CASE.match(nodeid) else nodeid.split("::")[0], []).append(nodeid)
    lanes = [0.0] * LANES
    chosen = {}
    for tests in sorted(files.values(), key=lambda tests: sum(map(expected_s, tests)), reverse=True):
        lane = lanes.index(min(lanes))
        lanes[lane] += sum(map(expected_s, tests))
        chosen.update(dict.fromkeys(tests, f"browser lane {lane + 1}"))
    return chosen


def unit_of(nodeid: str, lanes: dict[str, str]) -> str:
    """The unit of work a test belongs to: its browser lane, its page view in the hostile catalogue,
    the one process of the benchmarks that drive no browser (tests/unit/test_bench_smoke.py), or
    itself."""
    case = HOSTILE_CASE.match(nodeid)
    if nodeid in lanes:
        return lanes[nodeid]
    if case:
        return case.group(1)
    return BENCH_TOGETHER if BENCH_CASE.match(nodeid) else nodeid


def longest_first_scheduler(config, log):
    """An xdist scheduler handing out unit_of's units one at a time, longest expected first."""
    from xdist.scheduler import LoadScopeScheduling

    class LongestFirst(LoadScopeScheduling):
        lanes: dict[str, str] | None = None
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            if self.lanes is None:  # every worker collected the same tests (checked before this)
                self.lanes = browser_lanes(list(next(iter(self.registered_collections.values()))))
            return unit_of(nodeid, self.lanes)

        def _assign_work_unit(self, node) -> None:
            if not self.ordered:  # the queue is complete by the first hand-out; sorted once, stably
                units = sorted(self.workqueue.items(), key=lambda unit: -sum(map(expected_s, unit[1])))
                self.workqueue.clear()
                self.workqueue.update(units)
                self.ordered = True
            super()._assign_work_unit(node)

    return LongestFirst(config, log)
