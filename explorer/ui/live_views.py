"""What the live trainings of the ELECTRA and DistilBERT pages share: a corpus picker, and a run that
advances a chunk per refresh with its progress, a Stop button, and whatever was learned kept."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from explorer import corpus, data, mlm_data
from explorer.chunked import ChunkedRun
from explorer.text import MAX_INPUT_CHARS
from explorer.ui import layout
from explorer.ui.lang import t

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
        format_func=lambda c: t(f"live.corpus_{c}"),
        horizontal=True,
        key=f"{key}_corpus",
    )
    try:
        lines = _lines(choice, key)
    except (corpus.CorpusError, data.DataError, OSError) as err:
        st.error(t("live.corpus_error", error=err))
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
    """The start button; a run whose settings are refused says why and does not start."""
    run = st.session_state.get(key)
    busy = run is not None and not run.finished
    if st.button(t("live.start"), type="primary", key=f"{key}_start", disabled=busy or not ready):
        try:
            st.session_state[key] = make()
        except ValueError as err:
            st.error(t("live.bad_settings", error=err))
            return
        st.rerun()


def render_live(key: str, draw: Callable[[ChunkedRun], None]) -> None:
    """This session's run: a chunk of training per refresh while it runs, then `draw` of what it learned."""
    run = st.session_state.get(key)
    if run is None:
        return
    with layout.still_bars(f"{key}_live"):
        st.fragment(_tick, run_every=None if run.finished else 0.2)(key, draw)


def _tick(key: str, draw: Callable[[ChunkedRun], None]) -> None:
    run = st.session_state.get(key)
    if run is None:
        return
    if not run.finished and st.button(t("live.stop"), key=f"{key}_stop"):
        run.stop()
    text = t("live.progress", step=run.step, total=run.total_steps, seconds=run.seconds)
    st.progress(min(1.0, run.step / run.total_steps), text)
    if run.stopped:
        st.warning(t("live.stopped", step=run.step, total=run.total_steps))
    draw(run)
    if not run.finished:
        # Train after drawing, so what is on screen stays current during the chunk: trained first,
        # the fragment's last drawing was greyed out as stale for the whole chunk, most of the time.
        run.advance(CHUNK_S)
        if run.finished:
            # The whole page (start button back, refresh off) draws the end, once: drawn in the
            # fragment too, its copy stayed on screen beside the page's while the page redrew.
            st.rerun()
