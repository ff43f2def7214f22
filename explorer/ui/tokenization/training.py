"""The 'train a tokenizer live' section: pick a corpus, train, compare with the pretrained splits.

A press of Train on a visitor's corpus (an upload, a path, the hub's) is one job of the server's queue
(explorer/jobqueue.py): it waits for a slot with its place shown, counts toward the visitor's share,
and trains in child processes killed past EXPLORER_MAX_TOKENIZER_SECONDS (explorer/tokens/bounded.py).
The bundled samples (5 KB each, trained in a fraction of a second and cached for every session) train
at once in the script thread: a room pressing Train on them never waits behind fine-tunes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from explorer import jobqueue, limits, paths
from explorer.tokens import bounded, corpus
from explorer.tokens.tokenize import ALGORITHMS, TrainedTokenizer, tokenize
from explorer.ui import getters, layout, queue_views
from explorer.ui.export import render_chart
from explorer.ui.lang import labels, t
from explorer.ui.live_views import QUEUED_POLL_S
from explorer.ui.markdown import literal
from explorer.ui.tables import render_table
from explorer.ui.tokenization import tokens
from explorer.views import charts

CORPORA = ("bundled_en", "bundled_ko", "upload", "path", "hub")
VOCAB_SIZES = (100, 200, 300, 500, 1000, 2000, 5000, 10000, 30000)
SWEEP_MAX_CHARS = 2_000_000  # sweep only corpora that train in well under a second per size
WAITING = "train_waiting"  # session key: (Request, Ticket) of a press waiting for its slot


@dataclass(frozen=True)
class Request:
    """What one press of Train asked for."""

    corpus: corpus.Corpus
    algorithms: tuple[str, ...]
    vocab: int

    @property
    def queued(self) -> bool:
        """A visitor's corpus waits for a slot and trains under the budget; a bundled sample does not."""
        return not self.corpus.name.startswith("bundled:")


@dataclass(frozen=True)
class Outcome:
    """A press's tokenizers, and its sweep (None: corpus too big to sweep; (): stopped at the budget)."""

    request: Request
    trained: tuple[TrainedTokenizer, ...]
    sweep: tuple[TrainedTokenizer, ...] | None


@st.cache_resource(show_spinner=False)
def get_hub_corpus() -> corpus.Corpus:
    return corpus.from_hub()


def _corpus(choice: str) -> corpus.Corpus | None:
    if choice.startswith("bundled_"):
        return corpus.bundled(choice.removeprefix("bundled_"))
    if choice == "upload":
        upload = st.file_uploader(
            t("train.upload_label"), type=["txt", "md", "tsv", "csv"], help=t("train.upload_help")
        )
        return corpus.from_bytes(upload.name, upload.getvalue()) if upload else None
    if choice == "path":
        path = st.text_input(t("train.path_label"), key="train_path", help=t("paths.help"))
        return corpus.from_path(path.strip()) if path.strip() else None
    return get_hub_corpus() if layout.online() else None


def render_corpus_picker() -> corpus.Corpus | None:
    """Radio of corpus sources; returns the chosen corpus or None (with a message) if unusable."""
    label = {c: t(f"train.{c}") for c in CORPORA}
    if not layout.online():
        label["hub"] = t("train.hub_offline")
    choice = st.radio(t("train.corpus"), CORPORA, format_func=label.get, horizontal=True, key="train_corpus")
    try:
        return _corpus(choice)
    except corpus.CorpusError as err:
        st.error(literal(err))
        return None
    except paths.PathNotAllowed as err:
        st.error(t("paths.outside", path=literal(err.shown)))
        return None


