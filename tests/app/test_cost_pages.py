"""BigBird and Reformer pages, and the DistilBERT speed section, under AppTest: one interaction each."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.checks import assert_no_error_box
from tests.app.test_pages import TIMEOUT, open_page, show_tab, texts


def messages(at: AppTest) -> list[str]:
    return [e.value for kind in ("info", "warning", "error") for e in getattr(at, kind)]


def test_bigbird_page_builds_the_pattern_and_reads_the_real_map():
    at = open_page("bigbird", tab="bigbird_pattern")
    assert_no_error_box(at)
    assert [tab.label for tab in at.tabs][:3] == [
        "Pattern builder",
        "The real model's attention",
        "Latency vs length",
    ]
    assert "of the full T x T matrix" in texts(at)
    show_tab(at, "bigbird", "bigbird_real")
    assert_no_error_box(at)
    body = texts(at)
    assert "the model put weight on 58 of the pattern's 58 global and window blocks in every head" in body
    assert any("tiny random weights" in i for i in messages(at))
    at.radio(key="bigbird_m_mode").set_value("train").run()
    assert_no_error_box(at)
    assert "In training mode (random blocks on)" in texts(at)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("bigbird_p_len", 1000, "length 1000 is not a multiple of the block size 64; try 1024"),
        ("bigbird_p_window", 4, "it must be odd"),
        ("bigbird_p_len", 65_536, "1024 blocks a side is too many to draw"),
    ],
)
def test_bigbird_bad_pattern_settings_give_a_message(key, value, expected):
    at = open_page("bigbird")
    at.number_input(key=key).set_value(value).run()
    assert_no_error_box(at, expected)


@pytest.mark.parametrize(("buckets", "expected"), [(1, "buckets come in pairs"), (10_000, "more than 1,024")])
def test_reformer_bad_bucket_counts_give_a_message(buckets, expected):
    at = open_page("reformer", tab="lsh_pattern")
    assert_no_error_box(at)
    assert "sum to between 1.0000 and 1.0000" in texts(at)  # the reassembled real LSH map
    show_tab(at, "reformer", "lsh_steps")
    assert_no_error_box(at)
    at.number_input(key="reformer_s_buckets").set_value(buckets).run()
    assert_no_error_box(at, expected)


def test_a_hundred_thousand_characters_are_cut_to_the_chosen_length():
    at = open_page("reformer", tab="lsh_pattern")
    at.text_input(key="reformer_text").set_value("word " * 20_000).run()
    assert_no_error_box(at)
    assert "sum to between 1.0000 and 1.0000" in texts(at)


def test_reversible_memory_is_measured_after_asking():
    at = open_page("reformer", "ko", tab="reversible")
    at.multiselect(key="reformer_rev_depths").set_value([1]).run()
    assert_no_error_box(at)
    assert any("측정" in i for i in messages(at))
    next(b for b in at.button if b.key == "reformer_rev_run").click().run()
    assert_no_error_box(at)
    assert "메모리를 가장 적게 씁니다" in texts(at)


def _distil_section() -> None:
    from explorer.ui.family import PageInput
    from explorer.ui.sections import SECTIONS

    SECTIONS["distil_speed"](PageInput("distilbert", "distilbert", "distilbert-base-uncased", "text"))


def test_distil_speed_counts_and_measures_both_models():
    at = AppTest.from_function(_distil_section, default_timeout=TIMEOUT)
    at.run()
    assert_no_error_box(at)
    assert [m.value for m in at.metric] == ["109,482,240", "66,362,880", "39.4%"]
    at.multiselect(key="distilbert_distil_batches").set_value([1]).run()
    at.multiselect(key="distilbert_distil_lens").set_value([32]).run()
    next(b for b in at.button if b.key == "distilbert_distil_run").click().run()
    assert_no_error_box(at)
    assert "is the fastest" in texts(at)
    assert "60% faster" in texts(at)
