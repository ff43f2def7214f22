"""The live classroom on the tour (explorer/ui/tour.py): a presenter opens a room, the room follows.

The tour calls, in order: take_link (a join or presenter link), stop_to_show (a follower draws the
room's stop), presenter_moved (the presenter's stop becomes the room's), render_room (the panel under
the stop's question). The core is explorer/classroom (no Streamlit); state.py, presenter_panel.py
and visitor_panel.py draw it.
"""

from __future__ import annotations

import time

import streamlit as st

from explorer.classroom.room import Limits, RoomError
from explorer.classroom.session import Presenter, Visitor
from explorer.registry.tour import TourStop
from explorer.ui.classroom.presenter_panel import render_presenter
from explorer.ui.classroom.state import (
    PRESENTER,
    ROOM,
    VISITOR,
    client,
    fault,
    get_store,
    keep_fault,
    presenter,
    show_kept_fault,
    visitor,
)
from explorer.ui.classroom.visitor_panel import render_visitor
from explorer.ui.lang import t
from explorer.ui.server import runlog

KEY, LINK_DONE = "key", "_room_link"  # ?key= claims the presenter's side, then leaves the URL


def take_link() -> None:
    """Act once on a link: ?room=CODE joins the room, ?room=CODE&key=KEY takes the presenter's side.
    The key leaves the address bar at once, so a projected screen never shows it."""
    code, key = st.query_params.get(ROOM), st.query_params.pop(KEY, None)
    if not code or st.session_state.get(LINK_DONE) == (code, bool(key)):
        return
    st.session_state[LINK_DONE] = (code, bool(key))
    store, limits, now = get_store(), Limits.from_env(), time.time()
    try:
        if key:
            st.session_state[PRESENTER] = Presenter.claim(store, code, key, client(), limits, now)
            st.session_state.pop(VISITOR, None)
        elif presenter() is None and (visitor() is None or visitor().code != code):
            st.session_state[VISITOR] = Visitor.join(store, code, client(), limits, now)
    except RoomError as error:
        keep_fault(error, code[:20])
        if not key:
            st.query_params.pop(ROOM, None)


def stop_to_show(own: int) -> int:
    """The stop this session draws: the room's for a follower, else its own."""
    guest = visitor()
    if guest is not None and guest.following and guest.last is not None:
        return guest.last.stop
    return own


def following() -> bool:
    """True while this session follows a presenter (its own stop controls are off)."""
    guest = visitor()
    return guest is not None and guest.following


def presenter_moved(stop: int) -> None:
    """The presenter's page is at `stop`: move the room there, with its question open."""
    host = presenter()
    if host is None or host.room.stop == stop:
        return
    try:
        host.move(get_store(), stop, "open", time.time())
        runlog.note(event="room_moved", stop=stop)
    except RoomError:
        pass  # kept in this session and sent later; the presenter's panel says why, once


def render_room(stop: TourStop, language: str) -> None:
    """The room's panel under the stop's question: the presenter's, a visitor's, or the way in."""
    show_kept_fault()
    if presenter() is not None:
        render_presenter(stop, language)
    elif visitor() is not None:
        render_visitor(stop.number, stop.choices[language], stop.answer, stop.text(language, "why"))
    else:
        _render_way_in(stop)


def _render_way_in(stop: TourStop) -> None:
    with st.expander(t("room.panel")):
        opener, joiner = st.columns([1, 2], vertical_alignment="bottom")
        if opener.button(t("room.open"), help=t("room.open_help"), key="room_open"):
            try:
                host = Presenter.open(get_store(), stop.number, Limits.from_env(), time.time())
            except RoomError as error:
                fault(error)
                return
            st.session_state[PRESENTER] = host
            st.rerun()
        with joiner.form("room_join", border=False, enter_to_submit=True):
            typed = st.text_input(t("room.code_label"), placeholder=t("room.code_placeholder"), max_chars=20)
            if st.form_submit_button(t("room.join")):
                _join(typed)


def _join(typed: str) -> None:
    try:
        guest = Visitor.join(get_store(), typed, client(), Limits.from_env(), time.time())
    except RoomError as error:
        fault(error, typed.strip()[:20])
        return
    st.session_state[VISITOR] = guest
    st.session_state[LINK_DONE] = (guest.code, False)
    st.query_params[ROOM] = guest.code
    st.rerun()
