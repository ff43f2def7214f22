"""A visitor's side of the room: follow the presenter or explore alone, and answer the stop's question.

The panel is a fragment that reruns every POLL_S seconds on its own (one store round trip and a few
elements); only when the presenter has moved does a follower's whole page rerun, once, at the new stop.
"""

from __future__ import annotations

import time

import streamlit as st

from explorer.classroom.room import Limits, RoomError, StoreUnavailable, spoken
from explorer.classroom.session import Visitor
from explorer.ui.classroom.state import POLL_S, fault, get_store, keep_fault, leave, visitor
from explorer.ui.lang import t
from explorer.ui.server import runlog
from explorer.views.classroom_charts import LETTERS


@st.fragment(run_every=POLL_S)
def render_visitor(shown: int, choices: tuple[str, ...], answer: int, why: str) -> None:
    """Poll the room; when the presenter moved and this visitor follows, redraw the page there."""
    guest = visitor()
    if guest is None:
        return
    try:
        room = guest.poll(get_store(), Limits.from_env(), time.time())
    except RoomError as error:
        fault(error, guest.code)
        room = guest.last
    if room is None:
        st.button(t("room.leave"), on_click=leave, key="room_leave")
        return
    if room.question == "ended":
        if guest.following:
            guest.following = False
            st.rerun()  # the page's own controls come back
        st.info(t("room.ended"))
        st.button(t("room.leave"), on_click=leave, key="room_leave_ended")
        return
    if guest.following and room.stop != shown:
        runlog.note(event="room_seen", stop=room.stop)
        st.rerun()  # the whole page, once, at the presenter's stop
    status, switch = st.columns([3, 2], vertical_alignment="center")
    where = "following" if guest.following else "exploring"
    status.markdown(t(f"room.{where}", code=spoken(guest.code), stop=room.stop))
    wanted = switch.toggle(
        t("room.follow"), value=guest.following, help=t("room.follow_help"), key="room_follow"
    )
    if wanted != guest.following:
        guest.following = wanted
        st.rerun()
    if room.stop != shown:
        st.caption(t("room.elsewhere", stop=room.stop))
        if st.button(t("room.back", stop=room.stop), key="room_back", type="primary"):
            guest.following = True
            st.rerun()
        return
    _render_answer(guest, room.question, shown, choices, answer, why)


def _vote(guest: Visitor, stop: int, choices: int) -> None:
    choice = st.session_state.get(f"room_answer_{stop}")
    if choice is None:
        return
    try:
        guest.answer(get_store(), stop, choice, choices, time.time())
    except StoreUnavailable:
        pass  # the answer is kept and sent when the store is back; the panel's poll says so, once
    except RoomError as error:
        keep_fault(error, guest.code)


def _render_answer(
    guest: Visitor, state: str, stop: int, choices: tuple[str, ...], answer: int, why: str
) -> None:
    """The visitor's choices: one answer, changeable while open; the right one once revealed."""
    st.radio(
        t("room.your_answer"),
        range(len(choices)),
        format_func=lambda i: f"{LETTERS[i]}. {choices[i]}",
        index=guest.answers.get(stop),
        key=f"room_answer_{stop}",
        on_change=_vote,
        args=(guest, stop, len(choices)),
        disabled=state != "open",
    )
    mine = guest.answers.get(stop)
    if state == "open":
        st.caption(t("room.can_change"))
    elif state == "closed":
        st.caption(t("room.closed_note"))
    else:
        st.success(t("room.right", letter=LETTERS[answer], text=choices[answer]))
        if mine is not None:
            st.markdown(t("room.you_right" if mine == answer else "room.you_wrong", letter=LETTERS[mine]))
        st.markdown(f"**{t('room.why')}** {why}")
