"""Presenter features on the pages: each chart has PNG and SVG downloads and a line on what to notice."""

from tests.app.test_pages import open_page


def test_the_tokenization_chart_has_downloads_and_a_notice():
    at = open_page("tokenization")
    assert not at.exception
    downloads = at.get("download_button")
    labels = sorted(d.proto.label for d in downloads)
    assert labels[:2] == ["PNG", "SVG"]
    assert any(c.value.startswith("👀 What to notice: fewer tokens") for c in at.caption)


def test_the_attention_charts_have_downloads_in_korean_too():
    at = open_page("bert", "ko")
    assert not at.exception
    names = {d.proto.label for d in at.get("download_button")}
    assert names == {"PNG", "SVG"}
    assert len(at.get("download_button")) >= 4  # the head heatmap and the head statistics
    assert any(c.value.startswith("👀 눈여겨볼 점") for c in at.caption)
