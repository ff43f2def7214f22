"""BigBird and Reformer pages in a real browser, offline, in both languages; every outside request refused."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import RUN_MS, wait_until_idle

pytestmark = pytest.mark.e2e


def open_page(page: Page, url: str, path: str, lang: str) -> None:
    page.goto(f"{url}/{path}?lang={lang}")
    page.get_by_role("tab").first.wait_for()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_bigbird_pattern_real_map_and_a_bad_length(page, app_url):
    open_page(page, app_url, "bigbird", "en")
    expect(page.get_by_text("of the full T x T matrix")).to_be_visible()
    page.get_by_role("tab", name="The real model's attention", exact=True).click()
    expect(page.get_by_text("global and window blocks in every head")).to_be_visible()
    page.get_by_role("tab", name="Pattern builder", exact=True).click()
    field = page.get_by_label("Tokens (T)")
    field.fill("1000")
    field.press("Enter")
    expect(page.get_by_text("not a multiple of the block size 64; try 1024")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_reformer_in_korean_measures_reversible_memory(page, app_url):
    open_page(page, app_url, "reformer", "ko")
    expect(page.get_by_text("1. 회전하고 해싱하기.")).to_be_visible()
    page.get_by_role("tab", name="LSH 맵과 전체 어텐션", exact=True).click()
    expect(page.get_by_text("허용된 위치에 준 가중치의 합은 1.0000에서 1.0000 사이")).to_be_visible()
    page.get_by_role("tab", name="가역 레이어", exact=True).click()
    panel = page.get_by_role("tabpanel", name="가역 레이어")  # the three-problems tab shows it too
    expect(panel.get_by_text("출력에서 입력을 다시 만들었습니다")).to_be_visible()
    # Both lines at one depth make a verdict: 2 layers alone, not the defaults' 2, 4 and 8 (about a
    # sixth of their CPU: the 8-layer pair alone took half of this test's 80-100 s under load).
    for depth in ("8", "4"):
        panel.get_by_role("button", name=f"Remove {depth}").click()
        wait_until_idle(page)
    panel.get_by_role("button", name="측정하기").click()
    least = panel.get_by_text("메모리를 가장 적게 씁니다")
    expect(least, "the reversible-memory measurement's verdict").to_be_visible(timeout=RUN_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)
