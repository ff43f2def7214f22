"""Presenter features on the pages: each chart has PNG and SVG downloads and a line on what to notice."""

from streamlit.testing.v1 import AppTest

from tests.app.checks import assert_no_error_box
from tests.app.test_pages import open_page, show_tab


def test_the_tokenization_chart_has_downloads_and_a_notice():
    at = open_page("tokenization")
    assert_no_error_box(at)
    downloads = at.get("download_button")
    labels = sorted(d.proto.label for d in downloads)
    assert labels[:2] == ["PNG", "SVG"]
    assert any(c.value.startswith("👀 What to notice: fewer tokens") for c in at.caption)


def test_the_attention_charts_have_downloads_in_korean_too():
    at = open_page("bert", "ko", tab="attention")
    assert_no_error_box(at)
    names = {d.proto.label for d in at.get("download_button")}
    assert names == {"PNG", "SVG"}
    assert len(at.get("download_button")) >= 4  # the head heatmap and the head statistics
    assert any(c.value.startswith("👀 눈여겨볼 점") for c in at.caption)


def _export_keys(node) -> list[str]:
    """The keys of the download buttons under a page or a block."""
    return [d.key for d in node.get("download_button")]


def _assert_downloads(keys: list[str], names: list[str]) -> None:
    for name in names:
        for ext in ("png", "svg"):
            assert f"export_{name}_{ext}" in keys, keys


def _charts_in_columns() -> None:
    import pandas as pd
    import streamlit as st

    from explorer.ui.export import render_chart
    from explorer.views import charts

    frame = pd.DataFrame({"token": ["a", "b"], "probability": [0.6, 0.4]})
    for i, column in enumerate(st.columns(2)):
        render_chart(charts.probability_chart(frame, "p"), f"chart_{i}", f"notice {i}", where=column)


def test_a_chart_in_a_column_keeps_its_notice_and_downloads_in_that_column():
    at = AppTest.from_function(_charts_in_columns)
    at.run()
    assert_no_error_box(at)
    assert len(at.columns) == 2
    for i, column in enumerate(at.columns):
        assert [c.value for c in column.caption] == [f"👀 notice {i}"]
        assert len(column.get("vega_lite_chart")) == 1
        assert _export_keys(column) == [f"export_chart_{i}_png", f"export_chart_{i}_svg"]


def test_the_gpt_charts_have_downloads_and_notices():
    at = open_page("gpt", tab="causal")
    assert_no_error_box(at)
    _assert_downloads(_export_keys(at), ["gpt_causal_mask", "gpt_causal_L0_H0"])
    assert any(c.value.startswith("👀 What to notice: the mask is a lower triangle") for c in at.caption)
    for section, names in (
        ("next", ["next_token"]),
        ("loss", ["token_loss"]),
        ("versus", ["versus_bert_L0", "versus_gpt2_L0"]),
    ):
        show_tab(at, "gpt", section)
        assert_no_error_box(at)
        _assert_downloads(_export_keys(at), [f"gpt_{n}" for n in names])
    show_tab(at, "gpt", "generate")
    assert_no_error_box(at)
    next(b for b in at.button if b.label == "Next token").click().run()
    assert_no_error_box(at)
    _assert_downloads(_export_keys(at), ["gpt_step_probs", "gpt_step_attention"])


def test_the_reformer_charts_have_downloads_and_notices_in_korean():
    at = open_page("reformer", "ko", tab="lsh_steps")
    assert_no_error_box(at)
    names = ["buckets_round0", "sorted_round0", "allowed_round0", "allowed_union"]
    _assert_downloads(_export_keys(at), [f"reformer_{n}" for n in names])
    assert any(c.value.startswith("👀 눈여겨볼 점: 토큰 순서로 보면") for c in at.caption)
    show_tab(at, "reformer", "lsh_pattern", "ko")
    assert_no_error_box(at)
    _assert_downloads(_export_keys(at), [f"reformer_{n}" for n in ("real_H0_round0", "full_causal")])


def test_a_live_training_curve_gets_its_downloads_only_once_the_run_has_finished():
    at = open_page("electra", tab="rtd_race")
    at.number_input(key="electra_race_hidden").set_value(16).run()
    at.number_input(key="electra_race_batch").set_value(4).run()
    at.number_input(key="electra_race_steps").set_value(5000).run()
    at.button(key="electra_race_start").click().run()
    at.run()  # the next refresh: each one draws what the previous chunk trained, then trains the next
    assert_no_error_box(at)
    assert any(b.key == "electra_race_stop" for b in at.button), "still training"
    assert any("Discriminator accuracy on the last batch" in c.value for c in at.caption)  # the live curves
    assert not any(k.startswith("export_electra_race") for k in _export_keys(at))
    at.button(key="electra_race_stop").click().run()
    for _ in range(30):
        if "The same probe on each encoder" in [h.value for h in at.subheader]:
            break
        at.run()
    assert_no_error_box(at)
    _assert_downloads(_export_keys(at), ["electra_race_curves", "electra_race_probe"])
    assert any(c.value.startswith("👀 What to notice: each curve has its own y scale") for c in at.caption)
