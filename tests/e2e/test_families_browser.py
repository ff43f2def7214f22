"""BERT and GPT pages in a real browser, with every request off this machine refused."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def open_page(page: Page, url: str, path: str) -> None:
    page.goto(f"{url}/{path}?lang=en")
    page.get_by_role("tab").first.wait_for()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_bert_page_every_section_and_bertviz_offline(page, app_url):
    open_page(page, app_url, "bert")
    expect(page.get_by_text("differs from what the model itself feeds its LayerNorm")).to_be_visible()
    page.get_by_role("tab", name="Attention", exact=True).click()
    expect(page.get_by_text("6 layers x 12 heads")).to_be_visible()
    expect(
        page.get_by_role("img", name="Rows are layers, columns heads")
        .or_(page.get_by_test_id("stImage"))
        .first
    ).to_be_visible()
    page.get_by_text("bertviz: head view and model view").click()
    toggle = page.get_by_role("switch", name="Show bertviz")
    for _ in range(5):  # a click that lands while the page is still re-rendering can be lost
        page.locator("label").filter(has_text="Show bertviz").click()
        try:
            expect(toggle).to_be_checked(timeout=10_000)
            break
        except AssertionError:
            continue
    expect(toggle).to_be_checked()
    expect(page.locator("iframe")).to_have_count(1)
    frame = page.frame_locator("iframe").first
    expect(frame.locator("svg").first).to_be_attached()
    expect(frame.get_by_text("[CLS]").first).to_be_attached()
    for tab in ("Embedding projection", "Masked LM", "Next sentence"):
        page.get_by_role("tab", name=tab, exact=True).click()
    expect(page.get_by_test_id("stMetricLabel").filter(has_text="P(IsNext)")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_gpt_page_causal_attention_and_generation(page, app_url):
    open_page(page, app_url, "gpt")
    expect(page.get_by_text("Largest attention weight above the diagonal")).to_contain_text("0.0e+00")
    page.get_by_role("tab", name="Generation", exact=True).click()
    page.get_by_role("button", name="Next token", exact=True).click()
    expect(page.get_by_text("The last step chose")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
