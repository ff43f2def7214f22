"""What the live trainings of the ELECTRA and DistilBERT pages share: a corpus picker, and a run that
advances a chunk per refresh with its progress, a Stop button, and whatever was learned kept."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from explorer import jobqueue
from explorer.tokens import corpus
from explorer.tokens.text import MAX_INPUT_CHARS
from explorer.training import data, mlm_data
from explorer.training.chunked import ChunkedRun
from explorer.ui import layout, queue_views
from explorer.ui.lang import labels, t
from explorer.ui.markdown import literal

QUEUED_POLL_S = 2.0  # seconds between redraws of a waiting run: each one keeps its place in the queue
CHUNK_S = 2.0  # training time per refresh: Stop answers within about this; longer wastes less on redraws
COLA_LINES = 2000  # CoLA's training sentences used as a corpus: enough for a few hundred steps
CORPORA = ("bundled_en", "cola", "own")


def _lines(choice: str, key: str) -> list[str] | None:
    if choice == "bundled_en":
        return list(corpus.bundled("en").lines)
    if choice == "cola":
        return [r.text for r in data.load_local("cola", "train")][:COLA_LINES]
    text = st.text_area(t("live.own_corpus"), key=f"{key}_own", height=140)
    if len(text) > MAX_INPUT_CHARS:
        st.error(t("tok.too_long", n=len(text), limit=MAX_INPUT_CHARS))
        return None
    return [line for line in text.splitlines() if line.strip()]


def render_corpus(key: str, tokenizer, max_length: int, compact: bool) -> mlm_data.TokenRows | None:
    """A corpus radio (bundled English, CoLA's sentences, your text) -> token rows, or None with a message."""
    choice = st.radio(
        t("live.corpus"),
        CORPORA,
        format_func=labels("live.corpus_{}", CORPORA),
        horizontal=True,
        key=f"{key}_corpus",
    )
    try:
        lines = _lines(choice, key)
    except (corpus.CorpusError, data.DataError, OSError) as err:
        st.error(t("live.corpus_error", error=literal(err)))
        return None
    if lines is None:
        return None
    try:
        rows = mlm_data.encode_corpus(tokenizer, lines, max_length, compact)
    except mlm_data.CorpusTooSmall as err:
        st.info(t("live.too_small", error=err))
        return None
    st.caption(t("live.corpus_size", lines=len(rows.rows), tokens=rows.n_tokens, vocab=rows.vocab_size))
    return rows


def render_start(key: str, make: Callable[[], ChunkedRun], ready: bool) -> None:
    """The start button under the server's limits; the run joins the server's job queue. A run whose
    settings are refused, or whose visitor already holds its share of the queue, says why and does
    not start."""
    queue_views.render_limits()
    run = st.session_state.get(key)
    busy = run is not None and not run.finished
    if st.button(t("live.start"), type="primary", key=f"{key}_start", disabled=busy or not ready):
        try:
            run = make()
        except ValueError as err:
            st.error(t("live.bad_settings", error=err))
            return
        try:
            _enqueue(key, run)
        except jobqueue.ClientLimit as err:
            st.error(queue_views.client_limit(err))
            return
        st.session_state[key] = run
        st.rerun()


def _enqueue(key: str, run: ChunkedRun) -> jobqueue.Ticket:
    """Queue a run: it trains only while its page draws it, so only its page keeps its place. Raises
    ClientLimit when this visitor's jobs already fill its share."""
    ticket = jobqueue.Ticket(
        queue_views.session_id(), key, eta=lambda: _eta(run), resident=True, client=queue_views.client_id()
    )
    jobqueue.shared().submit(ticket)
    st.session_state[f"{key}_ticket"] = ticket
    return ticket


def _eta(run: ChunkedRun) -> float | None:
    """Seconds of training left at the speed so far, or to the server's limit (None before a step)."""
    if not run.step:
        return None
    return min(run.seconds / run.step * (run.total_steps - run.step), max(0.0, run.max_seconds - run.seconds))


def render_live(key: str, draw: Callable[[ChunkedRun], None]) -> None:
    """This session's run: its place while it waits for a slot, then a chunk of training per refresh
    while it runs, then `draw` of what it learned."""
    if st.session_state.pop(f"{key}_left", False):
        st.info(t("queue.left"))
    run = st.session_state.get(key)
    if run is None:
        return
    ticket = st.session_state.get(f"{key}_ticket")
    waiting = ticket is None or ticket.state != jobqueue.RUNNING  # queued, or to queue again
    every = None if run.finished else QUEUED_POLL_S if waiting else 0.2
    with layout.still_bars(f"{key}_live"):
        st.fragment(_tick, run_every=every)(key, draw)


def _tick(key: str, draw: Callable[[ChunkedRun], None]) -> None:
    run = st.session_state.get(key)
    if run is None:
        return
    if not run.finished and not _admitted(key, run):
        return
    if not run.finished and st.button(t("live.stop"), key=f"{key}_stop"):
        run.stop()
    text = t("live.progress", step=run.step, total=run.total_steps, seconds=run.seconds)
    st.progress(min(1.0, run.step / run.total_steps), text)
    if run.stopped and run.finished:  # said by the page's redraw alone: a copy the fragment drew stays
        why = "limits.live_seconds" if run.limit else "live.stopped"
        st.warning(t(why, step=run.step, total=run.total_steps, value=run.max_seconds))
    draw(run)
    if not run.finished:
        # Train after drawing, so what is on screen stays current during the chunk: trained first,
        # the fragment's last drawing was greyed out as stale for the whole chunk, most of the time.
        run.advance(CHUNK_S)
        if run.finished:
            jobqueue.shared().finish(st.session_state[f"{key}_ticket"])
            # The whole page (start button back, refresh off) draws the end, once: drawn in the
            # fragment too, its copy stayed on screen beside the page's while the page redrew.
            st.rerun()


def _admitted(key: str, run: ChunkedRun) -> bool:
    """True when the run holds a slot; else its place in the queue and a Stop that leaves it. A run
    whose slot was given back while its page was closed joins the queue again."""
    queue, ticket = jobqueue.shared(), st.session_state.get(f"{key}_ticket")
    if ticket is None or not ticket.active:
        try:
            ticket = _enqueue(key, run)
        except jobqueue.ClientLimit as err:  # its visitor's other tabs took its share meanwhile
            st.info(queue_views.client_limit(err))
            return False
        if ticket.state == jobqueue.QUEUED:
            st.info(t("queue.rejoined"))
    queue.beat(ticket)
    if ticket.state == jobqueue.RUNNING:
        if st.session_state.get(f"{key}_was_waiting"):
            st.session_state[f"{key}_was_waiting"] = False
            st.rerun()  # the whole page: the refresh goes from waiting's pace to training's
        return True
    st.session_state[f"{key}_was_waiting"] = True
    if st.button(t("live.stop"), key=f"{key}_stop"):
        queue.cancel(ticket)
        del st.session_state[key]
        st.session_state[f"{key}_left"] = True
        st.rerun()
    queue_views.render_place(queue, ticket)
    return False
