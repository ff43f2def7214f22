"""Facts about tokenization with the real bert-base-uncased WordPiece and GPT-2 BPE files."""

import pytest

from explorer.tokens.tokenize import readable, segments, tokenize

SENTENCE = "Hello, world! Tokenization is fun."


def test_wordpiece_pieces_and_ids_of_a_known_sentence(bert_tokenizer):
    result = tokenize(bert_tokenizer, SENTENCE, 512)
    assert result.pieces == [
        "[CLS]",
        "hello",
        ",",
        "world",
        "!",
        "token",
        "##ization",
        "is",
        "fun",
        ".",
        "[SEP]",
    ]
    assert result.ids == [101, 7592, 1010, 2088, 999, 19204, 3989, 2003, 4569, 1012, 102]
    assert [t.special for t in result.tokens] == [True] + [False] * 9 + [True]


def test_wordpiece_offsets_point_at_the_text_of_each_piece(bert_tokenizer):
    result = tokenize(bert_tokenizer, SENTENCE, 512)
    for token in result.tokens:
        if not token.special:
            assert SENTENCE[token.start : token.end].lower() == token.piece.removeprefix("##")


def test_bpe_ids_of_a_known_text(gpt2_tokenizer):
    assert tokenize(gpt2_tokenizer, "Hello world", 1024).ids == [15496, 995]
    assert tokenize(gpt2_tokenizer, "Hello world", 1024).pieces == ["Hello", "Ġworld"]


@pytest.mark.parametrize(
    "text",
    [
        SENTENCE,
        "한국어 문장을 토큰화합니다.",
        "emoji 🤗👍🏽 ok",
        "مرحبا بالعالم",
        "a\u200bb\x07c",
        "<script>x</script>",
    ],
)
def test_bpe_round_trips_any_text(gpt2_tokenizer, text):
    result = tokenize(gpt2_tokenizer, text, 1024)
    assert gpt2_tokenizer.decode(result.ids) == text
    assert result.n_unknown == 0


def test_segments_rebuild_the_text(gpt2_tokenizer, bert_tokenizer):
    for tokenizer in (gpt2_tokenizer, bert_tokenizer):
        text = "Seoul 서울 🤗 done"
        result = tokenize(tokenizer, text, 512)
        assert "".join(part for part, _ in segments(result)) == text


def test_a_long_text_is_cut_to_the_maximum_and_keeps_its_final_separator(bert_tokenizer):
    result = tokenize(bert_tokenizer, "word " * 1000, 512)
    assert len(result.tokens) == 512
    assert result.total_tokens == 1002
    assert result.truncated
    assert result.pieces[0] == "[CLS]" and result.pieces[-1] == "[SEP]"


def test_short_text_is_not_truncated(bert_tokenizer):
    assert not tokenize(bert_tokenizer, SENTENCE, 512).truncated


def test_empty_text_gives_only_special_tokens(bert_tokenizer):
    assert tokenize(bert_tokenizer, "", 512).pieces == ["[CLS]", "[SEP]"]
    assert tokenize(bert_tokenizer, "   ", 512).pieces == ["[CLS]", "[SEP]"]


def test_uncased_wordpiece_splits_hangul_into_jamo(bert_tokenizer):
    # bert-base-uncased strips accents through NFD, which decomposes each syllable into jamo.
    result = tokenize(bert_tokenizer, "한국", 512)
    assert result.pieces[1:-1] == ["ᄒ", "##ᅡ", "##ᆫ", "##ᄀ", "##ᅮ", "##ᆨ"]
    assert result.n_unknown == 0


def test_wordpiece_counts_unknown_tokens(bert_tokenizer):
    result = tokenize(bert_tokenizer, "hello 🤗", 512)
    assert result.pieces[1:-1] == ["hello", "[UNK]"]
    assert result.n_unknown == 1
    assert result.unknown_rate == pytest.approx(0.5)


def test_readable_text_of_pieces(gpt2_tokenizer, bert_tokenizer):
    assert readable(gpt2_tokenizer, "Ġworld") == " world"
    assert readable(bert_tokenizer, "##ization") == "ization"
    # '한' is the three UTF-8 bytes ED 95 9C: byte-level BPE splits them into partial pieces.
    pieces = tokenize(gpt2_tokenizer, "한", 1024).pieces
    assert "".join(readable(gpt2_tokenizer, p) for p in pieces) == "<ED><95><9C>"
