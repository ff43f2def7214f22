"""How make test's workers (pytest-xdist) share the suite: the long tests first, longest first.

Every test is a unit of its own, handed to whichever worker is free, except the hostile catalogue's
cases of one page, which stay together (they reuse the page that their class opened on that worker).
The units known to be long go out first, longest first, so what is left at the end is short and the
workers finish together; a browser test runs on any worker, each worker with its own app server and
Chromium (tests/e2e/conftest.py's session fixtures). --dist loadgroup's markers are not used: they are
lost on pytest 9's node ids.
"""

from __future__ import annotations

import re

# Seconds a test took in make test on this 2-core machine, by the start of its node id (the longest
# start that matches counts). A test not named here counts as short and keeps its place in the
# collection; a figure gone stale only makes the workers end less evenly, never changes a result.
EXPECTED_S = {
    "tests/e2e/": 10,
    "tests/e2e/test_deadlines.py": 0,
    "tests/e2e/test_tour_browser.py": 200,
    "tests/e2e/test_finetune_browser.py::test_a_run_survives": 76,
    "tests/e2e/test_finetune_browser.py::test_squad": 39,
    "tests/e2e/test_room_browser.py": 47,
    "tests/e2e/test_classroom_browser.py": 34,
    "tests/e2e/test_sparse_browser.py::test_reformer": 33,
    "tests/e2e/test_tokenization_browser.py": 15,
    "tests/unit/test_bench_smoke.py": 10,
    "tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size[room]": 74,
    "tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size[classroom]": 38,
    "tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size[page]": 32,
    "tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size[finetune]": 23,
    "tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size[cold_start]": 19,
    "tests/app/test_pages.py::test_a_data_folder_in_the_wrong_format": 32,
    "tests/app/test_compare_pages.py::test_one_training_step": 21,
}
# The catalogue's case id is [<page view>-<input>-seed=<seed>]: one unit per page view.
HOSTILE_CASE = re.compile(r"^(tests/app/test_hostile\.py::TestEveryField::[^\[]+\[.+)-[a-z_]+-seed=[^\]]*\]$")


def unit_of(nodeid: str) -> str:
    """The unit of work a test belongs to: itself, or its page view in the hostile catalogue."""
    case = HOSTILE_CASE.match(nodeid)
    return case.group(1) if case else nodeid


def expected_s(nodeid: str) -> float:
    """EXPECTED_S's figure for the longest start of `nodeid` it names; 0 when none."""
    starts = [start for start in EXPECTED_S if nodeid.startswith(start)]
    return EXPECTED_S[max(starts, key=len)] if starts else 0


def longest_first_scheduler(config, log):
    """An xdist scheduler handing out unit_of's units one at a time, by expected_s, longest first."""
    from xdist.scheduler import LoadScopeScheduling

    class LongestFirst(LoadScopeScheduling):
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid)

        def _assign_work_unit(self, node) -> None:
            if not self.ordered:  # the queue is complete by the first hand-out; sorted once, stably
                units = sorted(self.workqueue.items(), key=lambda unit: -expected_s(unit[0]))
                self.workqueue.clear()
                self.workqueue.update(units)
                self.ordered = True
            super()._assign_work_unit(node)

    return LongestFirst(config, log)
