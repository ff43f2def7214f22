"""Presenter features in a real browser: a link carries the page's inputs; a chart downloads as a file."""

import io
import re
import urllib.parse

import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_link_opens_the_bert_page_with_its_text_layer_and_tab_and_changes_go_into_the_url(page, app_url):
    query = urllib.parse.urlencode(
        {"lang": "en", "bert_a": "The river bank was muddy.", "bert_layer": "1", "bert_tab": "attention"}
    )
    page.goto(f"{app_url}/bert?{query}")
    sentence = page.get_by_label("Sentence A", exact=True)
    expect(sentence).to_have_value("The river bank was muddy.")
    expect(page.get_by_role("tab", name="Attention", exact=True)).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("stSliderThumbValue").first).to_have_text("1")
    sentence.fill("A cat sat on the mat.")
    sentence.press("Enter")
    expect(page).to_have_url(re.compile(r"bert_a=A(\+|%20)cat(\+|%20)sat"))
    page.get_by_role("tab", name="Masked LM", exact=True).click()
    expect(page).to_have_url(re.compile(r"bert_tab=mlm"))  # the section's name: the link works in Korean too
    page.get_by_role("tab", name="Input embeddings", exact=True).click()
    expect(page).to_have_url(re.compile(r"bert_tab=input"))
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_chart_downloads_as_a_png_that_opens(page, app_url, tmp_path):
    page.goto(f"{app_url}/tokenization?lang=en")
    button = page.get_by_role("button", name="PNG", exact=True).first
    button.wait_for()
    with page.expect_download() as download:
        button.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "token_counts.png"
    with Image.open(io.BytesIO(saved.read_bytes())) as image:
        assert image.format == "PNG" and image.size[0] > 300
