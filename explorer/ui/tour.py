"""The presenter's tour (app_pages/tour.py): the chapter's stops in its order, one at a time.

A stop opens its page at its tab with its inputs preset (registry.tour_stops, from
assets/tour.toml), under a presenter's note in the session's language with the other language's
title beside it. Previous and next are buttons and the arrow keys; the stop is in the URL
(?stop=N), so a link can start a talk at any figure. A live room (explorer/ui/classroom) lets the
audience follow the presenter's stop and answer its question. The layout is for a projector: larger type,
the sidebar folded on arrival.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from explorer import registry
from explorer.registry.tour import TourStop
from explorer.ui import classroom, lang, projector
from explorer.ui.family import render_family_page
from explorer.ui.finetune.page import render_finetune_page
from explorer.ui.lang import t
from explorer.ui.markdown import literal
from explorer.ui.tokenization.page import render_tokenization_page

STOP, ARRIVED, JUMP = "tour_stop", "_tour_arrived", "tour_jump"
QUERY = "stop"
# Larger type for a room, and the stop's figure on the first screen of a projector (1280 x 720): a
# compact header, the tab's own intro hidden (the stop's note says what the figure shows), tables in
# larger type (explorer/ui/tables.render_table draws st.table in the tour: st.dataframe's canvas keeps 14 px).
_PROJECTOR_CSS = """<style>
[data-testid="stMainBlockContainer"] {font-size: 1.2rem; padding-top: 1rem}
[data-testid="stHeader"] {background: transparent}
[data-testid="stHeader"], [data-testid="stHeader"] * {pointer-events: none}
[data-testid="stHeader"] button, [data-testid="stHeader"] a {pointer-events: auto}
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li {font-size: 1.2rem}
[data-testid="stMainBlockContainer"] h1 {font-size: 2.1rem; padding: 0}
.st-key-tour_head [data-testid="stCaptionContainer"] p {font-size: 1rem}
.st-key-tour_note p {font-size: 1.35rem; line-height: 1.5}
.st-key-tour_panels summary p {white-space: nowrap; overflow: hidden; text-overflow: ellipsis}
.st-key-tour_section > [data-testid="stElementContainer"]:first-child:has([data-testid="stMarkdown"])
  {display: none}
