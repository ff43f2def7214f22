"""The presenter's tour under AppTest: every stop opens its page at its tab, with no error box."""

import pytest
from streamlit.testing.v1 import AppTest

from explorer import registry
from explorer.i18n import translate
from tests.app.checks import assert_no_error_box, message
from tests.app.test_pages import open_page

STOPS = registry.tour_stops()
BY_FIGURE = {s.figure: s for s in STOPS if s.figure is not None}
PAIR_FIGURES = (4, 5)  # NSP and both losses: they draw only with a sentence B, which their presets set


def open_tour(lang: str, stop: str | None = None) -> AppTest:
    """The tour in a fresh session, as a link opens it (?stop=N)."""
    return open_page("tour", lang, **({} if stop is None else {"stop": stop}))


def assert_at_stop(at: AppTest, stop: registry.TourStop, lang: str) -> None:
    """The stop's title is the header, its page's tab is the one open and the only one drawn."""
    where = f"stop {stop.number} ({lang})"
    assert_no_error_box(at, where=where)
    assert at.session_state["tour_stop"] == stop.number, where
    assert at.title[0].value == stop.text(lang, "title"), where
    other = "en" if lang == "ko" else "ko"
    assert any(stop.text(other, "title") in c.value for c in at.caption), f"{where}: the other title"
    assert at.query_params["stop"] == str(stop.number), f"{where}: the URL names the stop"
    if stop.figure in PAIR_FIGURES:
        assert at.metric, f"{where}: no probability drawn (sentence B missing?)"
    if stop.tab is None:
        return
    assert at.session_state[f"{stop.page}_tab"] == stop.tab, f"{where}: the stop's tab is not the open one"
    sections = {translate(lang, f"section.{name}") for name in registry.FAMILY_PAGES[stop.page].sections}
    drawn = {tab.label: len(tab.children) for tab in at.tabs if tab.label in sections}  # not inner tabs
    if not drawn:  # the tour draws the stop's tab alone, without the page's tab strip
        return
    label = translate(lang, f"section.{stop.tab}")
    assert drawn[label] > 0, f"{where}: the tab {label} is empty"
    assert all(n == 0 for name, n in drawn.items() if name != label), f"{where}: other tabs ran: {drawn}"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_next_walks_every_stop_in_order(lang):
    at = open_tour(lang)
    for stop in STOPS:
        if stop.number > 1:
            at.button(key="tour_next").click().run()
        assert_at_stop(at, stop, lang)
    assert at.button(key="tour_next").disabled, "no stop after the last"
    at.button(key="tour_previous").click().run()
    assert_at_stop(at, STOPS[-2], lang)


def test_a_link_opens_its_stop_with_its_presets():
    stop = BY_FIGURE[2]
    at = open_tour("ko", str(stop.number))
    assert_at_stop(at, stop, "ko")
    assert at.text_input(key="bert_a").value == "There is my school and I love this place"
    assert "[CLS]" in " ".join(str(d.value) for d in at.dataframe) or at.get("vega_lite_chart")


def test_the_jump_list_moves_to_any_stop_and_presets_follow():
    at = open_tour("en", "1")
    stop = BY_FIGURE[15]
    at.selectbox(key="tour_jump").set_value(stop.number).run()
    assert_at_stop(at, stop, "en")
    assert at.session_state["electra_race_axis"] == "compute"  # the figure is plotted against compute


@pytest.mark.parametrize("asked", ["99", "0", "abc", "-3"])
def test_a_link_to_no_stop_says_so_and_starts_at_the_first(asked):
    at = open_tour("en", asked)
    expected = message("tour.no_such_stop")
    assert any(expected.search(w.value) for w in at.warning), [w.value for w in at.warning]
    assert at.session_state["tour_stop"] == 1
    assert at.title[0].value == STOPS[0].text("en", "title")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_sidebar_switch_enters_the_tour_and_leaves_it_on_the_stops_page(lang):
    at = open_page("home", lang)
    at.toggle(key="tour_switch_False").set_value(True).run()
    assert at.title[0].value == STOPS[0].text(lang, "title"), "in the session's language"
    for _ in range(BY_FIGURE[2].number - 1):  # on to figure 2: BERT's input, the book's sentence
        at.button(key="tour_next").click().run()
    at.toggle(key="tour_switch_True").set_value(False).run()
    assert_no_error_box(at)
    assert at.title[0].value == translate(lang, "page.bert")
    assert at.session_state["bert_tab"] == "input"
    assert at.text_input(key="bert_a").value == "There is my school and I love this place"
