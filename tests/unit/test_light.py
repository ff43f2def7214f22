"""The chapter's three ways to make a model light: int8 quantization, magnitude pruning, distillation."""

import pytest
import torch

from explorer import models, registry
from explorer.families.distilbert import light

TEXT = "The river bank was muddy after the long rain, so we walked along the road instead."


@pytest.fixture(scope="module")
def teacher(bert_tokenizer):
    return models.random_model(registry.family("bert"), "mlm", len(bert_tokenizer)).eval()


def test_the_int8_model_is_smaller_than_the_float_one(teacher):
    int8 = light.quantized(teacher)
    assert light.serialized_bytes(int8) < light.serialized_bytes(teacher)
    assert type(int8.bert.encoder.layer[0].intermediate.dense).__name__ == "Linear"  # the quantized kind
    assert "quantized" in type(int8.bert.encoder.layer[0].intermediate.dense).__module__
    assert isinstance(teacher.bert.encoder.layer[0].intermediate.dense.weight, torch.nn.Parameter)  # a copy


@pytest.mark.parametrize("amount", [0.2, 0.5, 0.8])
def test_pruning_at_amount_p_leaves_p_of_the_pruned_weights_zero(teacher, amount):
    before = {name: p.clone() for name, p in teacher.state_dict().items()}
    pruned = light.pruned(teacher, amount)
    assert light.zero_share(pruned) == pytest.approx(amount, abs=1e-3)
    assert not any(
        "weight_orig" in name or "weight_mask" in name for name in pruned.state_dict()
    )  # permanent
    head = pruned.cls.predictions.transform.dense.weight
    assert (head != 0).all()  # the masked-LM head is left whole
    assert all(
        torch.equal(before[name], p) for name, p in teacher.state_dict().items()
    )  # the original untouched


def test_three_lighter_copies_measured_against_the_original(teacher, bert_tokenizer):
    result = light.lighten(teacher, bert_tokenizer, TEXT, 0.3, head=True)
    assert [v.line for v in result.variants] == list(light.LINES)
    original, int8 = result.variant("original"), result.variant("int8")
    assert original.cosine == pytest.approx(1.0, abs=1e-5) and original.top1 == 1.0
    for v in result.variants:
        assert 0 < v.cosine <= 1 + 1e-6
        assert v.top1 is None or 0 <= v.top1 <= 1
        assert v.seconds > 0
    assert int8.size_bytes < original.size_bytes
    assert result.variant("pruned").zero_share == pytest.approx(0.3, abs=1e-3)
    assert result.variant("distilled").layers == original.layers // 2
    assert result.masked >= 1


def test_without_a_trained_head_the_guesses_are_not_compared(teacher, bert_tokenizer):
    result = light.lighten(teacher, bert_tokenizer, TEXT, 0.3, head=False)
    assert all(v.top1 is None for v in result.variants)


def test_a_text_with_nothing_to_mask_is_refused(teacher, bert_tokenizer):
    with pytest.raises(ValueError, match="no token to mask"):
        light.lighten(teacher, bert_tokenizer, "", 0.3, head=True)
