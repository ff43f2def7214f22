"""Cost measurement: who wins from which length on (synthetic timings), peak memory, parameter counts."""

import pytest
import torch

from explorer.families.distilbert import speed
from explorer.mechanics import cost
from explorer.mechanics.cost import Point


def timings(sparse: dict[int, float], full: dict[int, float]) -> list[Point]:
    points = [Point("block_sparse", n, 1, s) for n, s in sparse.items()]
    return points + [Point("full_eager", n, 1, s) for n, s in full.items()]


NAMES = {"block_sparse": "block-sparse", "full_eager": "full (eager)"}


def test_sparse_wins_from_the_length_where_it_overtakes():
    # the chapter's CPU shape: full is faster at 1,024, sparse from 2,048 on
    points = timings({1024: 2.0, 2048: 5.2, 4096: 13.5}, {1024: 1.5, 2048: 5.6, 4096: 21.4})
    verdict = cost.who_wins(points)
    assert (verdict.winner, verdict.since, verdict.longest) == ("block_sparse", 2048, 4096)
    assert verdict.ratio == pytest.approx(21.4 / 13.5)
    assert not verdict.everywhere
    sentence = cost.verdict_sentence(verdict, "en", NAMES, "cpu")
    assert sentence == (
        "On cpu, block-sparse is the fastest from 2,048 tokens on (1.6x faster than full (eager) at "
        "4,096 tokens); below that another method wins."
    )


def test_sparse_loses_everywhere_on_a_fast_gpu():
    # the chapter's GPU shape: sparse flat at 27 ms, full still faster at 4,096
    points = timings({1024: 0.027, 2048: 0.027, 4096: 0.027}, {1024: 0.0054, 2048: 0.009, 4096: 0.0167})
    verdict = cost.who_wins(points)
    assert (verdict.winner, verdict.since, verdict.everywhere) == ("full_eager", 1024, True)
    sentence = cost.verdict_sentence(verdict, "en", NAMES, "cuda (NVIDIA H200)")
    assert sentence.startswith("On cuda (NVIDIA H200), full (eager) is the fastest at every point measured")
    assert "1.6x faster than block-sparse at 4,096 tokens" in sentence
    assert "모든 지점에서 full (eager) 방식이 가장 빠릅니다" in cost.verdict_sentence(
        verdict, "ko", NAMES, "cuda"
    )


def test_a_winner_that_loses_in_the_middle_wins_only_from_after_that():
    points = timings({1: 1.0, 2: 3.0, 3: 1.0}, {1: 2.0, 2: 2.0, 3: 2.0})
    assert cost.who_wins(points).since == 3


def test_memory_verdict_and_lengths_with_one_line_only():
    points = [Point("lsh", 4096, 1, 1.0, 173_000_000), Point("full_eager", 4096, 1, 1.0, 951_000_000)]
    points.append(Point("lsh", 8192, 1, 1.0, 274_000_000))  # alone at 8,192: not comparable
    verdict = cost.who_wins(points, "peak_bytes")
    assert (verdict.winner, verdict.longest) == ("lsh", 4096)
    assert "lightest on memory" in cost.verdict_sentence(verdict, "en", {}, "cpu")
    assert cost.who_wins([Point("lsh", 1, 1, 1.0)]) is None
    assert "Too few points" in cost.verdict_sentence(None, "en", {}, "cpu")


def test_cpu_peak_memory_sees_a_known_allocation():
    def allocate() -> None:
        block = torch.ones(25_000_000)  # 100 MB
        del block

    peak = cost.peak_memory(allocate, "cpu")
    assert 100_000_000 <= peak < 101_000_000


def test_sweep_skips_what_it_cannot_measure_and_reports_progress():
    seen = []

    def make(line: str, length: int):
        if line == "b" and length == 1:
            raise cost.NotMeasured("too short")
        return lambda: None

    result = cost.sweep(
        ("a", "b"), (2, 1), make, "cpu", "cpu", memory=False, on_progress=lambda *a: seen.append(a)
    )
    assert [(p.line, p.length) for p in result.points] == [("a", 1), ("a", 2), ("b", 2)]
    assert result.skipped == (("b", 1, "too short"),)
    assert [s[0] for s in seen] == [0.25, 0.5, 0.75, 1.0]


def test_parameter_counts_equal_the_closed_form():
    from explorer.mechanics.params import bert_params, layer_params

    bert = bert_params(30522, 768, 12, 3072)
    distil = (30522 + 512) * 768 + 2 * 768 + 6 * layer_params(768, 3072)  # no token types, no pooler
    sizes = speed.sizes()
    assert (sizes.teacher.total, sizes.student.total) == (bert, distil) == (109_482_240, 66_362_880)
    assert (sizes.teacher_formula, sizes.student_formula) == (bert, distil)
    assert sizes.fewer == pytest.approx(1 - distil / bert) == pytest.approx(0.394, abs=5e-4)
    built = speed.build_pair()
    assert sum(p.numel() for p in built["student"].parameters()) == distil  # the model that is timed


def test_a_point_over_the_memory_budget_is_skipped_with_its_size():
    def make(line: str, length: int):
        cost.check_budget(cost.BUDGET_BYTES + 1)
        return lambda: None

    result = cost.sweep(["full_eager"], [4096], make, "cpu", "cpu")
    assert not result.points and result.skipped[0][2].startswith("needs about")


def test_a_cpu_allocation_failure_skips_the_point_instead_of_failing_the_sweep():
    def make(line: str, length: int):
        def call():
            raise RuntimeError(
                "[enforce fail at alloc_cpu.cpp:119] DefaultCPUAllocator: can't allocate memory"
            )

        return call

    result = cost.sweep(["full_eager"], [4096], make, "cpu", "cpu", memory=False)
    assert result.skipped == (("full_eager", 4096, "out of memory"),)
