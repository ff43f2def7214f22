"""The 'train a tokenizer live' section: pick a corpus, train, compare with the pretrained splits."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer import paths
from explorer.tokens import corpus
from explorer.tokens.tokenize import ALGORITHMS, TrainedTokenizer, tokenize
from explorer.ui import getters, layout, tokens
from explorer.ui.export import render_chart
from explorer.ui.lang import labels, t
from explorer.ui.markdown import literal
from explorer.views import charts

CORPORA = ("bundled_en", "bundled_ko", "upload", "path", "hub")
VOCAB_SIZES = (100, 200, 300, 500, 1000, 2000, 5000, 10000, 30000)
SWEEP_MAX_CHARS = 2_000_000  # sweep only corpora that train in well under a second per size


@st.cache_resource(show_spinner=False)
def get_hub_corpus() -> corpus.Corpus:
    return corpus.from_hub()


def _corpus(choice: str) -> corpus.Corpus | None:
    if choice.startswith("bundled_"):
        return corpus.bundled(choice.removeprefix("bundled_"))
    if choice == "upload":
        upload = st.file_uploader(t("train.upload_label"), type=["txt", "md", "tsv", "csv"])
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


def train_all(chosen: corpus.Corpus, algorithms: list[str], vocab: int) -> list[TrainedTokenizer]:
    """Train each algorithm with a progress bar (cached per corpus, algorithm and size)."""
    bar = st.progress(0.0)
    trained = []
    for done, algorithm in enumerate(algorithms):
        bar.progress(
            done / len(algorithms),
            t("train.training", algorithm=t(f"algo.{algorithm}"), lines=len(chosen.lines)),
        )
        trained.append(getters.get_trained(algorithm, chosen.name, chosen.lines, vocab))
    bar.empty()
    return trained


def sweep_frame(chosen: corpus.Corpus, algorithms: list[str], text: str, upto: int) -> pd.DataFrame:
    """Token count of `text` under tokenizers trained at growing vocabulary sizes."""
    rows = []
    for algorithm in algorithms:
        for vocab in (v for v in VOCAB_SIZES if v <= upto):
            trained = getters.get_trained(algorithm, chosen.name, chosen.lines, vocab)
            result = tokenize(trained.tokenizer, text, 10**9)
            rows.append(
                {
                    "algorithm": t(f"algo.{algorithm}"),
                    "vocab": trained.vocab_size,
                    "tokens": len(result.tokens),
                }
            )
    return pd.DataFrame(rows)


def render_trained(trained: TrainedTokenizer, text: str, pretrained: tuple | None) -> None:
    """What one trained tokenizer learned, and its split of `text` beside the pretrained one's."""
    st.subheader(t(f"algo.{trained.algorithm}"))
    st.caption(t("train.vocab_size", n=trained.vocab_size))
    if not trained.learned:
        st.warning(t("train.small_alphabet"))
    with st.expander(t(f"train.learned_{trained.algorithm}"), expanded=False):
        st.dataframe(pd.DataFrame({"piece": trained.learned[:200]}), width="stretch")
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
    if st.button(t("train.button"), type="primary", disabled=chosen is None or not algorithms):
        try:
            st.session_state["trained"] = (chosen, train_all(chosen, algorithms, vocab), vocab)
        except ValueError as err:
            st.error(t("train.error", error=literal(err)))
    if "trained" not in st.session_state:
        return
    done_corpus, trained, vocab = st.session_state["trained"]
    st.success(
        t(
            "train.done",
            name=literal(done_corpus.name),
            lines=len(done_corpus.lines),
            chars=done_corpus.n_chars,
        )
    )
    for column, item in zip(st.columns(len(trained)), trained, strict=True):
        with column:
            render_trained(item, text, pretrained.get(item.algorithm))
    if done_corpus.n_chars <= SWEEP_MAX_CHARS and text.strip():
        st.markdown(f"**{t('train.sweep')}**")
        frame = sweep_frame(done_corpus, [item.algorithm for item in trained], text, vocab)
        chart = charts.vocab_sweep_chart(frame, t("train.vocab"), t("tok.chart_tokens"))
        render_chart(chart, "vocab_sweep", t("notice.vocab_sweep"), width="stretch")
