"""Numbers that stay right past a model's maximum length: tokens per word, the tokenizer comparison,
and the all-heads grid at 512 tokens."""

import io

import numpy as np
from PIL import Image
from streamlit.testing.v1 import AppTest

from explorer.tokens import token_counts
from explorer.tokens.tokenize import tokenize
from explorer.views import attention_charts

SENTENCE = "tokenization is fun."  # WordPiece: token ##ization is fun . = 5 pieces for 3 words
LONG = " ".join([SENTENCE] * 400)  # 2,000 pieces: BERT reads 512 of them, GPT-2 1,024


def test_tokens_per_word_of_a_cut_text_is_that_of_the_text(bert_tokenizer):
    short = token_counts.count_text(bert_tokenizer, tokenize(bert_tokenizer, SENTENCE, 512))
    long = token_counts.count_text(bert_tokenizer, tokenize(bert_tokenizer, LONG, 512))
    assert short.tokens_per_word == long.tokens_per_word == 5 / 3


def test_counts_cover_the_whole_text_whatever_each_model_reads(bert_tokenizer, gpt2_tokenizer):
    bert = token_counts.count_text(bert_tokenizer, tokenize(bert_tokenizer, LONG, 512))
    gpt2 = token_counts.count_text(gpt2_tokenizer, tokenize(gpt2_tokenizer, LONG, 1024))
    assert (bert.tokens, bert.special, bert.words) == (2 + 5 * 400, 2, 3 * 400)
    assert gpt2.tokens == len(gpt2_tokenizer(LONG)["input_ids"]) > 1024


def test_counts_of_a_text_that_fits_are_its_tokenization(gpt2_tokenizer):
    result = tokenize(gpt2_tokenizer, "Hello, world!", 1024)
    counts = token_counts.count_text(gpt2_tokenizer, result)
    assert (counts.tokens, counts.special, counts.unknown, counts.words) == (len(result.tokens), 0, 0, 2)


def _tokenization_page(text: str) -> None:
    """The Tokenization page's two renderers on a BERT and a GPT-2 column; the chart's frame is kept."""
    import streamlit as st

    from explorer import models, registry
    from explorer.tokens.tokenize import tokenize
    from explorer.ui.tokenization import tokens
    from explorer.views import charts

    drawn = charts.token_count_chart

    def keep(frame, *args):
        st.session_state["frame"] = frame.to_dict("records")
        return drawn(frame, *args)

    tokens.charts.token_count_chart = keep
    columns = {}
    for algorithm, family, limit in (("wordpiece", "bert", 512), ("bpe", "gpt2", 1024)):
        tok, _ = models.load_tokenizer(registry.family(family))
        columns[algorithm] = (tok, tokenize(tok, text, limit))
        tokens.render_tokenization(algorithm, tok, columns[algorithm][1])
    tokens.render_comparison(columns)
    tokens.charts.token_count_chart = drawn


def test_the_page_shows_tokens_per_word_and_compares_counts_on_the_same_text(gpt2_tokenizer):
    at = AppTest.from_function(_tokenization_page, args=(LONG,), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.caption[0].value == "1.67 tokens per word"  # BERT: 2,000 pieces / 1,200 words
    counts = {row["tokenizer"]: row["tokens"] for row in at.session_state["frame"] if row["tokens"] > 0}
    assert counts == {"WordPiece": 2002, "Byte-level BPE": len(gpt2_tokenizer(LONG)["input_ids"])}


def _grid_tile(png: bytes, layer: int, head: int, tile: int = 40, gap: int = 3) -> np.ndarray:
    """The tile of one head in the grid PNG, as darkness 0..1 (the grid draws weight as dark)."""
    image = np.asarray(Image.open(io.BytesIO(png)), dtype=float)
    top, left = 28 + layer * (tile + gap), 28 + head * (tile + gap)
    return 1 - image[top : top + tile, left : left + tile] / 255


def test_the_all_heads_grid_keeps_separator_columns_and_previous_token_diagonals_at_512():
    length = 512
    previous = np.eye(length, k=-1)  # each token attends to the one before it
    previous[0, 0] = 1
    separator = np.zeros((length, length))
    separator[:, 300] = 1  # every token attends to a [SEP] in mid-text
    maps = np.stack([previous, separator])[None]  # (L=1, H=2, T, T)
    png = attention_charts.attention_grid_png(maps)
    diagonal, column = _grid_tile(png, 0, 0), _grid_tile(png, 0, 1)
    assert (np.diag(diagonal) > 0.9).all()  # the diagonal runs through the whole tile
    block = 300 * 40 // length
    assert (column[:, block] > 0.9).all() and column.sum() == column[:, block].sum()


def test_a_pair_of_100000_characters_is_cut_before_the_tokenizer_pairs_its_overflow(bert_tokenizer):
    """Two sentences of 100,000 characters on a pair page filled 24 GB (the fast tokenizer pairs every
    overflowing piece of one text with every piece of the other) and the server was killed."""
    from explorer.mechanics import attention
    from explorer.tokens.text import pair_to_cut

    big = "가나 abc. " * 12_500
    a, b = pair_to_cut(big, big, 512)
    assert len(a) == len(b) < 20_000 and big.startswith(a)
    assert pair_to_cut(big, None, 512) == (big, None)  # a single text keeps its own truncation
    encoded = attention.encode(bert_tokenizer, big, big, 512)
    assert encoded["batch"]["input_ids"].shape == (1, 512)
    assert encoded["total"] > 40_000  # the length before the cut counts the whole texts
    short = attention.encode(bert_tokenizer, "The man went to the store.", "He bought milk.", 512)
    whole = bert_tokenizer("The man went to the store.", "He bought milk.")["input_ids"]
    assert short["batch"]["input_ids"][0].tolist() == whole
