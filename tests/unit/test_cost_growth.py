"""The dashed 'expected growth' lines: LSH's time grows as n log n (the sort), not as n."""

import math

from explorer.mechanics.cost import Point, Sweep
from explorer.views import cost_charts


def _expected(frame, line: str) -> dict[int, float]:
    rows = frame[(frame["line"] == line) & (frame["kind"] == "expected")]
    return dict(zip(rows["length"], rows["value"], strict=True))


def test_n_log_n_growth_scales_the_first_point_by_n_log_n():
    sweep = Sweep("cpu", tuple(Point("lsh", n, 1, seconds=0.01 * n) for n in (64, 128, 512)))
    frame = cost_charts.cost_frame(sweep, "seconds", {}, {"lsh": cost_charts.N_LOG_N})
    expected = _expected(frame, "lsh")
    for n in (64, 128, 512):
        assert math.isclose(expected[n], 0.64 * (n * math.log(n)) / (64 * math.log(64)))
    assert expected[512] > 8 * expected[64]  # faster than O(n), slower than O(n^2)


def test_powers_still_scale_by_n_to_the_power():
    sweep = Sweep("cpu", tuple(Point("full", n, 1, seconds=1.0) for n in (100, 200)))
    frame = cost_charts.cost_frame(sweep, "seconds", {}, {"full": 2})
    assert _expected(frame, "full") == {100: 1.0, 200: 4.0}
