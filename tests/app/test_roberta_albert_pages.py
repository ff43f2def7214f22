"""The RoBERTa and ALBERT pages under AppTest: each section's fact, and bad input as a message."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.checks import assert_no_error_box
from tests.app.test_pages import open_page, show_tab, texts


@pytest.fixture(scope="module")
def roberta() -> AppTest:
    """One session for the module: only the open tab runs, so each test opens its own tab first."""
    return open_page("roberta")


@pytest.fixture(scope="module")
def albert() -> AppTest:
    """One session for the module: only the open tab runs, so each test opens its own tab first."""
    return open_page("albert")


def messages(at: AppTest) -> list[str]:
    return [e.value for kind in ("info", "warning", "error") for e in getattr(at, kind)]


def test_roberta_page_shows_every_section_with_its_real_tokenizer(roberta):
    show_tab(roberta, "roberta", "masking")
    assert_no_error_box(roberta)
    labels = [tab.label for tab in roberta.tabs]
    for name in ("Static vs dynamic masking", "Input formats", "Byte-level BPE", "Recipe", "Masked LM"):
        assert name in labels
    body = texts(roberta)
    assert "roberta-base's real BPE files, shipped with this app" in body
    assert "Over 40 epochs the sentence met 10 different masks under static masking (K = 10)" in body
    show_tab(roberta, "roberta", "input")
    assert_no_error_box(roberta)
    body = texts(roberta)
    assert "differs from what the model itself feeds its LayerNorm by at most 0.00e+00" in body
    assert "Position ids here start at 2" in body
    show_tab(roberta, "roberta", "mlm")
    assert_no_error_box(roberta)
    assert any("tiny random weights" in m for m in messages(roberta))  # MLM offline, said plainly


def test_more_copies_than_epochs_is_explained(roberta):
    show_tab(roberta, "roberta", "masking")
    roberta.number_input(key="roberta_copies").set_value(50).run()
    assert_no_error_box(roberta)
    assert any("only 40 copies can ever be read" in m for m in messages(roberta))
    roberta.number_input(key="roberta_copies").set_value(10).run()


@pytest.mark.parametrize(
    ("corpus", "fmt", "expected"),
    [
        ("One lonely sentence.", "sentence_pair", "at least two documents"),
        ("", "full_sentences", "the corpus has no sentences"),
    ],
)
def test_a_corpus_that_cannot_be_packed_gives_a_message(roberta, corpus, fmt, expected):
    show_tab(roberta, "roberta", "formats")
    roberta.radio(key="roberta_fmt").set_value(fmt)
    roberta.text_area(key="roberta_corpus").set_value(corpus).run()
    assert_no_error_box(roberta)
    assert any(expected in m for m in messages(roberta)), messages(roberta)


def test_albert_page_shows_exact_counts_and_sharing(albert):
    show_tab(albert, "albert", "params")
    assert_no_error_box(albert)
    body = texts(albert)
    assert "BERT-base has 109,482,240 parameters, ALBERT-base 11,683,584" in body
    assert "would have 89,650,176" in body
    table = albert.dataframe[0].value
    assert set(table["="]) == {"✓"}
    show_tab(albert, "albert", "sharing")
    assert_no_error_box(albert)
    body = texts(albert)
    assert "12 layer runs, 1 distinct weight sets" in body
    assert "6 layer runs, 6 distinct weight sets" in body  # the packaged MiniLM BERT
    assert "albert-base-v2's real vocabulary, rebuilt" in body


def test_e_larger_than_h_warns_that_factorization_costs(albert):
    show_tab(albert, "albert", "factorized")
    albert.number_input(key="albert_emb").set_value(1024).run()
    assert_no_error_box(albert)
    assert any("E = 1024 is not smaller than H = 768" in m for m in messages(albert))
    albert.number_input(key="albert_emb").set_value(128).run()


def test_sop_needs_two_sentences(albert):
    show_tab(albert, "albert", "sop")
    albert.text_area(key="albert_sop_doc").set_value("Only one sentence here.").run()
    assert_no_error_box(albert)
    assert any("at least two sentences" in m for m in messages(albert)), messages(albert)
