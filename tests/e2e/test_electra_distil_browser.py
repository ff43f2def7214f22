"""ELECTRA and DistilBERT pages in a real browser: each step shown, a live training run to its end
and one stopped halfway, with every request off this machine refused."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import RUN_MS

pytestmark = pytest.mark.e2e


def open_page(page: Page, url: str, path: str, lang: str = "en") -> None:
    page.goto(f"{url}/{path}?lang={lang}")
    page.get_by_role("tab").first.wait_for()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def set_number(page: Page, label: str, value: int) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")
    expect(box).to_have_value(str(value))


def test_electra_steps_and_a_live_experiment_to_the_probe(page, app_url):
    open_page(page, app_url, "electra")
    expect(page.get_by_text("Discriminator accuracy on this sentence")).to_be_visible()
    page.get_by_role("tab", name="Learning signal", exact=True).click()
    expect(page.get_by_text("tokens carry a loss")).to_be_visible()
    page.get_by_role("tab", name="MLM vs RTD, live", exact=True).click()
    set_number(page, "Steps", 6)
    set_number(page, "Hidden size", 16)
    page.get_by_role("button", name="Start training").click()
    probe = page.get_by_text("The same probe on each encoder")
    expect(probe, "the probe after a 6-step MLM vs RTD run").to_be_visible(timeout=RUN_MS)
    expect(page.get_by_text("at these settings")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_distilbert_objective_and_a_distillation_stopped(page, app_url):
    open_page(page, app_url, "distilbert", "ko")
    expect(page.get_by_text("가중합").first).to_be_visible()
    page.get_by_role("tab", name="미니 증류 실시간 학습", exact=True).click()
    set_number(page, "스텝 수", 2000)
    page.get_by_role("button", name="학습 시작").click()
    stop = page.get_by_role("button", name="멈추기")
    expect(stop, "the Stop button of a distillation that has started").to_be_visible(timeout=RUN_MS)
    stop.click()
    stopped = page.get_by_text("스텝에서 멈췄습니다")
    expect(stopped, "'stopped at step' after Stop was clicked").to_be_visible(timeout=RUN_MS)
    expect(page.get_by_text("한 문장에서 교사와 학생 비교")).to_be_visible()
    expect(page.get_by_role("button", name="학습 시작")).to_be_enabled()
    expect(page.get_by_test_id("stException")).to_have_count(0)