[data-testid="stMainBlockContainer"] [data-testid="stTable"] :is(th, td) {font-size: 1.2rem}
</style>"""


def page_renderer(page: str, inputs_at=None) -> Callable[[], None]:
    """The function that draws a page of the app by its key (explorer/ui/layout.PAGES), without
    its title and intro: the stop's header says what it shows, and the room sees the figure sooner.
    A family page folds its inputs into `inputs_at` (a container beside the presenter's note)."""
    if page in registry.FAMILY_PAGES:
        return lambda: render_family_page(page, heading=False, inputs_at=inputs_at)
    if page == "tokenization":
        return lambda: render_tokenization_page(heading=False, inputs_at=inputs_at)
    return lambda: render_finetune_page(page, heading=False)  # cola, squad, glue


def _stop_from_link(count: int) -> int:
    """The stop a link asks for (?stop=N); the first, with a warning, when N is not a stop."""
    asked = st.query_params.get(QUERY, "1")
    if asked.isdigit() and 1 <= int(asked) <= count:
        return int(asked)
    st.warning(t("tour.no_such_stop", asked=literal(asked[:20]), count=count))
    return 1


def current_stop() -> TourStop:
    """This session's stop: the one it moved to, else the link's."""
    stops = registry.tour_stops()
    if st.session_state.get(STOP) not in range(1, len(stops) + 1):
        st.session_state[STOP] = _stop_from_link(len(stops))
    return stops[st.session_state[STOP] - 1]


def _arrive(stop: TourStop) -> None:
    """On arrival at a stop (not on every rerun), open its tab and set its inputs."""
    if st.session_state.get(ARRIVED) == stop.number:
        return
    for key, value in stop.presets.items():
        st.session_state[key] = value
    if stop.tab is not None:
        st.session_state[f"{stop.page}_tab"] = stop.tab
        st.session_state.pop(f"{stop.page}_tab_widget", None)  # family._tabs redraws it at the tab
    st.session_state[ARRIVED] = stop.number


def _go(number: int) -> None:
    st.session_state[STOP] = number


def _jumped() -> None:
    _go(st.session_state[JUMP])


def stop_label(stop: TourStop, language: str) -> str:
    """A stop as one line of the jump list: number, its figure or what kind of stop it is, title."""
    figure = f" · {stop.badge(language)}"
    return f"{stop.number}{figure} · {stop.text(language, 'title')}"


def _render_controls(stop: TourStop, count: int, language: str, locked: bool) -> None:
    """Previous, the jump list and next; `locked` while this session follows a presenter."""
    back, jump, forward = st.columns([1, 5, 1], vertical_alignment="bottom")
    back.button(
        t("tour.previous"),
        key="tour_previous",
        on_click=_go,
        args=(stop.number - 1,),
        disabled=locked or stop.number == 1,
        shortcut="Left",
        width="stretch",
    )
    st.session_state[JUMP] = stop.number
    # Labels made now, in this session's language: format_func may be called outside the session.
    labels = {s.number: stop_label(s, language) for s in registry.tour_stops()}
    jump.selectbox(
        t("tour.jump"),
        list(labels),
        format_func=labels.get,
        key=JUMP,
        on_change=_jumped,
        label_visibility="collapsed",
        disabled=locked,
    )
    forward.button(
        t("tour.next"),
        key="tour_next",
        on_click=_go,
        args=(stop.number + 1,),
        disabled=locked or stop.number == count,
        shortcut="Right",
        type="primary",
        width="stretch",
    )


def _render_head(stop: TourStop, count: int, language: str) -> None:
    """The stop's title, its place and page (the other language's title beside it), and the
    question for the room, in as few lines as a projector's first screen allows."""
    other = "en" if language == "ko" else "ko"
    where = [t("tour.position", n=stop.number, total=count), stop.badge(language)]
    where.append(t(f"page.{stop.page}") + (f" › {t(f'section.{stop.tab}')}" if stop.tab else ""))
    with st.container(key="tour_head", gap="small"):
        st.title(stop.text(language, "title"), anchor=False)
        st.caption(" · ".join([*where, stop.text(other, "title")]))
        st.markdown(f"**{t('tour.ask')}** {stop.text(language, 'ask')}")


def _render_note(stop: TourStop, language: str, where) -> None:
    """The presenter's note, folded: what the book shows and what the page shows here."""
    with where.expander(t("tour.note"), icon=":material/sticky_note_2:"), st.container(key="tour_note"):
        for part in ("book", "here"):
            st.markdown(f"**{t(f'tour.{part}')}** {stop.text(language, part)}")
        st.caption(t("tour.keys"))


def render_tour_page() -> None:
    """Draw the tour's current stop: controls, the presenter's note, then the stop's page."""
    st.set_page_config(initial_sidebar_state="collapsed")
    projector.switch(True)
    st.html(_PROJECTOR_CSS)
    classroom.take_link()
    if classroom.following():  # a follower draws the presenter's stop
        st.session_state[STOP] = classroom.stop_to_show(st.session_state.get(STOP, 1))
    stop = current_stop()
    classroom.presenter_moved(stop.number)
    count = len(registry.tour_stops())
    _arrive(stop)
    st.query_params[QUERY] = str(stop.number)
    language = lang.current()
    _render_controls(stop, count, language, locked=classroom.following())
    _render_head(stop, count, language)
    note, room, inputs = st.container(key="tour_panels").columns(3)  # folded panels, one row
    _render_note(stop, language, note)
    with room:
        classroom.render_room(stop, language)  # a live room, or the way to open or join one
    page_renderer(stop.page, inputs)()
