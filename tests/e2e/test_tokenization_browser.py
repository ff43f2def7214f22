"""What a person sees on the Tokenization page in a real browser, offline."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def open_tokenization(page: Page, url: str, lang: str = "en") -> None:
    page.goto(f"{url}/tokenization?lang={lang}")
    page.locator(".tfe-chip, [data-testid='stException']").first.wait_for()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_three_tokenizations_with_ids_and_highlighted_offsets(page, app_url):
    open_tokenization(page, app_url)
    for name in ("WordPiece", "Byte-level BPE", "SentencePiece (Unigram)"):
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    chips = page.locator(".tfe-chip")
    expect(chips.filter(has_text="##ization")).to_contain_text("3989")  # real bert-base-uncased id
    expect(chips.filter(has_text="Ġsplits")).to_contain_text("30778")  # real GPT-2 id
    expect(chips.filter(has_text=re.compile(r"^liev"))).to_contain_text("17837")  # albert-base-v2 piece, id
    assert page.locator(".tfe-text mark").count() > 20
    expect(page.get_by_text("17 tokens (2 special)")).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("all-MiniLM-L6-v2 package")
    expect(sidebar).to_contain_text("albert-base-v2's real vocabulary, rebuilt")
    expect(sidebar).to_contain_text("Device: CPU")


def test_html_in_the_text_is_shown_not_run(page, app_url):
    open_tokenization(page, app_url)
    box = page.get_by_label("Text", exact=True)
    box.fill("<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>")
    box.press("Control+Enter")
    expect(page.locator(".tfe-text").first).to_contain_text("<script>")
    assert page.title() != "pwned"


def test_a_tokenizer_trained_live_offline(page, app_url):
    open_tokenization(page, app_url)
    page.get_by_text("Bundled sample (Korean)").click()
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text(re.compile(r"Trained on bundled:ko"))).to_be_visible()
    expect(page.get_by_text("Trained on this corpus").first).to_be_visible()
    assert page.locator(".tfe-chip").count() > 60


def test_the_page_reads_in_korean(page, app_url):
    open_tokenization(page, app_url, lang="ko")
    expect(page.get_by_role("heading", name="토큰화", exact=True)).to_be_visible()
    expect(page.get_by_text("토크나이저 직접 학습하기")).to_be_visible()
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
    expect(page.get_by_role("heading", name="Tokenization", exact=True)).to_be_visible()
    assert "lang=en" in page.url


def test_a_mistyped_model_id_gives_a_message_and_a_working_fallback(page, app_url):
    open_tokenization(page, app_url)
    field = page.get_by_test_id("stSelectbox").filter(has_text="Model (hub id or local folder)").first
    field.click()
    page.keyboard.type("no-such-user/no-such-model")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Could not load a tokenizer for no-such-user/no-such-model")).to_be_visible()
    expect(page.locator(".tfe-chip").filter(has_text="##ization").first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_page_long_model_field_gets_the_model_field_message_and_the_default(page, app_url):
    open_tokenization(page, app_url)
    field = page.get_by_test_id("stSelectbox").filter(has_text="Model (hub id or local folder)").first
    field.click()
    page.keyboard.insert_text("가a<b>" * 25_000)  # 100,000 characters, pasted
    page.keyboard.press("Enter")
    expect(page.get_by_text("far longer than any hub id")).to_be_visible()  # as on the family pages
    expect(page.locator(".tfe-chip").filter(has_text="##ization").first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_korean_text_shows_how_hangul_is_split(page, app_url):
    open_tokenization(page, app_url, lang="ko")
    box = page.get_by_label("텍스트", exact=True)
    box.fill("한국어 문장은 조사와 어미 때문에 토큰이 많이 나뉩니다.")
    box.press("Control+Enter")
    expect(page.get_by_role("heading", name="한국어는 어떻게 나뉘나")).to_be_visible()
    expect(page.get_by_text("음절당").first).to_be_visible()
    charts = page.locator("[data-testid='stVegaLiteChart']")
    expect(charts).to_have_count(2)
