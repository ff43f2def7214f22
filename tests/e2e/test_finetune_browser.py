"""Launch CoLA and SQuAD fine-tunes from the pages in a real browser, offline, and read the results;
a run goes on while its user looks at another page, and Stop keeps what it learned."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import RUN_MS

pytestmark = pytest.mark.e2e


def set_number(page: Page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")


def launch(page: Page, url: str, path: str, sizes: dict[str, str]) -> None:
    page.goto(f"{url}/{path}?lang=en")
    expect(page.get_by_role("button", name="Launch fine-tune")).to_be_visible()
    for label, value in sizes.items():
        set_number(page, label, value)
    page.get_by_role("button", name="Launch fine-tune").click()
    expect(page.get_by_text("steps/s").first).to_be_visible()  # live progress with its speed


def open_in_app(page: Page, title: str) -> None:
    """Move to another page inside the app (the same session), as a user does from the sidebar."""
    nav = page.get_by_test_id("stSidebarNav")
    link = nav.get_by_role("link", name=title)
    if not link.is_visible():
        nav.get_by_text("View").filter(has_text="more").click()  # the fine-tuning section is folded
    link.click()


def test_a_run_survives_another_page_and_stop_keeps_what_it_learned(page, app_url):
    # Long enough (about 25,000 samples) that even a quiet CPU is still training after the 40 s away.
    sizes = {"Training examples": "8551", "Epochs": "3", "Evaluation examples (dev)": "96"}
    launch(page, app_url, "cola", sizes)
    open_in_app(page, "Overview")
    expect(page.get_by_role("heading", name="Transformer Family Explorer").first).to_be_visible()
    page.wait_for_timeout(40_000)  # longer than a page used to be left before its run stopped itself
    open_in_app(page, "Fine-tune: CoLA")
    expect(page.get_by_text("steps/s").first).to_be_visible()
    page.get_by_role("button", name="Stop").click()
    stopped = page.get_by_text("Stopped at step")
    expect(stopped, "'Stopped at step' (and the dev evaluation) after Stop").to_be_visible(timeout=RUN_MS)
    expect(page.get_by_test_id("stMetricLabel").filter(has_text="MCC")).to_be_visible()
    expect(page.get_by_text("Misclassified dev sentences")).to_be_visible()
    box = page.get_by_label("Classify your own sentence")
    box.fill("The cat sat on the mat.")
    box.press("Enter")
    expect(page.get_by_test_id("stVegaLiteChart").last).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_squad_fine_tune_from_the_page(page, app_url):
    launch(page, app_url, "squad", {"Training examples": "64", "Evaluation examples (dev)": "24"})
    exact = page.get_by_test_id("stMetricLabel").filter(has_text="Exact match")
    expect(exact, "the Exact match score of a 64-example SQuAD run").to_be_visible(timeout=RUN_MS)
    expect(page.get_by_test_id("stMetricLabel").filter(has_text="F1")).to_be_visible()
    expect(page.locator("mark").first).to_be_attached()  # the predicted span in its context
    expect(page.get_by_test_id("stException")).to_have_count(0)
