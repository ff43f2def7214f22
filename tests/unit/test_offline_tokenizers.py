"""roberta-base's and albert-base-v2's real tokenizers, from the files shipped in assets/tokenizers."""

import pytest

from explorer import models, registry


@pytest.fixture(scope="module")
def roberta():
    tok, source = models.load_tokenizer(registry.family("roberta"), online=False)
    assert source.kind == "shipped" and "roberta-base's real BPE files" in source.name
    return tok


@pytest.fixture(scope="module")
def albert():
    tok, source = models.load_tokenizer(registry.family("albert"), online=False)
    assert source.kind == "shipped" and "albert-base-v2's real vocabulary, rebuilt" in source.name
    return tok


def test_roberta_ids_equal_roberta_base_with_the_mask_taking_its_space(roberta):
    ids = roberta("The capital of France is <mask>.")["input_ids"]
    assert ids == [0, 133, 812, 9, 1470, 16, 50264, 4, 2]
    assert 1437 not in ids  # without lstrip a lone space token would appear before <mask>
    assert len(roberta) == 50265 and roberta.mask_token_id == 50264


def test_albert_pieces_and_ids_equal_albert_base(albert):
    assert albert.tokenize("This is a test") == ["▁this", "▁is", "▁a", "▁test"]
    assert albert("The capital of France is [MASK].")["input_ids"] == [2, 14, 1057, 16, 714, 25, 4, 13, 9, 3]
    assert len(albert) == 30000 and albert.mask_token == "[MASK]"


def test_albert_pairs_carry_segment_ids_for_sentence_order_prediction(albert):
    enc = albert("First part.", "Second part.")
    assert set(enc["token_type_ids"]) == {0, 1}


@pytest.mark.parametrize("text", ["Tokenization splits unbelievably rare words.", "Hello, world! 42 times."])
def test_both_round_trip_ordinary_text(roberta, albert, text):
    assert roberta.decode(roberta(text)["input_ids"], skip_special_tokens=True) == text
    assert albert.decode(albert(text)["input_ids"], skip_special_tokens=True) == text.lower()
