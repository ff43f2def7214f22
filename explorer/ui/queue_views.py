"""What every page shows of the server's job queue (explorer/jobqueue.py): the load line in the
sidebar, and a waiting job's place with its estimated wait."""

from __future__ import annotations

import streamlit as st

from explorer import jobqueue
from explorer.ui.lang import t

LOAD_S = 10.0  # seconds between redraws of the sidebar's load line while the server has jobs


def session_id() -> str:
    """This browser session's id ('' outside a script run)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else ""


def render_load() -> None:
    """The sidebar's load line on every page; each redraw also says this session is still here, so
    its fine-tunes keep their place in the queue while it looks at other pages."""
    busy = jobqueue.shared().load()
    with st.sidebar:
        st.fragment(_load_line, run_every=LOAD_S if busy.running or busy.queued else None)()


def _load_line() -> None:
    queue = jobqueue.shared()
    queue.touch(session_id())
    load = queue.load()
    if load.running or load.queued:
        st.caption(t("queue.load", running=load.running, slots=load.max_jobs, queued=load.queued))
    else:
        st.caption(t("queue.load_idle", slots=load.max_jobs))


def _when(seconds: float) -> str:
    if seconds < 90:
        return t("queue.seconds", n=max(5, round(seconds / 5) * 5))
    return t("queue.minutes", n=round(seconds / 60))


def render_place(queue: jobqueue.JobQueue, ticket: jobqueue.Ticket) -> None:
    """A waiting job's place in line and how long it may wait; drawing it keeps the place."""
    queue.beat(ticket)
    place = queue.place(ticket)
    if place is None:
        return
    load = queue.load()
    wait = queue.estimated_wait(ticket)
    when = t("queue.wait_unknown") if wait is None else t("queue.wait", when=_when(wait))
    st.info(t("queue.place", place=place, running=load.running, slots=load.max_jobs) + " " + when)
