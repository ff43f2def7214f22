"""The presenter's tour in a real browser: the whole chapter walked in both languages, every stop
opening its page and tab with no exception and no error box, and every stop's link on a fresh session."""

import re

import pytest
from playwright.sync_api import expect

from explorer import registry
from explorer.i18n import translate
from tests.e2e.conftest import local_context, wait_until_idle

pytestmark = pytest.mark.e2e
STOPS = registry.tour_stops()
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"


def expect_stop(page, stop: registry.TourStop, lang: str) -> None:
    """The stop's title, its page's open tab, the stop in the URL, and no error anywhere."""
    expect(page.get_by_role("heading", name=stop.text(lang, "title"), exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"stop={stop.number}(&|$)"))
    if stop.tab is not None:
        tab = page.get_by_role("tab", name=translate(lang, f"section.{stop.tab}"), exact=True)
        expect(tab).to_have_attribute("aria-selected", "true")
    wait_until_idle(page)
    found = page.locator(ERRORS)
    assert found.count() == 0, f"stop {stop.number} ({lang}): {found.first.inner_text()[:300]}"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_whole_tour_walks_in_order_with_the_arrow_key_and_the_button(page, app_url, lang):
    page.goto(f"{app_url}/tour?lang={lang}")
    next_button = page.get_by_role("button", name=translate(lang, "tour.next"))
    previous = None
    for stop in STOPS:
        if stop.number > 1:
            if lang == "ko":  # the → key, pressed with the focus on the page, not in a text box
                page.get_by_role("heading", name=previous.text(lang, "title"), exact=True).click()
                page.keyboard.press("ArrowRight")
            else:
                next_button.click()
        expect_stop(page, stop, lang)
        previous = stop
    expect(next_button).to_be_disabled()
    page.keyboard.press("ArrowLeft")
    expect_stop(page, STOPS[-2], lang)


def test_an_arrow_key_in_a_text_box_moves_the_cursor_not_the_tour(page, app_url):
    page.goto(f"{app_url}/tour?lang=en&stop=2")
    expect_stop(page, STOPS[1], "en")
    box = page.get_by_label("Sentence A", exact=True)
    expect(box).to_have_value("There is my school and I love this place")
    box.click()
    box.press("ArrowRight")
    box.press("ArrowLeft")
    page.wait_for_timeout(1500)
    expect(page).to_have_url(re.compile(r"stop=2(&|$)"))


def test_every_stops_link_opens_it_on_a_fresh_session(browser, app_url):
    for stop in STOPS:
        lang = "ko" if stop.number % 2 else "en"
        with local_context(browser) as context:
            page = context.new_page()
            page.goto(f"{app_url}/tour?stop={stop.number}&lang={lang}")
            expect_stop(page, stop, lang)
