"""Training WordPiece, byte-level BPE and Unigram tokenizers live on the bundled corpora."""

import pytest

from explorer.tokens import corpus
from explorer.tokens.tokenize import ALGORITHMS, cut_long_words, tokenize, train_tokenizer


@pytest.fixture(scope="module")
def english():
    return corpus.bundled("en")


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_training_gives_a_working_tokenizer(english, algorithm):
    trained = train_tokenizer(algorithm, english.lines, 600, english.name)
    assert 100 < trained.vocab_size <= 600
    assert trained.learned
    result = tokenize(trained.tokenizer, "the tokenizer learns pieces", 512)
    assert len(result.tokens) > 3


def test_bpe_merges_are_in_the_vocabulary_in_order(english):
    trained = train_tokenizer("bpe", english.lines, 400)
    vocab = trained.tokenizer.get_vocab()
    merged = ["".join(merge.split(" ")) for merge in trained.learned]
    assert all(piece in vocab for piece in merged)
    assert [vocab[piece] for piece in merged] == sorted(vocab[piece] for piece in merged)


def test_trained_bpe_round_trips_korean(english):
    trained = train_tokenizer("bpe", english.lines, 400)
    text = "토큰화 test"
    assert trained.tokenizer.decode(tokenize(trained.tokenizer, text, 512).ids) == text


def test_a_bigger_vocabulary_gives_fewer_tokens(english):
    text = "Tokenization splits unbelievably rare words into subword pieces."
    counts = [
        len(tokenize(train_tokenizer("wordpiece", english.lines, size).tokenizer, text, 512).tokens)
        for size in (200, 1000)
    ]
    assert counts[1] < counts[0]


def test_wordpiece_trained_on_korean_keeps_syllables():
    korean = corpus.bundled("ko")
    trained = train_tokenizer("wordpiece", korean.lines, 2000)
    pieces = tokenize(trained.tokenizer, "한국어 토크나이저", 512).pieces
    assert "[UNK]" not in pieces
    assert any("\uac00" <= ch <= "\ud7a3" for piece in pieces for ch in piece)


@pytest.mark.parametrize(("lines", "vocab"), [([], 500), (["   ", ""], 500), (["some text"], 10)])
def test_training_refuses_bad_input(lines, vocab):
    with pytest.raises(ValueError):
        train_tokenizer("bpe", lines, vocab)


def test_a_size_the_trainer_refuses_is_a_value_error_with_its_reason():
    """Unigram needs a piece for every character: 100 pieces cannot hold the Korean sample's syllables.
    The Rust trainer raised a bare Exception, which the page's sweep did not expect."""
    with pytest.raises(ValueError, match="not large enough"):
        train_tokenizer("unigram", corpus.bundled("ko").lines, 100)


def test_unknown_algorithm_is_refused(english):
    with pytest.raises(ValueError, match="unknown algorithm"):
        train_tokenizer("morfessor", english.lines, 500)


def test_a_run_without_spaces_is_cut_into_words_before_training():
    assert cut_long_words("ab cdefg h", 3) == "ab cde fg h"
    assert cut_long_words("short words stay", 1000) == "short words stay"
    trained = train_tokenizer("wordpiece", ["x" * 2500 + " " + "ab" * 10], 100)  # a 2,500-letter word
    assert max(len(piece.removeprefix("##")) for piece in trained.tokenizer.get_vocab()) <= 1000
