"""The papers' numbers beside the measured ones (#21 item 3): ALBERT's counts, DistilBERT's size and
speed, BigBird's latency and Reformer's memory, each with the sentence on where and why they differ."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app import measuring
from tests.app.checks import assert_no_error_box
from tests.app.test_compare_pages import _open_tab
from tests.app.test_pages import TIMEOUT, texts


@pytest.mark.parametrize(("lang", "paper"), [("en", "paper"), ("ko", "논문")])
def test_albert_counts_sit_beside_the_papers_table(lang, paper):
    at = _open_tab("albert", "params", lang)
    table = next(d.value for d in at.dataframe if paper in d.value.columns)
    rounded = {
        "en": ["108M", "334M", "12M", "–", "18M", "60M", "235M"],
        "ko": ["1억 800만", "3억 3,400만", "1,200만", "–", "1,800만", "6천만", "2억 3,500만"],  # read aloud
    }
    assert list(table[paper]) == rounded[lang]
    body = texts(at)
    assert "108,490,752" in body and "333,557,760" in body  # BERT as the paper counts it
    gaps = {"en": ("1.3M", "12.4M"), "ko": ("1.3백만", "12.4백만")}[lang]
    assert all(gap in body for gap in gaps) and "562,866" in body  # the gap left unexplained


def test_distilbert_params_say_what_the_paper_rounds():
    at = _open_tab("distilbert", "distil_params")
    assert "Counted here: 66.4M against 109.5M, 39.4% fewer" in texts(at)


def _distil_speed() -> None:
    from explorer.ui.page_input import PageInput
    from explorer.ui.sections import SECTIONS

    SECTIONS["distil_speed"](PageInput("distilbert", "distilbert", "distilbert-base-uncased", "text"))


def test_distil_speed_puts_the_papers_ratio_beside_the_measured_one():
    at = AppTest.from_function(_distil_speed, default_timeout=TIMEOUT)
    at.run()
    assert "Counted here 39.4%" in texts(at)
    at.multiselect(key="distilbert_distil_batches").set_value([1]).run()
    at.multiselect(key="distilbert_distil_lens").set_value([32, 64]).run()
    measuring.measure(at, "distilbert_distil_run")
    assert_no_error_box(at)
    table = next(d.value for d in at.dataframe if "paper" in d.value.columns)
    assert list(table["paper"]) == ["1.63x", "1.63x"]
    assert re.search(
        r"Measured here \d+\.\d\dx \(the median over the lengths\), (close to|below|above|more)", texts(at)
    )


def test_bigbird_latency_reads_its_growth_against_the_papers_order():
    at = _open_tab("bigbird", "bigbird_latency")
    at.multiselect(key="bigbird_l_lens").set_value([1024, 2048]).run()
    at.slider(key="bigbird_l_layers").set_value(1).run()
    measuring.measure(at, "bigbird_latency_run")
    assert_no_error_box(at)
    table = next(d.value for d in at.dataframe if "paper" in d.value.columns)
    assert list(table["paper"]) == [
        "O(n): 2x over this range",
        "O(n²): 4x over this range",
        "O(n²): 4x over this range",
    ]
    body = texts(at)
    assert "Zaheer et al. 2020" in body
    assert "where the paper's order is" in body or "every line grew about as its paper's order says" in body


def test_reformer_memory_reads_its_growth_against_the_papers_order():
    at = _open_tab("reformer", "lsh_memory", "ko")
    at.multiselect(key="reformer_mem_lens").set_value([1024, 2048]).run()
    measuring.measure(at, "reformer_mem_run")
    assert_no_error_box(at)
    table = next(d.value for d in at.dataframe if "논문" in d.value.columns)
    assert list(table["논문"]) == [
        "O(n): 이 범위에서 2배",
        "O(n²): 이 범위에서 4배",
        "O(n²): 이 범위에서 4배",
    ]
    assert "Kitaev et al. 2020" in texts(at)
