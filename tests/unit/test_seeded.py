"""Draws from a generator of the caller's own (explorer.seeded): the same seed, the same numbers, with
torch's global RNG neither read nor moved, and dropout and attention computed as torch computes them."""

import pytest
import torch
import torch.nn.functional as F

from explorer import seeded


def test_a_seed_gives_the_same_draws_and_leaves_the_global_rng_alone():
    before = torch.random.get_rng_state()
    runs = []
    for _ in range(2):
        with seeded.draws(7):
            layer = torch.nn.Linear(8, 8)  # kaiming_uniform_ inside
            runs.append((layer.weight.clone(), torch.randn(3), torch.empty(4).normal_(), torch.randperm(5)))
    assert all(torch.equal(a, b) for a, b in zip(*runs, strict=True))
    assert torch.equal(torch.random.get_rng_state(), before)
    with seeded.draws(8):
        assert not torch.equal(torch.nn.Linear(8, 8).weight, runs[0][0])


def test_a_generator_named_by_the_caller_is_kept():
    with seeded.draws(0):
        mine = torch.randn(4, generator=torch.Generator().manual_seed(1))
    assert torch.equal(mine, torch.randn(4, generator=torch.Generator().manual_seed(1)))


@pytest.mark.parametrize("p", [0.1, 0.5])
def test_dropout_keeps_each_value_with_one_minus_p_and_scales_it_as_torch_does(p):
    ones = torch.ones(20_000)
    with seeded.draws(0):
        first = torch.nn.Dropout(p).train()(ones)
    with seeded.draws(0):
        assert torch.equal(F.dropout(ones, p, training=True), first)
    dropped = (first == 0).float().mean().item()
    assert abs(dropped - p) < 4 * (p * (1 - p) / ones.numel()) ** 0.5  # within 4 standard errors
    assert torch.allclose(first[first != 0], torch.tensor(1 / (1 - p)))
    with seeded.draws(0):
        assert torch.equal(torch.nn.Dropout(p).eval()(ones), ones)


@pytest.mark.parametrize(
    "settings", [{}, {"is_causal": True}, {"scale": 0.7}, {"mask": "bool"}, {"mask": "float"}]
)
def test_attention_with_dropout_is_sdpa_s_own_math_with_the_mask_from_the_stream(settings):
    q, k, v = (torch.randn(2, 3, 5, 4, generator=torch.Generator().manual_seed(i)) for i in range(3))
    kwargs = dict(settings)
    keep = torch.rand(2, 1, 5, 5, generator=torch.Generator().manual_seed(9)) > 0.3
    keep[..., 0] = True  # every query sees a key
    mask = kwargs.pop("mask", None)
    if mask:
        kwargs["attn_mask"] = keep if mask == "bool" else torch.where(keep, 0.0, -1e9)
    with seeded.draws(0) as generator:
        mine = seeded._OwnDraws(generator).attention(q, k, v, dropout_p=0.0, **kwargs)
    assert torch.allclose(mine, F.scaled_dot_product_attention(q, k, v, **kwargs), atol=1e-6)
    outs = []
    for _ in range(2):
        with seeded.draws(0):
            outs.append(F.scaled_dot_product_attention(q, k, v, dropout_p=0.5, **kwargs))
    assert torch.equal(*outs)


def test_the_meta_device_draws_nothing_and_fails_nothing():
    with seeded.draws(0), torch.device("meta"):
        layer = torch.nn.Linear(4, 4)
    assert layer.weight.is_meta
