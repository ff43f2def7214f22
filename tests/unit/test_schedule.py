"""make test's scheduler (tests/schedule.py): which tests travel together, and which go first."""

from pathlib import Path

from tests.schedule import EXPECTED_S, expected_s, unit_of

ROOT = Path(__file__).resolve().parents[2]
CASE = "tests/app/test_hostile.py::TestEveryField::test_every_field_takes_hostile_text_without_a_stray_error"


def test_the_hostile_cases_of_one_page_view_are_one_unit_and_every_other_test_its_own():
    assert unit_of(f"{CASE}[bert-mlm-empty-seed=1]") == unit_of(f"{CASE}[bert-mlm-zero_width-seed=all]")
    assert unit_of(f"{CASE}[bert-mlm-empty-seed=1]") != unit_of(f"{CASE}[bert-attention-empty-seed=1]")
    assert unit_of(f"{CASE}[tokenization-long-seed=0]") == f"{CASE}[tokenization"
    for nodeid in ("tests/e2e/test_room_browser.py::test_x", "tests/app/test_hostile.py::test_hole2[en]"):
        assert unit_of(nodeid) == nodeid


def test_the_longest_named_start_of_a_node_id_gives_its_expected_seconds():
    room = "tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size[room]"
    assert expected_s(room) == EXPECTED_S[room]
    assert (
        expected_s("tests/unit/test_bench_smoke.py::test_benchmark_runs_at_tiny_size[lsh]")
        == (EXPECTED_S["tests/unit/test_bench_smoke.py"])
    )
    assert expected_s("tests/e2e/test_deadlines.py::test_every_test_has_a_time_limit") == 0
    assert expected_s("tests/unit/test_lru.py::test_x") == 0


def test_every_test_file_the_schedule_names_exists():
    named = {start.split("::")[0] for start in EXPECTED_S}
    missing = [path for path in named if not (ROOT / path).exists()]
    assert not missing, f"renamed or removed test files: update EXPECTED_S for {missing}"
