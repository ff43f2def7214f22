"""ALBERT's sections: the factorized embedding calculator, measured parameter counts, cross-layer
sharing, and sentence-order prediction (SOP) against next-sentence prediction (NSP)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st
import torch

from explorer import registry
from explorer.families.albert import sharing
from explorer.mechanics import params, pretraining
from explorer.ui import export, models
from explorer.ui.lang import rounded_count, t
from explorer.ui.page_input import PageInput, render_pair_document
from explorer.ui.tables import render_table
from explorer.views import pretraining_charts

COUNTED = (
    ("bert-base-uncased", True),
    ("bert-large-uncased", True),
    ("albert-base-v2", True),
    ("albert-base-v2", False),
    ("albert-large-v2", True),
    ("albert-xlarge-v2", True),
    ("albert-xxlarge-v2", True),
)
# Lan et al. 2020 (ALBERT), Table 1, in millions of parameters; the unshared variant is not in it.
PAPER_MILLIONS = {
    "bert-base-uncased": 108,
    "bert-large-uncased": 334,
    "albert-base-v2": 12,
    "albert-large-v2": 18,
    "albert-xlarge-v2": 60,
    "albert-xxlarge-v2": 235,
}


def render_factorized(page: PageInput) -> None:
    """V x H against V x E + E x H for sizes the user picks (the chapter's example by default)."""
    st.markdown(t("albert.factorized_intro"))
    cols = st.columns(3)
    vocab = cols[0].number_input("V", 1, 1_000_000, 30000, key=page.key("vocab"), help=t("albert.v_help"))
    emb = cols[1].number_input("E", 1, 16384, 128, key=page.key("emb"), help=t("albert.e_help"))
    hidden = cols[2].number_input("H", 1, 16384, 768, key=page.key("hidden"), help=t("albert.h_help"))
    result = params.factorize(int(vocab), int(emb), int(hidden))
    left, mid, right = st.columns(3)
    left.metric("V × H", f"{result.full:,}")
    mid.metric("V × E + E × H", f"{result.factorized:,}")
    right.metric(t("albert.saving"), f"{result.saving:.1%}")
    if result.embedding >= result.hidden:
        st.warning(t("albert.e_not_smaller", e=result.embedding, h=result.hidden))
    sizes = sorted({e for e in (16, 32, 64, 128, 256, 512, 1024, 2048, 4096) if e <= 2 * hidden} | {int(emb)})
    rows = [
        {
            "E": e,
            "parameters": params.factorize(int(vocab), e, int(hidden)).factorized,
            "what": "V × E + E × H",
        }
        for e in sizes
    ] + [{"E": e, "parameters": result.full, "what": "V × H"} for e in sizes]
    chart = pretraining_charts.line_chart(
        pd.DataFrame(rows), "E", "parameters", "what", "E", t("albert.params_axis")
    )
    export.render_chart(chart, page.key("factorized"), t("albert.notice_factorized"), width="stretch")


@st.cache_data(show_spinner=False)
def _counts() -> list[params.ParamCount]:
    return [params.reference_count(name, shared) for name, shared in COUNTED]


def _closed_form(name: str, shared: bool) -> int:
    config = params.build(registry.REFERENCE_MODELS[name]).config
    h, i, v = config.hidden_size, config.intermediate_size, config.vocab_size
    if registry.REFERENCE_MODELS[name].config_class == "BertConfig":
        return params.bert_params(v, h, config.num_hidden_layers, i)
    groups = 1 if shared else config.num_hidden_layers
    return params.albert_params(v, config.embedding_size, h, i, groups)


def render_params(page: PageInput) -> None:
    """Exact parameter counts of BERT and ALBERT from models built from the real configs."""
    st.markdown(t("albert.params_intro"))
    counts = _counts()
    rows, bars = [], []
    for (name, shared), count in zip(COUNTED, counts, strict=True):
        closed = _closed_form(name, shared)
        row = {t("albert.col_model"): count.name}
        row.update({t(f"albert.part_{c}"): f"{n:,}" for c, n in count.parts if c != "heads"})
        row.update(
            {
                t("albert.col_total"): f"{count.total:,}",
                t("albert.col_closed"): f"{closed:,}",
                "=": "✓" if closed == count.total else "✗",
                t("albert.col_paper"): rounded_count(int(PAPER_MILLIONS[name] * 1e6)) if shared else "–",
            }
        )
        rows.append(row)
        bars += [
            {"model": count.name, "component": t(f"albert.part_{c}"), "millions": n / 1e6, "order": k}
            for k, (c, n) in enumerate(count.parts)
            if n
        ]
    render_table(pd.DataFrame(rows), hide_index=True, width="stretch")
    chart = pretraining_charts.params_chart(pd.DataFrame(bars), t("albert.millions"))
    export.render_chart(chart, page.key("params"), t("albert.notice_params"), width="stretch")
    base, large = counts[0].total, counts[2].total
    st.caption(
        t("albert.params_summary", bert=base, albert=large, ratio=base / large, unshared=counts[3].total)
    )
    st.caption(t("albert.paper_why", **_paper_gaps()))


@st.cache_data(show_spinner=False)
def _paper_gaps() -> dict[str, float]:
    """What the paper column's differences come to: BERT as the paper counts it (ALBERT's 30,000-token
    vocabulary, no pooler), how far our xlarge and xxlarge counts fall below the paper's, and what
    ALBERT's pre-training heads would add."""
    bert = {}
    for name in ("bert-base-uncased", "bert-large-uncased"):
        config = params.build(registry.REFERENCE_MODELS[name]).config
        h = config.hidden_size
        bert[name] = (
            params.bert_params(30000, h, config.num_hidden_layers, config.intermediate_size) - h * h - h
        )
    total = {name: c.total for (name, shared), c in zip(COUNTED, _counts(), strict=True) if shared}
    xxlarge = dataclasses.replace(
        registry.REFERENCE_MODELS["albert-xxlarge-v2"], model_class="AlbertForPreTraining"
    )
    return {
        "bert_base": bert["bert-base-uncased"],
        "bert_large": bert["bert-large-uncased"],
        "xlarge_gap": PAPER_MILLIONS["albert-xlarge-v2"] - total["albert-xlarge-v2"] / 1e6,
        "xxlarge_gap": PAPER_MILLIONS["albert-xxlarge-v2"] - total["albert-xxlarge-v2"] / 1e6,
        "heads": params.count_params(params.build(xxlarge), "xxlarge").part("heads"),
    }


@st.cache_resource(show_spinner=False, max_entries=2)
def _random_reference(name: str):
    """A random-weight model of a published architecture, for mechanics that need its depth."""
    return params.build(registry.REFERENCE_MODELS[name], device="cpu")


def _sharing_model(page: PageInput):
    """(name, model, tokenizer): the page's ALBERT when pretrained, else albert-base-v2's architecture."""
    loaded = models.loaded(page.family, "base", page.model_id, t("section.sharing"))
    if loaded is None:
        return None
    if loaded.source.pretrained:
        return f"ALBERT ({loaded.source.name})", loaded.model, loaded.tokenizer
    st.caption(t("albert.sharing_random"))
    return t("albert.random_name"), _random_reference("albert-base-v2"), loaded.tokenizer


def render_sharing(page: PageInput) -> None:
    """Every ALBERT layer runs with the same tensors; how far each layer moves its input, vs BERT."""
    st.markdown(t("albert.sharing_intro"))
    albert = _sharing_model(page)
    bert = models.loaded("bert", "base", registry.family("bert").hub_id, t("albert.bert_side"))
    if albert is None or bert is None:
        return
    sides = {albert[0]: albert[1:], f"BERT ({bert.source.name})": (bert.model, bert.tokenizer)}
    uses = {name: sharing.layer_use(m, tok, page.text) for name, (m, tok) in sides.items()}
    for column, (name, use) in zip(st.columns(2), uses.items(), strict=True):
        column.markdown(
            t("albert.layer_use", name=name, runs=use.runs, distinct=use.distinct, params=use.parameters)
        )
        column.code(" ".join(use.labels()), language=None)
    rows = []
    for name, (m, tok) in sides.items():
        drift = sharing.layer_drift(m, tok, page.text)
        for layer, (l2, cos) in enumerate(zip(drift.l2, drift.cosine, strict=True), start=1):
            rows.append({"layer": layer, "model": name, "l2": float(l2), "cosine": float(cos)})
    left, right = st.columns(2)
    frame = pd.DataFrame(rows)
    for column, metric in zip((left, right), ("l2", "cosine"), strict=True):
        chart = pretraining_charts.line_chart(
            frame, "layer", metric, "model", t("albert.layer"), t(f"albert.{metric}")
        )
        with column:
            export.render_chart(chart, page.key(f"drift_{metric}"), width="stretch")
    st.caption(t("albert.drift_note"))


def render_sop(page: PageInput) -> None:
    """Sentence-order pairs vs next-sentence pairs from one document, scored by the SOP head."""
    st.markdown(t("albert.sop_intro"))
    loaded = models.loaded(page.family, "pretraining", page.model_id, t("section.sop"))
    if loaded is None:
        return
    logits = registry.family(page.family).order_logits

    def in_order(first: str, second: str) -> float:
        return pretraining.is_next_probability(loaded.model, loaded.tokenizer, first, second, logits)

    if page.pair and page.text.strip():  # a blank sentence A has no order to score
        left, right = st.columns(2)
        left.metric(t("albert.p_order_ab"), f"{in_order(page.text, page.pair):.1%}")
        right.metric(t("albert.p_order_ba"), f"{in_order(page.pair, page.text):.1%}")
    document = render_pair_document(page, "sop")
    try:
        sop = pretraining.sop_pairs(document.sentences, torch.Generator().manual_seed(document.seed))
        generator = torch.Generator().manual_seed(document.seed)
        nsp = pretraining.nsp_pairs(document.sentences, document.other, generator)
    except ValueError:
        st.info(t("bert.pairs_need"))
        return
    # Static tables: the long sentences wrap, so the label and the score stay on a projector's screen.
    st.markdown(f"**{t('sop.figure')} · {t('albert.sop_pairs')}**")
    scores = [in_order(p.first, p.second) for p in sop]
    score_column = t("albert.p_order" if loaded.source.pretrained else "sop.p_untrained")
    rows = [
        {
            "A": p.first,
            "B": p.second,
            t("bert.col_label"): t("albert.in_order" if p.in_order else "albert.swapped"),
            score_column: f"{score:.3f}",
        }
        for p, score in zip(sop, scores, strict=True)
    ]
    st.table(pd.DataFrame(rows))
    right = sum((score > 0.5) == p.in_order for p, score in zip(sop, scores, strict=True))
    verdict = t("sop.scored", right=right, n=len(sop))
    st.markdown(verdict if loaded.source.pretrained else f"{verdict} {t('sop.untrained')}")
    st.markdown(f"**{t('albert.nsp_pairs')}**")
    rows = [
        {
            "A": p.first,
            "B": p.second,
            t("bert.col_label"): t("bert.is_next" if p.is_next else "bert.not_next"),
        }
        for p in nsp
    ]
    st.table(pd.DataFrame(rows))
    st.caption(t("albert.sop_note"))
