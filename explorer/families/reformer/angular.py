"""Angular LSH in 2-D (the chapter's figures 22-23): random rotations, sign-axis sectors as buckets,
and how often two vectors share a bucket as their angle grows.

The hash is the Reformer paper's h(x) = argmax([xR; -xR]). In 2-D a random rotation by an angle phi
gives n/2 columns r_k = (cos(phi + 2 pi k / n), sin(phi + 2 pi k / n)); with their negatives they are
n directions spaced 2 pi / n apart, and argmax picks the nearest one, so each bucket is a sector of
width 2 pi / n. (n = 2 and n = 4 are exactly a rotation matrix's columns.) Two vectors at angle theta
share a bucket unless a sector edge, placed uniformly at random by phi, falls between them:
P(same bucket) = max(0, 1 - n theta / (2 pi)), which is 1 - theta / pi for two buckets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

MAX_POINTS = 24
MAX_ROUNDS = 6
BUCKET_CHOICES = (2, 4, 6, 8)
NEAR_ANGLE = 0.2  # radians between the two points of the "nearby pair"
FAR_ANGLE = 2.6  # radians between the two points of the "far pair"


def rotations(n_buckets: int, count: int, generator: torch.Generator) -> torch.Tensor:
    """(count, 2, n/2) random 2-D rotations, each as the first n/2 of n directions 2 pi / n apart."""
    if n_buckets < 2 or n_buckets % 2:
        raise ValueError(f"{n_buckets} buckets: argmax over [xR; -xR] gives buckets in pairs (2, 4, 6, ...)")
    phi = torch.rand(count, 1, generator=generator, dtype=torch.float64) * 2 * math.pi
    angles = phi + 2 * math.pi * torch.arange(n_buckets // 2, dtype=torch.float64) / n_buckets  # (count, n/2)
    return torch.stack([angles.cos(), angles.sin()], dim=1)  # (count, 2, n/2)


def hash_2d(points: torch.Tensor, rotation: torch.Tensor) -> torch.Tensor:
    """Buckets argmax([xR; -xR]) of (..., P, 2) points under (..., 2, n/2) rotations: (..., P)."""
    rotated = points.to(rotation.dtype) @ rotation  # (..., P, n/2)
    return torch.cat([rotated, -rotated], dim=-1).argmax(-1)


def collision_probability(theta: torch.Tensor, n_buckets: int) -> torch.Tensor:
    """Closed form P(same bucket) for 2-D vectors at angle theta (radians), n equal sectors."""
    return (1 - n_buckets * theta / (2 * math.pi)).clamp(min=0.0)


@dataclass(frozen=True)
class Scatter:
    """A few 2-D points hashed in several rounds: what figure 22 draws."""

    points: torch.Tensor  # (P, 2); rows 0-1 the nearby pair, rows 2-3 the far pair, then random ones
    rotation: torch.Tensor  # (R, 2, n/2) one random rotation per round
    buckets: torch.Tensor  # (R, P) bucket of each point in each round
    n_buckets: int

    def shared(self, a: int, b: int) -> int:
        """In how many rounds points a and b fell in the same bucket."""
        return int((self.buckets[:, a] == self.buckets[:, b]).sum())


def scatter(n_points: int, n_buckets: int, rounds: int, seed: int) -> Scatter:
    """Unit-length points (a nearby pair, a far pair, the rest at random angles) hashed in `rounds` rounds."""
    if not 4 <= n_points <= MAX_POINTS:
        raise ValueError(f"pick between 4 and {MAX_POINTS} points (the first four are the two pairs)")
    if not 1 <= rounds <= MAX_ROUNDS:
        raise ValueError(f"pick between 1 and {MAX_ROUNDS} rounds")
    generator = torch.Generator().manual_seed(seed)
    start = torch.rand(n_points, generator=generator, dtype=torch.float64) * 2 * math.pi
    angles = torch.cat([start[:1], start[:1] + NEAR_ANGLE, start[1:2], start[1:2] + FAR_ANGLE, start[4:]])
    points = torch.stack([angles.cos(), angles.sin()], dim=-1)  # (P, 2)
    rotation = rotations(n_buckets, rounds, generator)
    return Scatter(points, rotation, hash_2d(points.unsqueeze(0), rotation), n_buckets)


@dataclass(frozen=True)
class CollisionCurve:
    """Measured share of (pair, rotation) trials that collide, per bin of cosine similarity."""

    cosine: torch.Tensor  # (B,) centre of each cosine bin
    rate: torch.Tensor  # (B,) measured collision rate in the bin
    trials: torch.Tensor  # (B,) trials that fell in the bin
    expected: torch.Tensor  # (B,) the closed form averaged over the bin's pairs
    n_buckets: int


def collision_curve(
    n_buckets: int, pairs: int = 2000, rounds: int = 200, bins: int = 10, seed: int = 0
) -> CollisionCurve:
    """Random pairs of 2-D vectors, each hashed under `rounds` fresh rotations; collision rate by cosine."""
    generator = torch.Generator().manual_seed(seed)
    vectors = torch.randn(pairs, 2, 2, generator=generator, dtype=torch.float64)  # (pairs, 2 vectors, 2)
    rotation = rotations(n_buckets, rounds, generator)  # (rounds, 2, n/2)
    buckets = hash_2d(vectors.unsqueeze(1), rotation.unsqueeze(0))  # (pairs, rounds, 2)
    collide = (buckets[..., 0] == buckets[..., 1]).double().mean(-1)  # (pairs,)
    cosine = torch.nn.functional.cosine_similarity(vectors[:, 0], vectors[:, 1], dim=-1).clamp(-1, 1)
    expected = collision_probability(cosine.acos(), n_buckets)
    index = ((cosine + 1) / 2 * bins).long().clamp(max=bins - 1)  # (pairs,) bin of each pair
    count = torch.zeros(bins, dtype=torch.float64).index_add_(0, index, torch.ones_like(cosine))
    safe = count.clamp(min=1)
    rate = torch.zeros(bins, dtype=torch.float64).index_add_(0, index, collide) / safe
    mean_expected = torch.zeros(bins, dtype=torch.float64).index_add_(0, index, expected) / safe
    centres = -1 + (torch.arange(bins, dtype=torch.float64) + 0.5) * 2 / bins
    return CollisionCurve(centres, rate, count * rounds, mean_expected, n_buckets)
