"""A room full of people: a freshly started server, several browser sessions opening pages at once."""

import contextlib

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import local_context, running_app

pytestmark = pytest.mark.e2e

# Two of each model page and a fine-tune page: the first visitors of every model race on one server.
AT_ONCE = ("bert", "gpt", "tokenization", "bert", "cola", "gpt", "squad")
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"


def wait_until_idle(page: Page, quiet_polls: int = 3) -> None:
    """Wait until the script has stopped running for a few polls in a row (its status widget gone)."""
    quiet = 0
    while quiet < quiet_polls:
        page.wait_for_timeout(1000)
        running = page.get_by_test_id("stStatusWidget").filter(has_text="Running").count()
        quiet = 0 if running else quiet + 1


def test_pages_opened_at_the_same_moment_on_a_fresh_server_show_no_error(browser, tmp_path):
    with running_app(tmp_path / "streamlit.log") as url, contextlib.ExitStack() as stack:
        pages = [stack.enter_context(local_context(browser)).new_page() for _ in AT_ONCE]
        for page, path in zip(pages, AT_ONCE, strict=True):
            page.set_default_timeout(240_000)
            page.goto(f"{url}/{path}?lang=en", wait_until="commit")
        for page, path in zip(pages, AT_ONCE, strict=True):
            page.locator("h1").first.wait_for()
            wait_until_idle(page)
            errors = page.locator(ERRORS)
            assert errors.count() == 0, f"{path}: {errors.all_inner_texts()}"
            expect(page.locator("h1").first).to_be_visible()
    log = (tmp_path / "streamlit.log").read_text()
    assert "Traceback" not in log, log[-3000:]
