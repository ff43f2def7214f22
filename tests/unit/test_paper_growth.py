"""A measured sweep's growth from its shortest to its longest length, read as a power of n."""

import pytest

from explorer.mechanics import cost


def _sweep(*points: tuple[str, int, float]) -> cost.Sweep:
    return cost.Sweep("cpu", tuple(cost.Point(line, n, 1, s) for line, n, s in points))


def test_linear_and_quadratic_growth_read_as_powers_one_and_two():
    result = _sweep(("a", 1024, 1.0), ("a", 2048, 2.0), ("a", 4096, 4.0), ("b", 1024, 1.0), ("b", 4096, 16.0))
    linear, quadratic = cost.growth(result, "a"), cost.growth(result, "b")
    assert (linear.first, linear.last, linear.factor) == (1024, 4096, 4.0)
    assert linear.order == pytest.approx(1.0)
    assert quadratic.order == pytest.approx(2.0)


def test_growth_needs_two_lengths_and_no_zero():
    assert cost.growth(_sweep(("a", 1024, 1.0)), "a") is None
    assert cost.growth(_sweep(("a", 1024, 1.0), ("a", 2048, 2.0)), "b") is None
    assert cost.growth(_sweep(("a", 1024, 0.0), ("a", 2048, 2.0)), "a") is None
    memory = cost.Sweep("cpu", (cost.Point("a", 1024, 1, 0.1, 100), cost.Point("a", 2048, 1, 0.1, 400)))
    assert cost.growth(memory, "a", "peak_bytes").order == pytest.approx(2.0)
