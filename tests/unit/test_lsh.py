"""Reformer: LSH buckets and chunks, the real model's chunked attention as T x T, reversible layers."""

import numpy as np
import pytest
import torch

from explorer import registry
from explorer.families.reformer import lsh, reversible

TINY = {**registry.family("reformer").tiny, "vocab_size": 100}


def tiny_reformer(**overrides):
    from transformers import ReformerConfig, ReformerModel

    torch.manual_seed(0)
    return ReformerModel(ReformerConfig(**{**TINY, **overrides}, attn_implementation="eager")).eval()


def ids(length: int) -> torch.Tensor:
    return torch.randint(0, 100, (1, length), generator=torch.Generator().manual_seed(1))


def test_every_token_lands_in_exactly_one_bucket_per_round():
    steps = lsh.hash_steps(torch.randn(64, 8), n_buckets=8, rounds=3, chunk=16)
    assert steps.buckets.shape == (3, 64)
    assert ((steps.buckets >= 0) & (steps.buckets < 8)).all()
    for order in steps.order:  # the sort is a permutation: each token once
        assert sorted(order.tolist()) == list(range(64))


def test_sorted_order_groups_buckets_and_keeps_positions_within_one():
    buckets = torch.tensor([1, 0, 1, 0, 2, 0])
    assert lsh.sorted_order(buckets).tolist() == [1, 3, 5, 0, 2, 4]


def test_sorted_chunks_attend_only_within_their_chunk_and_the_one_before():
    steps = lsh.hash_steps(torch.randn(64, 8), n_buckets=4, rounds=1, chunk=16, causal=False)
    order = steps.order[0]
    in_sorted = steps.allowed[0][np.ix_(order, order)]  # rows and columns in sorted order
    chunk_of = np.arange(64) // 16
    allowed_chunks = (chunk_of[:, None] == chunk_of[None, :]) | (
        (chunk_of[:, None] - 1) % 4 == chunk_of[None, :]
    )
    assert np.array_equal(in_sorted, allowed_chunks)


def test_causal_steps_never_look_ahead():
    steps = lsh.hash_steps(torch.randn(32, 8), n_buckets=4, rounds=2, chunk=8)
    assert not np.triu(steps.union, 1).any()


@pytest.mark.parametrize(
    ("buckets", "rounds", "length", "message"),
    [
        (1, 1, 64, "buckets come in pairs"),
        (7, 1, 64, "buckets come in pairs"),
        (10_000, 1, 64, "more than 1,024"),
        (4, 0, 64, "between 1 and 8"),
        (4, 1, 60, "not a multiple of the chunk length"),
    ],
)
def test_bad_hash_settings_are_refused_in_words(buckets, rounds, length, message):
    with pytest.raises(lsh.HashError, match=message):
        lsh.hash_steps(torch.randn(length, 8), buckets, rounds, chunk=16)


@pytest.mark.parametrize("rounds", [1, 2])
def test_reassembled_rows_sum_to_one_over_allowed_positions(rounds):
    model = tiny_reformer(num_hashes=rounds)
    reading = lsh.read_lsh(model, ids(64), layer=1)
    assert reading.maps.shape == (4, rounds, 64, 64)
    inside = (reading.maps * reading.allowed).sum(-1)
    assert np.allclose(inside, 1, atol=1e-5)
    assert np.abs(reading.maps * ~reading.allowed).max() == 0
    assert ((reading.buckets >= 0) & (reading.buckets < 4)).all()


def test_reassembled_map_times_values_is_the_layer_output():
    model = tiny_reformer()
    box = {}
    attention = model.encoder.layers[1].attention.self_attention
    handle = attention.register_forward_hook(
        lambda m, a, kw, out: box.update(h=kw["hidden_states"], out=out.hidden_states), with_kwargs=True
    )
    reading = lsh.read_lsh(model, ids(64), layer=1)
    handle.remove()
    with torch.no_grad():
        values = attention.value(box["h"])[0].view(64, 4, 8).transpose(0, 1)  # (H, T, d)
        rebuilt = torch.from_numpy(reading.maps[:, 0]) @ values  # one round: (H, T, d)
    assert torch.allclose(rebuilt.transpose(0, 1).reshape(64, 32), box["out"][0], atol=1e-5)


def test_reversible_layer_rebuilds_its_inputs_from_its_outputs():
    model = reversible.build_memory_model(128, "lsh", layers=1).eval()
    x1, x2 = torch.randn(1, 128, 256), torch.randn(1, 128, 256)
    check = reversible.reconstruct(model.encoder.layers[0], x1, x2)
    assert check.max_error_x1 < 1e-5 and check.max_error_x2 < 1e-5


def test_ordinary_residuals_compute_the_same_output_as_reversible_layers():
    model = reversible.build_memory_model(128, "full_eager", layers=2)
    tokens = torch.randint(0, 320, (1, 128))
    with torch.no_grad():
        rev = model(input_ids=tokens).last_hidden_state
        ordinary = reversible.ordinary_forward(model, tokens)
    assert torch.allclose(rev, ordinary, atol=1e-5)


def test_full_eager_and_sdpa_attention_agree():
    eager = reversible.build_memory_model(128, "full_eager", layers=2).eval()
    sdpa = reversible.build_memory_model(128, "full_sdpa", layers=2).eval()
    tokens = torch.randint(0, 320, (1, 128))
    with torch.no_grad():
        assert torch.allclose(
            eager(input_ids=tokens).last_hidden_state, sdpa(input_ids=tokens).last_hidden_state, atol=1e-4
        )


def test_memory_config_refuses_lengths_the_chunks_cannot_hold():
    with pytest.raises(ValueError, match="multiple of the chunk length 64"):
        reversible.memory_config(1000)
