"""Input embeddings, masking 80/10/10, MLM predictions, NSP pairs, projections."""

import numpy as np
import pytest
import torch

from explorer import models, registry
from explorer.mechanics import embeddings, masking, pretraining


@pytest.fixture(scope="module")
def minilm():
    return models.load(registry.family("bert"), "base", online=False)


@pytest.fixture(scope="module")
def tiny_pretraining():
    return models.load(registry.family("bert"), "pretraining", online=False)


def test_the_embedding_sum_equals_the_models_own_layernorm_input(minilm):
    parts = embeddings.input_embeddings(minilm.model, minilm.tokenizer, "The bank.", "A river.")
    own = embeddings.layernorm_input(minilm.model, minilm.tokenizer, "The bank.", "A river.")
    assert np.allclose(parts.total, parts.token + parts.segment + parts.position)
    assert np.allclose(parts.total, own, atol=1e-6)
    assert parts.segments == (0, 0, 0, 0, 0, 1, 1, 1, 1)  # [CLS] the bank . [SEP] | a river . [SEP]
    with torch.inference_mode():
        batch = minilm.tokenizer("The bank.", "A river.", return_tensors="pt")
        out = minilm.model.embeddings(input_ids=batch["input_ids"], token_type_ids=batch["token_type_ids"])
    assert np.allclose(parts.normalized, out[0].numpy(), atol=1e-5)


def test_masking_rates_over_many_seeds():
    ids = list(range(1000, 1100))
    special = [True] + [False] * 98 + [True]
    counts = {masking.MASK: 0, masking.RANDOM: 0, masking.KEEP: 0}
    chosen, drawn = 0, []
    for seed in range(300):
        result = masking.corrupt(ids, special, 103, 30522, torch.Generator().manual_seed(seed))
        assert result.action[0] is None and result.action[-1] is None  # specials never chosen
        for action, before, after, label in zip(
            result.action, ids, result.input_ids, result.labels, strict=True
        ):
            if action is None:
                assert after == before and label == -100
            else:
                chosen += 1
                counts[action] += 1
                assert label == before
                if action == masking.RANDOM:
                    drawn.append(after)
                else:
                    assert after == (103 if action == masking.MASK else before)
    assert chosen / (300 * 98) == pytest.approx(0.15, abs=0.01)
    assert counts[masking.MASK] / chosen == pytest.approx(0.8, abs=0.02)
    assert counts[masking.RANDOM] / chosen == pytest.approx(0.1, abs=0.02)
    assert counts[masking.KEEP] / chosen == pytest.approx(0.1, abs=0.02)
    # A random replacement is drawn from the whole vocabulary, not from the sentence: uniform over
    # [0, 30522) has mean 15,260 and puts 100 / 30,522 = 0.3% of draws on the sentence's own ids.
    assert all(0 <= a < 30522 for a in drawn)
    assert np.mean(drawn) == pytest.approx(30521 / 2, abs=1500)
    assert sum(1000 <= a < 1100 for a in drawn) / len(drawn) < 0.02


def test_the_seed_alone_decides_the_corruption():
    ids, special = list(range(50)), [False] * 50
    first = masking.corrupt(ids, special, 1, 100, torch.Generator().manual_seed(7))
    assert first == masking.corrupt(ids, special, 1, 100, torch.Generator().manual_seed(7))
    assert first != masking.corrupt(ids, special, 1, 100, torch.Generator().manual_seed(8))


def test_mlm_top1_is_the_argmax_of_the_logits(tiny_pretraining):
    tok = tiny_pretraining.tokenizer
    result = pretraining.predict_masks(tiny_pretraining.model, tok, "the [MASK] sat on the [MASK] .", k=3)
    assert [p.position for p in result.predictions] == [2, 6]
    top1 = [tok.convert_tokens_to_ids(p.candidates[0][0]) for p in result.predictions]
    assert top1 == list(result.logits_argmax)
    batch = tok("the [MASK] sat on the [MASK] .", return_tensors="pt")
    with torch.inference_mode():
        logits = tiny_pretraining.model(**batch).prediction_logits[0]  # (T, V)
    for prediction in result.predictions:
        by_hand = logits[prediction.position].softmax(-1).topk(3)
        assert [t for t, _ in prediction.candidates] == tok.convert_ids_to_tokens(by_hand.indices.tolist())
        assert [p for _, p in prediction.candidates] == pytest.approx(by_hand.values.tolist(), abs=1e-6)


def test_mlm_probabilities_over_the_whole_vocabulary_sum_to_one(tiny_pretraining):
    tok = tiny_pretraining.tokenizer
    result = pretraining.predict_masks(tiny_pretraining.model, tok, "a [MASK] day", k=len(tok))
    (prediction,) = result.predictions
    assert len(prediction.candidates) == len(tok)
    assert sum(p for _, p in prediction.candidates) == pytest.approx(1.0, abs=1e-4)


