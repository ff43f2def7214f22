"""Attention computed step by step (Figure 21) matches the real model's own numbers for that head."""

import numpy as np
import pytest
import torch

from explorer import models, registry
from explorer.mechanics.attention_steps import attention_steps, block_output


@pytest.fixture(scope="module")
def minilm():
    return models.load(registry.family("bert"), "base", online=False)


def _model_outputs(loaded, text: str, pair: str | None, layer: int):
    """The model's own attention probabilities and attention-block output for one layer, eager."""
    batch = loaded.tokenizer(text, pair, return_tensors="pt")
    with torch.inference_mode():
        out = loaded.model(**batch, output_attentions=True, output_hidden_states=True)
    return out.attentions[layer][0].numpy(), out.hidden_states[layer][0]


@pytest.mark.parametrize(("layer", "head"), [(0, 0), (3, 7), (5, 11)])
def test_step_by_step_softmax_equals_the_models_attention(minilm, layer, head):
    text, pair = "The bank of the river.", "I opened an account."
    steps = attention_steps(minilm.model, minilm.tokenizer, text, pair, layer, head)
    probs, _ = _model_outputs(minilm, text, pair, layer)
    assert steps.probs.shape == probs[head].shape == (len(steps.tokens),) * 2
    assert np.abs(steps.probs - probs[head]).max() < 1e-5
    assert steps.probs_error < 1e-5 and steps.context_error < 1e-5
    assert np.allclose(steps.probs.sum(-1), 1.0, atol=1e-5)
    assert np.all(steps.mask == 0.0)  # one unpadded input: BERT hides nothing


def test_every_heads_context_through_the_output_projection_is_the_attention_block(minilm):
    steps = attention_steps(minilm.model, minilm.tokenizer, "Attention, step by step.", None, 2, 0)
    assert steps.block_error < 1e-5
    # the same by hand: concatenated heads -> dense -> + X -> LayerNorm, against the next sub-block's input
    layer = minilm.model.encoder.layer[2]
    block = block_output(layer, torch.from_numpy(steps.all_context), torch.from_numpy(steps.x))
    with torch.inference_mode():
        expected = layer.attention(torch.from_numpy(steps.x)[None])[0][0]
    assert torch.allclose(block, expected, atol=1e-5)


def test_a_bad_layer_or_head_is_refused_with_the_range(minilm):
    with pytest.raises(ValueError, match="layer 6 is out of range 0-5"):
        attention_steps(minilm.model, minilm.tokenizer, "text", None, 6, 0)
    with pytest.raises(ValueError, match="head 12 is out of range 0-11"):
        attention_steps(minilm.model, minilm.tokenizer, "text", None, 0, 12)
