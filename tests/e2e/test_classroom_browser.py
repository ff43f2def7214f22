"""The live classroom in a real browser, three contexts on one server: the presenter opens a room on
the tour, two visitors join by its code (one by the join link, one by typing it), "next" moves both,
each votes and the presenter's tally counts 2; a visitor cannot move the room, a forged key is refused;
closing the room gives the visitors their own controls back."""

import re

import pytest
from playwright.sync_api import expect

from explorer import registry
from explorer.i18n import translate
from tests.e2e.conftest import local_context, open_room

pytestmark = pytest.mark.e2e
STOPS = registry.tour_stops()
FIRST = next(s.number for s in STOPS if s.page == "cola")  # then SQuAD: two stops that draw without a model
FOLLOW_MS = 30_000  # a hang fails here with a name; how fast a room follows is `bench classroom`'s


def heading(page, number: int):
    return page.get_by_role("heading", name=STOPS[number - 1].text("en", "title"), exact=True)


def test_a_room_follows_its_presenter_votes_and_refuses_what_is_not_the_presenters(browser, app_url):
    with (
        local_context(browser) as host_context,
        local_context(browser) as first_context,
        local_context(browser) as second_context,
    ):
        host = host_context.new_page()
        host.goto(f"{app_url}/tour?lang=en&stop={FIRST}")
        expect(heading(host, FIRST)).to_be_visible()
        code = open_room(host)
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
        link = host.get_by_test_id("stCode").first.inner_text().strip()
        assert "key=" not in link and re.search(r"room=[A-Z0-9]{8}", link), link  # the key is not in it

        first = first_context.new_page()
        first.goto(link.replace(re.match(r"https?://[^/]+", link).group(0), app_url))
        second = second_context.new_page()
        second.goto(f"{app_url}/tour?lang=en&stop=1")
        second.get_by_text(translate("en", "room.panel")).click()
        second.get_by_label(translate("en", "room.code_label")).fill(code.lower())
        second.get_by_role("button", name=translate("en", "room.join"), exact=True).click()
        for visitor in (first, second):
            expect(heading(visitor, FIRST)).to_be_visible()
        expect(host.get_by_text("2 in the room · 2 following")).to_be_visible(timeout=FOLLOW_MS)

        host.get_by_role("button", name=translate("en", "tour.next")).click()
        for visitor in (first, second):
            expect(heading(visitor, FIRST + 1)).to_be_visible(timeout=FOLLOW_MS)
            expect(visitor).to_have_url(re.compile(rf"stop={FIRST + 1}(&|$)"))

        choices = STOPS[FIRST].choices["en"]
        first.get_by_text(f"A. {choices[0]}", exact=True).click()
        second.get_by_text(f"B. {choices[1]}", exact=True).click()
        expect(host.get_by_text(re.compile(r"2 answered"))).to_be_visible(timeout=FOLLOW_MS)
        host.get_by_role("button", name=translate("en", "room.reveal"), exact=True).click()
        answer = STOPS[FIRST].answer
        right = translate("en", "room.right", letter="ABCD"[answer], text=choices[answer])
        expect(first.get_by_text(right)).to_be_visible(timeout=FOLLOW_MS)

        # A visitor's own controls are off while following; exploring, they move only that visitor.
        previous = first.get_by_role("button", name=translate("en", "tour.previous"))
        expect(previous).to_be_disabled()
        first.get_by_text(translate("en", "room.follow"), exact=True).click()
        previous.click()
        expect(heading(first, FIRST)).to_be_visible()
        first.wait_for_timeout(3000)  # several polls of the others' pages
        expect(heading(host, FIRST + 1)).to_be_visible()
        expect(heading(second, FIRST + 1)).to_be_visible()
        first.get_by_role("button", name=translate("en", "room.back", stop=FIRST + 1), exact=True).click()
        expect(heading(first, FIRST + 1)).to_be_visible(timeout=FOLLOW_MS)

        forged = second_context.new_page()
        forged.goto(f"{app_url}/tour?lang=en&room={code.replace('-', '')}&key=forged-key")
        refused = translate("en", "room.error.forged_key", code=code)
        expect(forged.get_by_text(refused)).to_be_visible()
        expect(forged).not_to_have_url(re.compile("key="))
        expect(forged.get_by_role("button", name=translate("en", "room.reveal"))).to_have_count(0)
        expect(heading(host, FIRST + 1)).to_be_visible()

        host.get_by_role("button", name=translate("en", "room.close_room"), exact=True).click()
        expect(first.get_by_text(translate("en", "room.ended"))).to_be_visible(timeout=FOLLOW_MS)
        expect(first.get_by_role("button", name=translate("en", "tour.previous"))).to_be_enabled()
        for page in (host, first, second, forged):
            expect(page.get_by_test_id("stException")).to_have_count(0)