def _obvious(bert_tokenizer, head: str):
    """Tiny random BERT pre-training heads on the real MiniLM vocabulary, to be given an obvious answer."""
    return models.random_model(registry.family("bert"), head, len(bert_tokenizer)).eval()


def test_a_token_the_head_strongly_prefers_wins_every_mask_by_its_real_name(bert_tokenizer):
    model = _obvious(bert_tokenizer, "pretraining")
    paris = bert_tokenizer.convert_tokens_to_ids("paris")
    with torch.no_grad():
        model.cls.predictions.decoder.bias[paris] += 30.0  # e^30 outweighs the rest of the vocabulary
    result = pretraining.predict_masks(model, bert_tokenizer, "the capital of france is [MASK] [MASK] .")
    assert [p.candidates[0][0] for p in result.predictions] == ["paris", "paris"]
    assert all(p.candidates[0][1] > 0.999 for p in result.predictions)


def test_mlm_without_a_mask_is_a_clear_error(tiny_pretraining):
    with pytest.raises(ValueError, match=r"no \[MASK\]"):
        pretraining.predict_masks(tiny_pretraining.model, tiny_pretraining.tokenizer, "nothing masked")


def test_fifty_masks_are_all_predicted(tiny_pretraining):
    text = " ".join(["[MASK]"] * 50)
    result = pretraining.predict_masks(tiny_pretraining.model, tiny_pretraining.tokenizer, text, k=2)
    assert len(result.predictions) == 50


def test_clicked_positions_become_masks(minilm):
    text = "the bank of the river"
    assert pretraining.mask_positions(minilm.tokenizer, text, [2, 5]) == "the [MASK] of the [MASK]"


def test_nsp_probability_is_the_softmax_of_class_zero_isnext(tiny_pretraining, bert_tokenizer):
    tok = tiny_pretraining.tokenizer
    p = pretraining.is_next_probability(tiny_pretraining.model, tok, "A cat.", "It sat.")
    with torch.inference_mode():
        logits = tiny_pretraining.model(
            **tok("A cat.", "It sat.", return_tensors="pt")
        ).seq_relationship_logits
    assert p == pytest.approx(float(logits[0].softmax(-1)[0]), abs=1e-6)
    model = _obvious(bert_tokenizer, "pretraining")
    for bias, expected in (([20.0, -20.0], 1.0), ([-20.0, 20.0], 0.0)):  # class 0 is IsNext in BERT
        with torch.no_grad():
            model.cls.seq_relationship.bias.copy_(torch.tensor(bias))
        p = pretraining.is_next_probability(model, bert_tokenizer, "A cat.", "It sat.")
        assert p == pytest.approx(expected, abs=1e-6)
    with pytest.raises(ValueError):
        pretraining.is_next_probability(tiny_pretraining.model, tiny_pretraining.tokenizer, "A cat.", "  ")


def test_nsp_pairs_are_half_real_half_random():
    document = [f"Sentence {i}." for i in range(41)]
    other = [f"Other {i}." for i in range(20)]
    real = 0
    for seed in range(50):
        for pair in pretraining.nsp_pairs(document, other, torch.Generator().manual_seed(seed)):
            index = document.index(pair.first)
            if pair.is_next:
                real += 1
                assert pair.second == document[index + 1]
            else:
                assert pair.second in other
    assert real / (50 * 40) == pytest.approx(0.5, abs=0.03)


def test_sentences_are_split_at_their_ends():
    assert pretraining.split_sentences("One. Two!\nThree? 네 번째입니다.") == [
        "One.",
        "Two!",
        "Three?",
        "네 번째입니다.",
    ]


def test_context_separates_the_two_senses_of_bank(minilm):
    sentences = ["He sat on the river bank.", "She put money in the bank.", "The muddy bank of the river."]
    layer = minilm.model.config.num_hidden_layers
    vectors = embeddings.token_vectors(minilm.model, minilm.tokenizer, sentences, layer)
    banks = [i for i, tok in enumerate(vectors.tokens) if tok == "bank"]
    river, money, muddy = (vectors.vectors[i] for i in banks)
    cos = lambda a, b: float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))  # noqa: E731
    assert cos(river, muddy) > cos(river, money)
    static = embeddings.token_vectors(minilm.model, minilm.tokenizer, sentences, 0)
    assert static.vectors.shape == vectors.vectors.shape
    points, ratios = embeddings.pca_2d(vectors.vectors)
    assert points.shape == (len(vectors.tokens), 2) and ratios[0] >= ratios[1]


def test_a_huge_typed_document_gives_the_pair_pages_a_bounded_number_of_sentences():
    from explorer.mechanics import pretraining as p

    sentences = p.document_sentences("가나 abc. " * 12_500)  # 100,000 characters: 12,500 sentences
    assert 0 < len(sentences) <= p.DOCUMENT_SENTENCES
