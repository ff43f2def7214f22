"""Parameter counts: measured on models built from the real configs, equal to the closed forms."""

import pytest
import torch

from explorer import models, registry
from explorer.mechanics import params

BERT_BASE, ALBERT_BASE, ALBERT_UNSHARED, DISTILBERT_BASE = 109_482_240, 11_683_584, 89_650_176, 66_362_880


def test_published_counts_are_exact():
    assert params.reference_count("bert-base-uncased").total == BERT_BASE
    assert params.reference_count("albert-base-v2").total == ALBERT_BASE
    assert params.reference_count("albert-base-v2", shared=False).total == ALBERT_UNSHARED
    assert params.reference_count("distilbert-base-uncased").total == DISTILBERT_BASE


@pytest.mark.parametrize("name", list(registry.REFERENCE_MODELS))
def test_components_add_up_to_the_numel_sum(name):
    model = params.build(registry.REFERENCE_MODELS[name])
    count = params.count_params(model, name)
    assert count.total == sum(p.numel() for p in model.parameters())
    assert sum(n for _, n in count.parts) == count.total


@pytest.mark.parametrize(
    ("name", "hidden", "layers", "intermediate"),
    [("bert-base-uncased", 768, 12, 3072), ("bert-large-uncased", 1024, 24, 4096)],
)
def test_bert_counts_equal_the_closed_form(name, hidden, layers, intermediate):
    assert params.reference_count(name).total == params.bert_params(30522, hidden, layers, intermediate)


@pytest.mark.parametrize(
    ("name", "hidden", "intermediate", "layers"),
    [
        ("albert-base-v2", 768, 3072, 12),
        ("albert-large-v2", 1024, 4096, 24),
        ("albert-xlarge-v2", 2048, 8192, 24),
        ("albert-xxlarge-v2", 4096, 16384, 12),
    ],
)
def test_albert_counts_equal_the_closed_form_with_and_without_sharing(name, hidden, intermediate, layers):
    assert params.reference_count(name).total == params.albert_params(30000, 128, hidden, intermediate)
    unshared = params.albert_params(30000, 128, hidden, intermediate, groups=layers)
    assert params.reference_count(name, shared=False).total == unshared


def test_albert_projection_is_e_times_h_plus_bias():
    assert params.reference_count("albert-base-v2").part("projection") == 128 * 768 + 768
    assert params.reference_count("bert-base-uncased").part("projection") == 0


def test_factorization_saving():
    result = params.factorize(30000, 128, 768)
    assert result.full == 30000 * 768
    assert result.factorized == 30000 * 128 + 128 * 768
    assert result.saving == pytest.approx(1 - result.factorized / result.full)
    assert params.factorize(100, 200, 50).saving < 0  # E larger than H costs parameters
    with pytest.raises(ValueError):
        params.factorize(0, 128, 768)


def test_heads_are_counted_apart_from_the_encoder():
    model = models.random_model(registry.family("albert"), "pretraining", vocab_size=100)
    count = params.count_params(model, "tiny")
    assert count.part("heads") > 0
    assert count.total == sum(p.numel() for p in model.parameters())
    assert count.part("embeddings") == (100 + 512 + 2) * 16 + 2 * 16


def test_counting_needs_no_memory():
    model = params.build(registry.REFERENCE_MODELS["albert-xxlarge-v2"])
    assert next(model.parameters()).device == torch.device("meta")
