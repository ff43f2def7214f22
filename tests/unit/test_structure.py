"""Figure 1: one body under the pre-training, CoLA and SQuAD heads; each head adds its closed form."""

import pytest

from explorer import models, registry
from explorer.mechanics import structure


@pytest.fixture(scope="module")
def minilm():
    return models.load(registry.family("bert"), "base", online=False)


def test_the_body_is_the_same_and_each_head_adds_its_closed_form(minilm):
    config = minilm.model.config
    h, vocab, layers = config.hidden_size, config.vocab_size, config.num_hidden_layers
    found = {s.head: s for s in structure.structures(config)}
    assert list(found) == ["pretraining", "cls", "qa"]
    body = structure.body_params(minilm.model)
    assert {s.body for s in found.values()} == {body}  # the loaded model's own body, every time
    pooler = h * h + h
    assert found["cls"].pooler == found["pretraining"].pooler == pooler
    assert found["qa"].pooler == 0  # the span head reads every token, not [CLS]
    assert found["cls"].new == h * 2 + 2  # classifier: 2 classes
    assert found["qa"].new == h * 2 + 2  # qa_outputs: a start and an end score
    # MLM transform (dense + LayerNorm), the output bias (decoder weights tied to the embeddings), NSP
    assert found["pretraining"].new == (h * h + h) + 2 * h + vocab + (h * 2 + 2)
    for s in found.values():
        assert s.total == s.body + s.pooler + s.new
        names = [b.name for b in s.blocks]
        assert names[: layers + 1] == ["embeddings", *(f"layer {i}" for i in range(layers))]


def test_a_tiny_config_counts_the_same_way():
    tiny = models.random_model(registry.family("bert"), "base", vocab_size=100).config
    found = {s.head: s for s in structure.structures(tiny)}
    assert found["cls"].new == found["qa"].new == 32 * 2 + 2
    assert found["cls"].body == found["qa"].body == found["pretraining"].body
