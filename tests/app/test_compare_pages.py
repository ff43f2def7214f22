"""Figure 17 on the DistilBERT page: the papers' table, the counts made here, one training step timed."""

import functools

import pytest

from tests.app import measuring
from tests.app.checks import assert_no_error_box
from tests.app.test_pages import open_page, texts


def _open_tab(page: str, tab: str, lang: str = "en"):
    """The page opened at one tab, as a link does (only the open tab runs), with no error box."""
    at = open_page(page, lang, tab)
    assert_no_error_box(at)
    assert at.session_state[f"{page}_tab"] == tab
    return at


@pytest.mark.parametrize(
    ("lang", "label", "paper"), [("en", "paper", "Liu et al. 2019"), ("ko", "논문", "Liu et al.")]
)
def test_the_comparison_tab_shows_the_papers_and_our_counts(lang, label, paper):
    at = _open_tab("distilbert", "distil_compare", lang)
    assert "BERT, RoBERTa, DistilBERT" in [tab.label for tab in at.tabs]
    facts = next(d.value for d in at.table if "RoBERTa-base" in d.value.columns)
    assert paper in facts["RoBERTa-base"].iloc[-1]  # each column's source, at its foot
    assert "90" in facts["DistilBERT"].iloc[2] and "1024" in facts["RoBERTa-base"].iloc[2]
    counts = next(d.value for d in at.dataframe if label in d.value.columns)
    rounded = {"en": ["110M", "125M", "66M"], "ko": ["1억 1천만", "1억 2,500만", "6,600만"]}  # read aloud
    assert list(counts[label]) == rounded[lang]
    assert "124,645,632" in list(counts.iloc[:, 1])
    assert "15,163,392" in texts(at)  # RoBERTa's extra parameters, all in its embeddings


def test_one_training_step_of_each_is_timed_after_asking(monkeypatch):
    # One timed step after the warm-up step, not the page's median of 3: each step of these base-size
    # models takes about 3 s of CPU here, and the table and ratios read the same from one.
    from explorer.families.distilbert import compare

    monkeypatch.setattr(compare, "step_times", functools.partial(compare.step_times, repeat=1))
    at = _open_tab("distilbert", "distil_compare")
    at.number_input(key="distilbert_cmp_batch").set_value(1).run()
    at.number_input(key="distilbert_cmp_len").set_value(8).run()
    measuring.measure(at, "distilbert_cmp_run")
    assert_no_error_box(at)
    body = texts(at)
    assert "batch 1 × 8 tokens" in body
    assert "the paper's 60% faster (**1.63x**" in body
    times = next(d.value for d in at.dataframe if "seconds per step" in d.value.columns)
    assert list(times["model"]) == ["BERT-base", "RoBERTa-base", "DistilBERT"]
    assert times["BERT-base's time / this time"][0] == "1.00x"
