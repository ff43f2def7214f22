"""Figure 17 on the DistilBERT page: BERT-base, RoBERTa-base and DistilBERT as the papers report them,
beside what this device counts and measures of the same three architectures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer.families.distilbert import compare
from explorer.measure import background, defaults, kept
from explorer.mechanics import cost
from explorer.ui import cost_views
from explorer.ui.lang import rounded_count, t
from explorer.ui.page_input import PageInput
from explorer.ui.tables import render_table

NAMES = {"bert": "BERT-base", "roberta": "RoBERTa-base", "distilbert": "DistilBERT"}
FACTS = ("params", "data", "hardware", "glue", "source")


@st.cache_data(show_spinner=False)
def _sizes() -> compare.Sizes:
    return compare.sizes()


def render_compare(page: PageInput) -> None:
    """The papers' table, the counts made here, and one training step of each timed on this device."""
    st.markdown(t("compare.intro"))
    st.subheader(t("compare.claims_title"))
    _render_claims(_sizes())
    st.subheader(t("compare.paper_title"))
    _render_paper()
    st.subheader(t("compare.counts_title"))
    _render_counts(_sizes())
    st.subheader(t("compare.step_title"))
    _render_steps(page)


def _render_paper() -> None:
    rows = [
        {t("compare.col_what"): t(f"compare.row_{fact}")}
        | {NAMES[line]: t(f"compare.{line}_{fact}") for line in compare.LINES}
        for fact in FACTS
    ]
    # A static table: its long cells wrap, so every column fits the screen (a projector's too).
    st.table(pd.DataFrame(rows).set_index(t("compare.col_what")))
    st.caption(t("compare.paper_note"))


def _render_claims(sizes: compare.Sizes) -> None:
    """Figure 17's two claims about DistilBERT against BERT-base as the book rounds them (about 2x),
    as its paper states them (40% fewer parameters, 60% faster), and as this device counts and times."""
    counted = sizes.total("distilbert") / sizes.total("bert")
    found = background.kept_result(("compare_steps", kept.this_device(), defaults.COMPARE_STEP))
    measured = compare.speedups(found.sweep).distilbert if found else None
    here_speed = (
        t("compare.claim_speed_here", ratio=measured, date=found.date)
        if measured is not None
        else t("compare.claim_speed_pending")
    )
    rows = [
        {
            t("compare.col_claim"): t("compare.claim_params"),
            t("compare.col_book"): t("compare.claim_params_book"),
            t("compare.col_paper_claim"): t(
                "compare.claim_params_paper",
                share=1 - compare.PAPER_PARAMS["distilbert"] / compare.PAPER_PARAMS["bert"],
            ),
            t("compare.col_here"): t("compare.claim_params_here", share=1 - counted, times=1 / counted),
        },
        {
            t("compare.col_claim"): t("compare.claim_speed"),
            t("compare.col_book"): t("compare.claim_speed_book"),
            t("compare.col_paper_claim"): t("compare.claim_speed_paper", ratio=compare.PAPER_SPEEDUP),
            t("compare.col_here"): here_speed,
        },
    ]
    st.table(pd.DataFrame(rows).set_index(t("compare.col_claim")))


def _render_counts(sizes: compare.Sizes) -> None:
    rows = [
        {
            t("compare.col_model"): NAMES[line],
            t("compare.col_counted"): f"{sizes.total(line):,}",
            t("compare.col_paper"): rounded_count(compare.PAPER_PARAMS[line]),
            t("compare.col_embeddings"): f"{sizes.part(line, 'embeddings'):,}",
            t("compare.col_layers"): f"{sizes.part(line, 'encoder'):,}",
        }
        for line in compare.LINES
    ]
    render_table(pd.DataFrame(rows), hide_index=True, width="content")
    bert, roberta = sizes.total("bert"), sizes.total("roberta")
    st.caption(
        t(
            "compare.counts_why",
            bert=bert / 1e6,
            extra=roberta - bert,
            embeddings=sizes.part("roberta", "embeddings") - sizes.part("bert", "embeddings"),
            rows=sizes.vocab_of("roberta") - sizes.vocab_of("bert"),
            distil=sizes.total("distilbert") / 1e6,
            fewer=1 - sizes.total("distilbert") / bert,
        )
    )


def _render_steps(page: PageInput) -> None:
    st.markdown(t("compare.step_intro"))
    left, right = st.columns(2)
    first_batch, first_length = defaults.COMPARE_STEP
    batch = int(left.number_input(t("compare.batch"), 1, 64, first_batch, key=page.key("cmp_batch")))
    length = int(
        right.number_input(
            t("compare.length"), 8, compare.MAX_TOKENS, first_length, 8, key=page.key("cmp_len")
        )
    )
    result = cost_views.run_or_ask(
        "compare_steps",
        (batch, length),
        lambda progress: compare.step_times(batch, length, progress),
        t("compare.estimate", n=len(compare.LINES)),
        page.key("cmp"),
        ahead=(batch, length) == defaults.COMPARE_STEP,
        names=NAMES,
    )
    if result is not None:
        _render_times(result)


def _render_times(result: cost.Sweep) -> None:
    ratios = compare.speedups(result)
    length = result.points[0].length if result.points else 0
    bert = result.value("bert", length)
    rows = [
        {
            t("compare.col_model"): NAMES[p.line],
            t("compare.col_seconds"): f"{p.seconds:.3g}",
            t("compare.col_ratio"): f"{bert / p.seconds:.2f}x" if bert else "–",
        }
        for p in result.points
    ]
    render_table(pd.DataFrame(rows), hide_index=True, width="content")
    batch = result.points[0].batch if result.points else 0
    st.caption(t("compare.measured_on", device=result.device, batch=batch, length=length))
    for line, _, why in result.skipped:
        st.caption(t("cost.skipped", line=NAMES[line], length=f"{length:,}", why=why))
    if ratios.roberta is not None:
        vocab, bert_vocab = _sizes().vocab_of("roberta"), _sizes().vocab_of("bert")
        key = "compare.roberta_why" if ratios.roberta <= 1 else "compare.roberta_noise"
        st.markdown(
            t(key, ratio=1 / ratios.roberta, more=vocab / bert_vocab - 1, vocab=vocab, bert_vocab=bert_vocab)
        )
    if ratios.distilbert is not None:
        st.markdown(t("compare.speed_why", ours=ratios.distilbert, paper=ratios.paper_distilbert))
        st.caption(t("compare.under_two" if ratios.distilbert < 2 else "compare.over_two"))
