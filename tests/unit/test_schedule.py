"""make test's scheduler (tests/schedule.py): which tests travel together, and which go first."""

from pathlib import Path

from tests.schedule import EXPECTED_S, LANES, browser_lanes, expected_s, in_browser, unit_of

ROOT = Path(__file__).resolve().parents[2]
CASE = "tests/app/test_hostile.py::TestEveryField::test_every_field_takes_hostile_text_without_a_stray_error"
SMOKE = "tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size"


def test_the_hostile_cases_of_one_page_view_are_one_unit_and_every_other_test_its_own():
    assert unit_of(f"{CASE}[bert-mlm-empty-seed=1]", {}) == unit_of(
        f"{CASE}[bert-mlm-zero_width-seed=all]", {}
    )
    assert unit_of(f"{CASE}[bert-mlm-empty-seed=1]", {}) != unit_of(
        f"{CASE}[bert-attention-empty-seed=1]", {}
    )
    assert unit_of(f"{CASE}[tokenization-long-seed=0]", {}) == f"{CASE}[tokenization"
    assert (
        unit_of("tests/app/test_hostile.py::test_hole2[en]", {})
        == "tests/app/test_hostile.py::test_hole2[en]"
    )


def test_browser_tests_go_into_two_lanes_of_about_equal_length_the_rest_stays_out():
    browser = [
        "tests/e2e/test_tour_browser.py::test_walk",
        "tests/e2e/test_room_browser.py::test_room",
        "tests/e2e/test_classroom_browser.py::test_classroom",
        "tests/e2e/test_families_browser.py::test_bert",
        f"{SMOKE}[room]",
        f"{SMOKE}[page]",
    ]
    others = [
        f"{SMOKE}[lsh]",
        f"{SMOKE}[finetune]",
        "tests/unit/test_lru.py::test_x",
        f"{CASE}[bert-mlm-empty-seed=1]",
    ]
    assert all(map(in_browser, browser)) and not any(map(in_browser, others))
    lanes = browser_lanes(browser + others)
    assert set(lanes) == set(browser) and len(set(lanes.values())) == LANES
    lengths = [sum(expected_s(n) for n in lanes if lanes[n] == lane) for lane in set(lanes.values())]
    assert max(lengths) - min(lengths) <= max(map(expected_s, browser))
    assert unit_of(browser[0], lanes) == lanes[browser[0]] and unit_of(others[2], lanes) == others[2]


def test_the_tests_of_one_browser_test_file_share_a_lane():
    tests = [f"tests/e2e/test_finetune_browser.py::test_{i}" for i in range(4)]
    lanes = browser_lanes([*tests, "tests/e2e/test_room_browser.py::test_room", f"{SMOKE}[room]"])
    assert len({lanes[t] for t in tests}) == 1


def test_the_longest_named_start_of_a_node_id_gives_its_expected_seconds():
    assert expected_s(f"{SMOKE}[room]") == EXPECTED_S[f"{SMOKE}[room]"]
    assert expected_s(f"{SMOKE}[lsh]") == EXPECTED_S["tests/unit/test_bench_smoke.py"]
    assert expected_s("tests/e2e/test_deadlines.py::test_every_test_has_a_time_limit") == 0
    assert expected_s("tests/unit/test_lru.py::test_x") == 0


def test_every_test_file_the_schedule_names_exists():
    named = {start.split("::")[0] for start in EXPECTED_S}
    missing = [path for path in named if not (ROOT / path).exists()]
    assert not missing, f"renamed or removed test files: update EXPECTED_S for {missing}"


def test_the_benchmarks_that_drive_no_browser_are_one_unit_those_that_do_go_into_the_lanes():
    together = {unit_of(f"{SMOKE}[{name}]", {}) for name in ("lsh", "finetune", "quality")}
    assert len(together) == 1 and together != {f"{SMOKE}[lsh]"}
    lanes = browser_lanes([f"{SMOKE}[room]", f"{SMOKE}[lsh]"])
    assert unit_of(f"{SMOKE}[room]", lanes) == lanes[f"{SMOKE}[room]"] not in together
