"""RoBERTa and ALBERT pages in a real browser, in English and Korean, every outside request refused."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_families_browser import open_page
from tests.e2e.test_tour_browser import settled

pytestmark = pytest.mark.e2e


def test_roberta_page_masking_switch_and_formats(page: Page, app_url):
    open_page(page, app_url, "roberta")
    expect(page.get_by_text("met 10 different masks under static masking")).to_be_visible()
    page.get_by_role("radio", name="dynamic", exact=True).click()
    expect(page.get_by_text("Different masks each token was predicted under")).to_be_visible()
    settled(page)  # the switch's run ended: a tab clicked while it runs can be drawn back by it
    page.get_by_role("tab", name="Input formats", exact=True).click()
    page.get_by_text("DOC-SENTENCES", exact=True).click()
    expect(page.get_by_text("0 inputs cross a document boundary")).to_be_visible()
    page.get_by_role("tab", name="Byte-level BPE", exact=True).click()
    expect(page.get_by_text("roberta-base's real BPE files").first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_albert_page_counts_and_sharing_in_korean(page: Page, app_url):
    page.goto(f"{app_url}/albert?lang=ko")
    page.get_by_role("tab").first.wait_for()
    expect(page.get_by_test_id("stMetricValue").filter(has_text="3,938,304")).to_be_visible()
    page.get_by_role("tab", name="파라미터 수", exact=True).click()
    expect(page.get_by_text("BERT-base는 파라미터가 109,482,240개")).to_be_visible()
    page.get_by_role("tab", name="레이어 간 파라미터 공유", exact=True).click()
    expect(page.get_by_text("A A A A A A A A A A A A")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
