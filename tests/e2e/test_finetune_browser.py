"""Launch small CoLA and SQuAD fine-tunes from the pages in a real browser, offline, and read the results."""

import pytest
from playwright.sync_api import Page, expect

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


def test_cola_fine_tune_from_the_page(page, app_url):
    launch(page, app_url, "cola", {"Training examples": "256", "Evaluation examples (dev)": "96"})
    expect(page.get_by_test_id("stMetricLabel").filter(has_text="MCC")).to_be_visible(timeout=300_000)
    expect(page.get_by_text("Misclassified dev sentences")).to_be_visible()
    box = page.get_by_label("Classify your own sentence")
    box.fill("The cat sat on the mat.")
    box.press("Enter")
    expect(page.get_by_test_id("stVegaLiteChart").last).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_squad_fine_tune_from_the_page(page, app_url):
    launch(page, app_url, "squad", {"Training examples": "64", "Evaluation examples (dev)": "24"})
    expect(page.get_by_test_id("stMetricLabel").filter(has_text="Exact match")).to_be_visible(timeout=300_000)
    expect(page.get_by_test_id("stMetricLabel").filter(has_text="F1")).to_be_visible()
    expect(page.locator("mark").first).to_be_attached()  # the predicted span in its context
    expect(page.get_by_test_id("stException")).to_have_count(0)
