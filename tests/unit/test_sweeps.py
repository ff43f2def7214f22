"""The pages' cost sweeps run from the core: typed results, every point of the settings, and random
inputs of their own (torch's global RNG is left as it was)."""

import pytest
import torch

from explorer.families.reformer import reversible
from explorer.measure import sweeps
from explorer.mechanics import cost


def test_a_reformer_depth_sweep_measures_both_residuals_and_leaves_the_global_rng_alone():
    torch.manual_seed(11)
    before = torch.get_rng_state()
    seen = []
    result = sweeps.reformer_memory("layers", (1,), lambda *a: seen.append(a), length=128)
    assert torch.equal(torch.get_rng_state(), before)
    assert isinstance(result, cost.Sweep) and result.device.endswith("fp32")
    assert [(p.line, p.length) for p in result.points] == [(line, 1) for line in reversible.RESIDUALS]
    assert all(p.peak_bytes and p.peak_bytes > 0 for p in result.points)
    assert [s[0] for s in seen] == [0.5, 1.0]


def test_a_reformer_sweep_refuses_an_axis_it_does_not_have():
    with pytest.raises(ValueError, match="axis"):
        sweeps.reformer_memory("heads", (1,))


def test_a_sweep_stopped_from_its_progress_comes_out_with_the_points_so_far():
    def stop_after_first(done, line, value):
        raise cost.Stopped()

    with pytest.raises(cost.Stopped) as stopped:
        sweeps.reformer_memory("layers", (1, 2), stop_after_first, length=128)
    assert [(p.line, p.length) for p in stopped.value.partial.points] == [(reversible.RESIDUALS[0], 1)]
    assert stopped.value.partial.device.endswith("fp32") and not stopped.value.limit