def train_all(
    chosen: corpus.Corpus,
    jobs: list[tuple[str, int]],
    seconds: float | None = None,
    threads: int = 0,
    skip_refused: bool = False,
) -> list[TrainedTokenizer]:
    """Train each (algorithm, vocabulary size) with a progress bar, cached per corpus, algorithm and
    size; with `seconds`, each in a child process and all within that budget (TrainingStopped).
    `skip_refused`: a size the trainer refuses (ValueError) is left out instead of ending the rest."""
    deadline = None if seconds is None else time.monotonic() + seconds
    bar = st.progress(0.0)
    trained = []
    try:
        for done, (algorithm, vocab) in enumerate(jobs):
            text = t("train.training", algorithm=t(f"algo.{algorithm}"), lines=len(chosen.lines))
            bar.progress(done / len(jobs), text)
            left = None if deadline is None else deadline - time.monotonic()
            try:
                trained.append(
                    getters.get_trained(algorithm, chosen.name, chosen.lines, vocab, left, threads)
                )
            except ValueError:
                if not skip_refused:
                    raise
    except bounded.TrainingStopped:
        raise bounded.TrainingStopped(seconds or 0.0) from None
    finally:
        bar.empty()
    return trained


def sweep_frame(sweep: tuple[TrainedTokenizer, ...], text: str) -> pd.DataFrame:
    """Token count of `text` under tokenizers trained at growing vocabulary sizes."""
    rows = [
        {
            "algorithm": t(f"algo.{trained.algorithm}"),
            "vocab": trained.vocab_size,
            "tokens": len(tokenize(trained.tokenizer, text, 10**9).tokens),
        }
        for trained in sweep
    ]
    return pd.DataFrame(rows)


def _train(request: Request, seconds: float | None, threads: int = 0) -> None:
    """Train what a press asked for, then its sweep in what is left of the budget; the page keeps
    the outcome, or why there is none (the trainer's refusal, or the budget)."""
    started = time.monotonic()
    try:
        trained = train_all(
            request.corpus, [(a, request.vocab) for a in request.algorithms], seconds, threads
        )
    except bounded.TrainingStopped as err:
        st.session_state.pop("trained", None)
        st.session_state["train_stopped"] = err.seconds
        return
    except (ValueError, RuntimeError) as err:  # what the trainer refuses; its process failing
        st.session_state["train_error"] = str(err)
        return
    sweep = None
    if request.corpus.n_chars <= SWEEP_MAX_CHARS:
        sizes = [(a, v) for a in request.algorithms for v in VOCAB_SIZES if v <= request.vocab]
        left = None if seconds is None else seconds - (time.monotonic() - started)
        try:
            sweep = tuple(train_all(request.corpus, sizes, left, threads, skip_refused=True))
        except bounded.TrainingStopped:
            sweep = ()
    st.session_state["trained"] = Outcome(request, tuple(trained), sweep)


def _submit(request: Request) -> None:
    """Queue a press on a visitor's corpus; with a slot free it trains in the next run. Resident:
    while it waits, only this page keeps its place."""
    ticket = jobqueue.Ticket(
        queue_views.session_id(), "tokenizer training", resident=True, client=queue_views.client_id()
    )
    try:
        jobqueue.shared().submit(ticket)
    except jobqueue.ClientLimit as err:
        st.error(queue_views.client_limit(err))
        return
    st.session_state[WAITING] = (request, ticket)
    st.rerun()  # the whole page again: Train disabled while it waits, or trains now if a slot was free


def _train_admitted() -> None:
    """Train the queued press whose ticket now holds a slot, and give the slot back however it ends."""
    waiting = st.session_state.get(WAITING)
    if waiting is None or waiting[1].state == jobqueue.QUEUED:
        return
    request, ticket = st.session_state.pop(WAITING)
    if ticket.state != jobqueue.RUNNING:  # dropped: its page was away when its turn came
        st.info(t("queue.dropped"))
        return
    # It trains in this thread from here and ends in the finally: not to be dropped for its silence.
    ticket.resident = False
    try:
        _train(request, limits.current().tokenizer_seconds, ticket.threads)
    finally:
        jobqueue.shared().finish(ticket)
    st.rerun()  # the whole page again, Train enabled: this run drew it disabled, while the press waited


def _render_waiting() -> None:
    """A press waiting for its slot: its place, redrawn (which keeps it) until its turn comes."""
    if st.session_state.pop("train_left", False):
        st.info(t("queue.left"))
    if WAITING in st.session_state:
        st.fragment(_wait, run_every=QUEUED_POLL_S)()


