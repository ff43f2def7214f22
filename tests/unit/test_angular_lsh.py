"""Angular LSH in 2-D (figures 22-23): facts about h(x) = argmax([xR; -xR]) under random rotations."""

import math

import pytest
import torch

from explorer.families.reformer import angular


@pytest.mark.parametrize("n_buckets", angular.BUCKET_CHOICES)
def test_a_vector_and_its_scaled_copy_always_share_a_bucket(n_buckets):
    generator = torch.Generator().manual_seed(1)
    rotation = angular.rotations(n_buckets, 500, generator)  # (500, 2, n/2)
    points = torch.randn(500, 64, 2, generator=generator, dtype=torch.float64)
    scale = torch.exp(torch.empty(500, 64, 1, dtype=torch.float64).uniform_(-7, 7, generator=generator))
    assert torch.equal(angular.hash_2d(points, rotation), angular.hash_2d(points * scale, rotation))


@pytest.mark.parametrize("n_buckets", angular.BUCKET_CHOICES)
@pytest.mark.parametrize("theta", [0.1, 0.5, 1.0, 2.0, 3.0])
def test_collision_rate_matches_the_closed_form(n_buckets, theta):
    """P(same bucket) = max(0, 1 - n theta / 2 pi): 1 - theta/pi for two buckets. 40,000 rotations put
    the measured rate's standard deviation at most sqrt(0.25 / 40000) = 0.0025; the bound is 4 of them."""
    generator = torch.Generator().manual_seed(2)
    rounds = 40_000
    rotation = angular.rotations(n_buckets, rounds, generator)
    start = torch.rand(rounds, generator=generator, dtype=torch.float64) * 2 * math.pi
    angles = torch.stack([start, start + theta], dim=-1)  # (rounds, 2): a fresh pair per rotation
    pairs = torch.stack([angles.cos(), angles.sin()], dim=-1)  # (rounds, 2, 2)
    buckets = angular.hash_2d(pairs, rotation)  # (rounds, 2)
    rate = (buckets[:, 0] == buckets[:, 1]).double().mean().item()
    closed = angular.collision_probability(torch.tensor(theta), n_buckets).item()
    assert abs(rate - closed) < 0.01, (rate, closed)
    if n_buckets == 2:
        assert abs(rate - (1 - theta / math.pi)) < 0.01


def test_collision_rate_rises_with_cosine_similarity():
    """Two buckets, 10 cosine bins: adjacent bins' expected rates differ by at least 0.2/pi = 0.064 (the
    middle bins, 0.2 rad apart); each bin's rate has standard deviation under 0.004 (at least 100 pairs x
    200 rotations, plus the spread of angles inside a bin), so a rise is 16 of them: it must be strict."""
    curve = angular.collision_curve(2, pairs=2000, rounds=200, bins=10, seed=3)
    assert (curve.trials >= 100 * 200).all()
    assert (curve.rate.diff() > 0).all(), curve.rate
    assert (curve.rate - curve.expected).abs().max() < 0.02


@pytest.mark.parametrize("n_buckets", [4, 8])
def test_more_buckets_never_fall_with_cosine_and_meet_the_closed_form(n_buckets):
    """With n > 2 buckets the rate is 0 for every angle over 2 pi / n, so bins may tie at 0; a fall of
    more than 4 standard deviations (0.5 / sqrt(trials) each) would be a real one."""
    curve = angular.collision_curve(n_buckets, pairs=2000, rounds=200, bins=10, seed=4)
    noise = 0.5 / curve.trials.sqrt()
    assert (curve.rate.diff() >= -4 * (noise[1:] + noise[:-1])).all(), curve.rate
    assert curve.rate[-1] > curve.rate[len(curve.rate) // 2] + 0.3  # nearby pairs collide far more often
    assert (curve.rate - curve.expected).abs().max() < 0.02


def test_the_scatter_has_a_nearby_and_a_far_pair_and_refuses_bad_counts():
    result = angular.scatter(8, 4, rounds=5, seed=0)
    assert result.buckets.shape == (5, 8)
    cos = lambda a, b: float(result.points[a] @ result.points[b])  # noqa: E731
    assert cos(0, 1) == pytest.approx(math.cos(angular.NEAR_ANGLE))
    assert cos(2, 3) == pytest.approx(math.cos(angular.FAR_ANGLE))
    assert result.shared(2, 3) == 0  # 2.6 rad is over a 4-bucket sector's pi/2
    with pytest.raises(ValueError, match="between 4"):
        angular.scatter(2, 4, 1, 0)
    with pytest.raises(ValueError, match="in pairs"):
        angular.scatter(6, 3, 1, 0)
