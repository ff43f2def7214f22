"""The presenter's side of the room: the code, the join link and its QR code, who is there, and the
question's live tally at projector size, with close / reopen / reveal."""

from __future__ import annotations

import io
import time

import streamlit as st

from explorer.classroom.room import RoomError, spoken
from explorer.registry.tour import TourStop
from explorer.ui.classroom.state import POLL_S, ROOM, fault, get_store, keep_fault, leave, presenter
from explorer.ui.lang import t
from explorer.views.classroom_charts import LETTERS, tally_chart, tally_frame

CODE_CSS = (
    "<style>.st-key-room_code p {font-size: 2.9rem; font-weight: 700; letter-spacing: 0.06em;"
    " white-space: nowrap; line-height: 1.2}</style>"
)


@st.cache_data(max_entries=64)
def qr_png(link: str) -> bytes:
    """The join link as a QR code (segno), large modules so a projector's image scans from afar."""
    import segno

    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def join_link(code: str, language: str) -> str:
    """This page's address with ?room=CODE (and the language): never the presenter's key."""
    base = (st.context.url or "").split("?")[0].rstrip("/")
    return f"{base}?{ROOM}={code}&lang={language}"


def render_presenter(stop: TourStop, language: str) -> None:
    host = presenter()
    code = host.room.code
    link = join_link(code, language)
    st.html(CODE_CSS)
    words, qr, live = st.columns([2.2, 1.3, 4], gap="medium")
    with words:
        st.caption(t("room.code_label"))
        st.container(key="room_code").markdown(spoken(code))
        st.code(link, language=None, wrap_lines=True)
        with st.popover(t("room.presenter_link")):
            st.caption(t("room.presenter_link_help"))
            st.code(f"{link}&key={host.key}", language=None, wrap_lines=True)
        st.button(t("room.close_room"), on_click=_close_room, key="room_close")
    with qr:
        st.image(qr_png(link), caption=t("room.scan"), width="stretch")
    with live:
        _render_live(stop.number, stop.choices[language], stop.answer, stop.text(language, "why"))


def _close_room() -> None:
    """End the room for everyone (followers are told), then leave it."""
    _set_question("ended")
    leave()


def _set_question(state: str) -> None:
    host = presenter()
    try:
        host.move(get_store(), host.room.stop, state, time.time())
    except RoomError as error:
        keep_fault(error, host.room.code)


@st.fragment(run_every=POLL_S * 2)
def _render_live(stop: int, choices: tuple[str, ...], answer: int, why: str) -> None:
    """Who is there, the question's state and its tally, refreshed on its own."""
    host = presenter()
    if host is None:
        return
    try:
        tally = host.tally(get_store(), stop, len(choices), time.time())
    except RoomError as error:
        fault(error, host.room.code)
        return
    state = host.room.question
    st.markdown(
        f"**{t('room.people', present=tally.present, following=tally.following)}** · "
        f"{t('room.answered', n=tally.total)} · {t(f'room.state_{state}')}"
    )
    buttons = st.columns(3)
    if state == "open":
        buttons[0].button(
            t("room.close_answers"), on_click=_set_question, args=("closed",), key="room_q_close"
        )
    else:
        buttons[0].button(t("room.reopen"), on_click=_set_question, args=("open",), key="room_q_open")
    buttons[1].button(
        t("room.reveal"),
        on_click=_set_question,
        args=("revealed",),
        key="room_q_reveal",
        type="primary",
        disabled=state == "revealed",
    )
    revealed = state == "revealed"
    st.altair_chart(tally_chart(tally_frame(tally, choices, answer if revealed else None), t("room.axis")))
    if revealed:
        st.markdown(f"**{t('room.right', letter=LETTERS[answer], text=choices[answer])}** {why}")
