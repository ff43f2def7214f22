"""A room full of people: a freshly started server, several browser sessions opening pages at once."""

import contextlib

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import local_context, running_app, wait_until_idle

pytestmark = pytest.mark.e2e

# Two of each model page and a fine-tune page: the first visitors of every model race on one server.
AT_ONCE = ("bert", "gpt", "tokenization", "bert", "cola", "gpt", "squad")
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"
ROOM_MS = 240_000  # seven first visitors share two cores while every model loads from disk


def test_pages_opened_at_the_same_moment_on_a_fresh_server_show_no_error(browser, tmp_path):
    with running_app(tmp_path / "streamlit.log") as url, contextlib.ExitStack() as stack:
        pages = [stack.enter_context(local_context(browser)).new_page() for _ in AT_ONCE]
        for page, path in zip(pages, AT_ONCE, strict=True):
            page.set_default_timeout(ROOM_MS)
            page.goto(f"{url}/{path}?lang=en", wait_until="commit")
        for page, path in zip(pages, AT_ONCE, strict=True):
            expect(page.locator("h1").first, f"{path}: the page's title").to_be_visible(timeout=ROOM_MS)
            wait_until_idle(page)
            errors = page.locator(ERRORS)
            assert errors.count() == 0, f"{path}: {errors.all_inner_texts()}"
            expect(page.locator("h1").first).to_be_visible()
    log = (tmp_path / "streamlit.log").read_text()
    assert "Traceback" not in log, log[-3000:]
