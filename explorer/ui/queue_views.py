"""What every page shows of the server's job queue (explorer/jobqueue.py): the load line in the
sidebar, a waiting job's place with its estimated wait, the limits of a run, and who a visitor is
for its share of the queue."""

from __future__ import annotations

import streamlit as st

from explorer import jobqueue, limits
from explorer.ui.lang import t

LOAD_S = 10.0  # seconds between redraws of the sidebar's load line while the server has jobs
XSRF_COOKIE = "_streamlit_xsrf"  # Streamlit's own cookie (XSRF protection is on by default)


def session_id() -> str:
    """This browser session's id ('' outside a script run)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else ""


def xsrf_token(cookie: str) -> str:
    """The browser's token in Streamlit's XSRF cookie ("2|mask|masked token|time"): each page load
    masks it anew, so the raw value differs between tabs of one browser and the token does not."""
    parts = cookie.strip("\"'").split("|")
    if len(parts) != 4 or parts[0] != "2":
        return cookie.strip("\"'")  # version 1: the token itself
    try:
        mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
    except ValueError:
        return ""
    return bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked)).hex() if mask else ""


def client_key(cookie: str, address: str | None) -> str:
    """Who asks, for a visitor's share of the queue: its browser (every tab sends the same cookie),
    else its address (no cookie: XSRF protection off); "" when neither is known (a local connection
    without cookies), and the queue then counts the session alone."""
    token = xsrf_token(cookie)
    return f"browser:{token}" if token else f"address:{address}" if address else ""


def client_id() -> str:
    """This visitor's key (client_key) as its request reached the server ("" outside a script run)."""
    return client_key(st.context.cookies.get(XSRF_COOKIE, ""), st.context.ip_address)


def render_limits() -> None:
    """One caption under a run's settings: what this server allows a run and a visitor."""
    allowed = limits.current()
    st.caption(
        t(
            "limits.caption",
            minutes=allowed.run_seconds / 60,
            steps=allowed.run_steps,
            jobs=allowed.jobs_per_client,
            batch=allowed.batch,
            length=allowed.length,
        )
    )


def client_limit(err: jobqueue.ClientLimit) -> str:
    """The one message for a visitor whose jobs already fill its share of the queue."""
    return t("limits.client", n=err.limit, setting=limits.ENV["jobs_per_client"])


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
