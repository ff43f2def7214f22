"""The causal-LM pieces: the mask, sampling filters, and the shifted-label loss."""

import numpy as np
import pytest
import torch

from explorer import models, registry
from explorer.mechanics import generate


@pytest.fixture(scope="module")
def tiny_gpt():
    family = registry.family("gpt2")
    tok, _ = models.load_tokenizer(family, online=False)
    return models.random_model(family, "lm", len(tok)).eval(), tok


def test_the_causal_mask_is_lower_triangular():
    mask = generate.causal_mask(4)
    assert mask.tolist() == [[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]]


def test_top_k_keeps_k_tokens_and_top_p_the_smallest_nucleus():
    logits = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    assert (generate.filtered_probs(logits, 1.0, 2, 1.0) > 0).tolist() == [True, True, False, False]
    assert (generate.filtered_probs(logits, 1.0, 0, 0.7) > 0).tolist() == [True, True, False, False]
    assert (generate.filtered_probs(logits, 1.0, 0, 0.5) > 0).tolist() == [True, False, False, False]
    kept = generate.filtered_probs(logits, 1.0, 0, 1.0)
    assert torch.allclose(kept, logits.softmax(-1))
    assert float(generate.filtered_probs(logits, 1.0, 3, 0.9).sum()) == pytest.approx(1.0)


def test_temperature_sharpens_and_flattens():
    logits = torch.tensor([2.0, 1.0, 0.0])
    cold, hot = generate.filtered_probs(logits, 0.5, 0, 1.0), generate.filtered_probs(logits, 2.0, 0, 1.0)
    assert cold[0] > logits.softmax(-1)[0] > hot[0]
    with pytest.raises(ValueError):
        generate.filtered_probs(logits, 0.0, 0, 1.0)


def test_sampling_is_reproducible_with_a_seed():
    logits = torch.randn(100, generator=torch.Generator().manual_seed(0))
    draws = [generate.sample(logits, 1.0, 0, 1.0, torch.Generator().manual_seed(3)) for _ in range(2)]
    assert draws[0] == draws[1]


def test_labels_are_the_inputs_shifted_by_one(tiny_gpt):
    model, tok = tiny_gpt
    text = "the cat sat on the mat"
    result = generate.token_losses(model, tok, text)
    assert result.inputs[1:] == result.targets[:-1]
    ids = tok(text, return_tensors="pt")["input_ids"]
    with torch.inference_mode():
        expected = model(ids, labels=ids).loss.item()
    assert result.mean == pytest.approx(expected, rel=1e-5)


def test_next_token_and_attention_of_the_last_position(tiny_gpt):
    model, tok = tiny_gpt
    ids = tok("hello world")["input_ids"]
    result = generate.next_token(model, tok, ids, k=5)
    probs = [p for _, p in result.candidates]
    assert probs == sorted(probs, reverse=True)
    rows = generate.last_row_attention(model, ids)
    assert rows.shape == (2, 4, len(ids))
    assert np.allclose(rows.sum(-1), 1.0, atol=1e-5)
    with pytest.raises(ValueError):
        generate.next_token(model, tok, [], k=5)
    with pytest.raises(ValueError):
        generate.token_losses(model, tok, "a")
