"""What every part of the classroom's pages shares: the store, this session's side of a room, faults."""

from __future__ import annotations

import os
import re

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from explorer.classroom.room import RoomError, normalize_code, spoken
from explorer.classroom.session import Presenter, Visitor
from explorer.classroom.store import RoomStore, open_store
from explorer.ui.lang import t

PRESENTER, VISITOR, FAULT = "room_presenter", "room_visitor", "_room_fault"
ROOM = "room"  # the join link's ?room=CODE
# A follower sees a move within about this; each poll costs the server a fragment rerun (0.3 to 0.6% of
# a core per idle follower at 1.5 s on a 2-core machine, 1.3% at 1 s: bench classroom).
POLL_S = float(os.environ.get("EXPLORER_ROOM_POLL_S", "1.5"))


@st.cache_resource
def get_store() -> RoomStore:
    """The one store of this server process (EXPLORER_ROOM_STORE; a SQLite file by default)."""
    return open_store()


def client() -> str:
    """Who tries to join, for the rate limit: this browser session."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else "script"


def presenter() -> Presenter | None:
    return st.session_state.get(PRESENTER)


def visitor() -> Visitor | None:
    return st.session_state.get(VISITOR)


def show_fault(kind: str, code: str = "") -> None:
    """One message for a fault (assets/i18n/*/classroom.toml, room.error.<kind>); the page goes on."""
    normal = normalize_code(code)
    shown = spoken(normal) if normal else re.sub(r"[^0-9A-Za-z -]", "", code)[:20] or "?"  # no markdown
    (st.info if kind in ("store_gone", "restoring") else st.warning)(
        t(f"room.error.{kind}", code=shown), icon="🔌"
    )


def fault(error: RoomError, code: str = "") -> None:
    show_fault(error.kind, code)


def keep_fault(error: RoomError, code: str = "") -> None:
    """A fault met in a callback, shown on the run that follows it."""
    st.session_state[FAULT] = (error.kind, code)


def show_kept_fault() -> None:
    if FAULT in st.session_state:
        show_fault(*st.session_state.pop(FAULT))


def leave() -> None:
    """Leave the room (a visitor) or drop the presenter's side (the room lives on until it expires)."""
    for key in (PRESENTER, VISITOR):
        st.session_state.pop(key, None)
    st.query_params.pop(ROOM, None)
