"""Reformer readings hash with rotations of their own seed, exactly as the model would, and leave
torch's process-wide RNG as it was (issue #20: seeded results never touch the global RNG)."""

import numpy as np
import pytest
import torch

from explorer.families.reformer import lsh, lsh_reading
from tests.unit.test_lsh import ids, tiny_reformer


@pytest.mark.parametrize("buckets", [4, [2, 4]])
def test_buckets_are_the_models_own_hashing_with_the_seeds_rotations(buckets):
    model = tiny_reformer(num_buckets=buckets, num_hashes=2)
    attention = model.encoder.layers[1].attention.self_attention
    vectors = torch.randn(1, 4, 64, 8, generator=torch.Generator().manual_seed(3))
    ours = lsh_reading.hash_buckets(attention, vectors, 2, torch.Generator().manual_seed(7))
    torch.manual_seed(7)  # the model draws the same rotations from the global RNG seeded alike
    assert torch.equal(ours, attention._hash_vectors(vectors, 2, None))


def test_padding_gets_a_bucket_of_its_own_as_in_the_model():
    model = tiny_reformer()
    attention = model.encoder.layers[1].attention.self_attention
    vectors = torch.randn(1, 4, 64, 8, generator=torch.Generator().manual_seed(3))
    mask = torch.ones(1, 64, dtype=torch.long)
    mask[0, 50:] = 0
    ours = lsh_reading.hash_buckets(attention, vectors, 1, torch.Generator().manual_seed(7), mask)
    torch.manual_seed(7)
    assert torch.equal(ours, attention._hash_vectors(vectors, 1, mask))


def test_a_reading_is_the_models_own_reading_and_leaves_the_global_rng_as_it_was(monkeypatch):
    model = tiny_reformer(attn_layers=["lsh", "lsh"], num_hashes=2)
    torch.manual_seed(5)
    expected = lsh.read_lsh(model, ids(64), layer=1)  # both layers' rotations from the global RNG
    torch.manual_seed(123)
    before = torch.get_rng_state()
    for name in ("manual_seed", "seed"):  # a reading must not reseed the process's generator
        monkeypatch.setattr(torch, name, lambda *a, name=name: pytest.fail(f"torch.{name} called"))
        monkeypatch.setattr(
            torch.random, name, lambda *a, name=name: pytest.fail(f"torch.random.{name} called")
        )
    reading = lsh_reading.read(model, ids(64), layer=1, seed=5)
    assert torch.equal(torch.get_rng_state(), before)
    assert np.array_equal(reading.buckets, expected.buckets)
    assert np.allclose(reading.maps, expected.maps)
    again = lsh_reading.read(model, ids(64), layer=1, seed=5)
    assert np.array_equal(again.buckets, reading.buckets)  # the same seed, the same reading
    assert not np.array_equal(lsh_reading.read(model, ids(64), layer=1, seed=6).buckets, reading.buckets)
