"""Figure 15: the race against compute. An RTD step costs the discriminator's step plus the generator's."""

import pytest
import torch

from explorer.training import mlm_data, race_compute, rtd_race

VOCAB = 200


def _data() -> mlm_data.TokenRows:
    rows = tuple((1, *(5 + (i + j) % 50 for j in range(6 + i % 4)), 2) for i in range(40))
    return mlm_data.TokenRows(rows, None, VOCAB, 0, 3, frozenset({0, 1, 2}))


def _linear_weights(model) -> int:
    return sum(m.weight.numel() for m in model.modules() if isinstance(m, torch.nn.Linear))


@pytest.mark.parametrize("share", [0.25, 0.5, 1.0])
def test_the_closed_form_counts_the_built_models(share):
    config = rtd_race.RaceConfig(hidden=64, layers=2, generator_share=share)
    mlm, generator, discriminator = rtd_race.build_models(_data(), config)
    found = race_compute.race_compute(config, VOCAB)
    assert found.mlm == _linear_weights(mlm)
    assert found.generator == _linear_weights(generator)
    assert found.discriminator == _linear_weights(discriminator)


def test_an_rtd_step_costs_more_by_exactly_the_generators_share():
    config = rtd_race.RaceConfig(hidden=64, layers=2, generator_share=0.5)  # generator 32 wide
    found = race_compute.race_compute(config, VOCAB)
    h, g, layers = 64, 32, 2
    generator = layers * (4 * g * g + 2 * g * 4 * g) + h * g + g * h + h * VOCAB  # by hand from its config
    # the discriminator is MLM's encoder with a one-score head (h x h + h x 1) where MLM has the
    # vocabulary's (h x h + h x V): the generator's share, less the vocabulary projection RTD skips
    head_saving = h * VOCAB - h
    tokens = 16 * 32
    extra = found.step_flops("rtd", tokens) - found.step_flops("mlm", tokens)
    assert extra == 6 * tokens * (generator - head_saving)
    assert found.step_flops("rtd", tokens) == 6 * tokens * (found.discriminator + generator)


def test_each_race_step_records_the_tokens_it_read():
    config = rtd_race.RaceConfig(hidden=16, layers=1, steps=2, batch_size=4, max_length=16)
    race = rtd_race.RtdRace(_data(), config)
    race.train_step()
    widths = [len(r) for r in _data().rows]
    assert 4 * min(widths) <= race.history[0].tokens <= 4 * max(widths)
    assert race.history[0].tokens % 4 == 0
