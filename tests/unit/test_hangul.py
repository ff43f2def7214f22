"""Korean: jamo, syllables, and the documented NFC / NFD behaviour of each tokenizer."""

import unicodedata

import pytest

from explorer import models, registry
from explorer.tokens.hangul import hangul_split, is_jamo, is_syllable, jamo
from explorer.tokens.text import inspect_text
from explorer.tokens.tokenize import tokenize

NFC = "한국어 문장"
NFD = unicodedata.normalize("NFD", NFC)


@pytest.fixture(scope="module")
def unigram_tokenizer():
    """A Unigram trained on the bundled corpora (Korean included), the stand-in where no files exist."""
    return models.load_tokenizer(registry.family("reformer"), online=False)[0]


@pytest.fixture(scope="module")
def albert_tokenizer():
    return models.load_tokenizer(registry.family("albert"), online=False)[0]


def test_syllables_decompose_into_conjoining_jamo():
    assert jamo("한") == "\u1112\u1161\u11ab"
    assert is_syllable("한") and not is_jamo("한")
    assert all(is_jamo(c) for c in jamo("각")) and is_jamo("ㄱ") and is_jamo("ﾡ")


def test_uncased_wordpiece_covers_korean_with_jamo(bert_tokenizer):
    split = hangul_split(bert_tokenizer, tokenize(bert_tokenizer, "한국", 512))
    assert split.syllables == 2
    assert split.kinds == {"syllables": 0, "jamo": 6, "bytes": 0, "unknown": 0}


def test_byte_level_bpe_covers_korean_with_partial_bytes(gpt2_tokenizer):
    split = hangul_split(gpt2_tokenizer, tokenize(gpt2_tokenizer, "한국", 1024))
    assert split.syllables == 2
    assert split.kinds["bytes"] == split.tokens >= 3
    assert split.tokens_per_syllable > 1


def test_the_unigram_stand_in_keeps_whole_syllables(unigram_tokenizer):
    split = hangul_split(unigram_tokenizer, tokenize(unigram_tokenizer, "한국어 문장", 512))
    assert split.kinds["syllables"] >= 2 and split.kinds["unknown"] == 0


def test_albert_vocabulary_has_no_hangul_so_korean_words_are_unknown(albert_tokenizer):
    split = hangul_split(albert_tokenizer, tokenize(albert_tokenizer, NFC, 512))
    assert split.kinds == {"syllables": 0, "jamo": 0, "bytes": 0, "unknown": 2}


def test_uncased_wordpiece_gives_the_same_pieces_for_nfc_and_nfd(bert_tokenizer):
    # Its normaliser applies NFD and strips combining marks, so both forms meet the same jamo.
    assert tokenize(bert_tokenizer, NFC, 512).ids == tokenize(bert_tokenizer, NFD, 512).ids


def test_sentencepiece_nfkc_gives_the_same_pieces_for_nfc_and_nfd(unigram_tokenizer):
    assert tokenize(unigram_tokenizer, NFC, 512).ids == tokenize(unigram_tokenizer, NFD, 512).ids


def test_byte_level_bpe_splits_nfd_differently_and_keeps_it_exactly(gpt2_tokenizer):
    nfc, nfd = tokenize(gpt2_tokenizer, NFC, 1024), tokenize(gpt2_tokenizer, NFD, 1024)
    assert nfc.ids != nfd.ids
    assert gpt2_tokenizer.decode(nfd.ids) == NFD


def test_half_width_forms_are_reported_and_folded_by_nfkc(unigram_tokenizer, gpt2_tokenizer):
    half, full = "ｱｲｳ ＡＢＣ", "アイウ ABC"
    assert inspect_text(half).n_compat == 6 and inspect_text(full).n_compat == 0
    assert tokenize(unigram_tokenizer, half, 512).ids == tokenize(unigram_tokenizer, full, 512).ids
    assert tokenize(gpt2_tokenizer, half, 1024).ids != tokenize(gpt2_tokenizer, full, 1024).ids


@pytest.mark.pretrained
def test_klue_wordpiece_keeps_korean_syllables():
    tok, source = models.load_tokenizer(registry.family("bert"), "klue/bert-base")
    if source.kind not in {"hub", "cache"}:
        pytest.skip(f"klue/bert-base is not reachable here ({source.reason[:120]})")
    result = tokenize(tok, "한국어 문장입니다", 512)
    assert result.n_unknown == 0
    assert hangul_split(tok, result).kinds["syllables"] == hangul_split(tok, result).tokens
    assert tok.decode(result.ids, skip_special_tokens=True).replace(" ", "") == "한국어문장입니다"