def _wait() -> None:
    waiting = st.session_state.get(WAITING)
    if waiting is None:
        return
    queue, ticket = jobqueue.shared(), waiting[1]
    queue.beat(ticket)
    if ticket.state != jobqueue.QUEUED:
        st.rerun()  # the whole page: it trains now, or says that its place was lost
    if st.button(t("live.stop"), key="train_leave"):
        queue.cancel(ticket)
        del st.session_state[WAITING]
        st.session_state["train_left"] = True
        st.rerun()
    queue_views.render_place(queue, ticket)


def render_trained(trained: TrainedTokenizer, text: str, pretrained: tuple | None) -> None:
    """What one trained tokenizer learned, and its split of `text` beside the pretrained one's."""
    st.subheader(t(f"algo.{trained.algorithm}"))
    st.caption(t("train.vocab_size", n=trained.vocab_size))
    if not trained.learned:
        st.warning(t("train.small_alphabet"))
    with st.expander(t(f"train.learned_{trained.algorithm}"), expanded=False):
        render_table(pd.DataFrame({"piece": trained.learned[:200]}), width="stretch")
    st.markdown(f"**{t('train.split_trained')}**")
    tokens.render_tokenization(
        t(f"algo.{trained.algorithm}"), trained.tokenizer, tokenize(trained.tokenizer, text, 512), table=False
    )
    if pretrained is not None:
        tokenizer, result = pretrained
        name = t(f"algo.{trained.algorithm}")
        st.markdown(f"**{t('train.split_pretrained', name=name)}**")
        tokens.render_tokenization(name, tokenizer, result, table=False)


def render_training(text: str, pretrained: dict[str, tuple]) -> None:
    """The whole training section; `pretrained` maps algorithm -> (tokenizer, tokenization)."""
    st.header(t("train.title"))
    st.markdown(t("train.intro"))
    chosen = render_corpus_picker()
    left, right = st.columns([2, 1])
    algorithms = left.multiselect(
        t("train.algorithms"), ALGORITHMS, default=list(ALGORITHMS), format_func=labels("algo.{}", ALGORITHMS)
    )
    vocab = right.select_slider(t("train.vocab"), VOCAB_SIZES, value=1000)
    idle = chosen is not None and bool(algorithms) and WAITING not in st.session_state
    if st.button(t("train.button"), type="primary", disabled=not idle):
        request = Request(chosen, tuple(algorithms), vocab)
        for note in ("train_stopped", "train_error"):
            st.session_state.pop(note, None)
        if request.queued:
            _submit(request)
        else:
            _train(request, None)
    _train_admitted()
    _render_waiting()
    if "train_error" in st.session_state:
        st.error(t("train.error", error=literal(st.session_state["train_error"])))
    if "train_stopped" in st.session_state:
        budget = st.session_state["train_stopped"]
        st.warning(t("train.stopped", seconds=budget, setting=limits.ENV["tokenizer_seconds"]))
    if "trained" in st.session_state:
        render_outcome(st.session_state["trained"], text, pretrained)


def render_outcome(outcome: Outcome, text: str, pretrained: dict[str, tuple]) -> None:
    """What the last press trained: each tokenizer beside the pretrained one, then the sweep."""
    done_corpus = outcome.request.corpus
    st.success(
        t(
            "train.done",
            name=literal(done_corpus.name),
            lines=len(done_corpus.lines),
            chars=done_corpus.n_chars,
        )
    )
    for column, item in zip(st.columns(len(outcome.trained)), outcome.trained, strict=True):
        with column:
            render_trained(item, text, pretrained.get(item.algorithm))
    if outcome.sweep == ():
        st.caption(t("train.sweep_stopped", setting=limits.ENV["tokenizer_seconds"]))
    elif outcome.sweep and text.strip():
        st.markdown(f"**{t('train.sweep')}**")
        frame = sweep_frame(outcome.sweep, text)
        chart = charts.vocab_sweep_chart(frame, t("train.vocab"), t("tok.chart_tokens"))
        render_chart(chart, "vocab_sweep", t("notice.vocab_sweep"), width="stretch")
