"""Shared attention views: one head as a heatmap, every head as a grid, head statistics, and bertviz.

Our own views stay small at 512 tokens (a pooled heatmap, one PNG grid, L x H statistics); bertviz
sends every weight as text, so it is offered for chosen layers only, with its size said up front.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from explorer.mechanics.attention import AttentionResult, bertviz_view, head_stats, pool
from explorer.ui import models, projector
from explorer.ui.export import render_chart
from explorer.ui.lang import labels, t
from explorer.views import attention_charts

MAX_CELLS = 128  # a heatmap side beyond this is block-averaged
BERTVIZ_LIMIT = 25_000_000  # bytes; Streamlit refuses messages over 200 MB, browsers choke far sooner
FILTERS = ("all", "aa", "bb", "ab", "ba")


def _slices(result: AttentionResult, choice: str) -> tuple[slice, slice]:
    b = result.segment_b
    whole, a_part, b_part = slice(None), slice(0, b), slice(b, None)
    return {
        "all": (whole, whole),
        "aa": (a_part, a_part),
        "bb": (b_part, b_part),
        "ab": (a_part, b_part),
        "ba": (b_part, a_part),
    }[choice if b is not None else "all"]


def render_head(result: AttentionResult, key: str) -> tuple[int, int]:
    """Layer, head and sentence filter pickers and that head's heatmap; returns (layer, head)."""
    layers, heads, length = result.shape
    left, mid, right = st.columns(3)
    layer = left.slider(t("attn.layer"), 0, layers - 1, min(layers - 1, 2), key=f"{key}_layer")
    head = mid.slider(t("attn.head"), 0, heads - 1, 0, key=f"{key}_head")
    choice = "all"
    if result.segment_b is not None:
        choice = right.selectbox(
            t("attn.filter"), FILTERS, format_func=labels("attn.filter_{}", FILTERS), key=f"{key}_f"
        )
    rows, cols = _slices(result, choice)
    matrix = result.maps[layer, head][rows, cols]
    tokens = np.asarray(result.tokens, dtype=object)
    pooled, _, _ = pool(matrix, MAX_CELLS)
    if pooled.shape != matrix.shape:
        st.caption(
            t("attn.pooled", n=max(matrix.shape), side=MAX_CELLS, block=-(-max(matrix.shape) // MAX_CELLS))
        )
    row_labels, col_labels = list(tokens[rows]), list(tokens[cols])
    frame = attention_charts.heatmap_frame(pooled, row_labels, col_labels)
    title = t("attn.heatmap_title", layer=layer, head=head)
    chart = attention_charts.attention_heatmap(frame, title, scale=projector.scale())
    render_chart(chart, f"{key}_attention_L{layer}_H{head}", t("notice.attention_head"), width="content")
    return layer, head


def render_grid(result: AttentionResult) -> None:
    """Every head of every layer at a glance (rows: layers, columns: heads)."""
    st.image(attention_charts.attention_grid_png(result.maps), caption=t("attn.grid_caption"))


def render_stats(result: AttentionResult, key: str) -> None:
    """One statistic per head as a layers x heads grid."""
    stats = head_stats(result).as_dict()
    name = st.selectbox(
        t("attn.stat"), list(stats), format_func=labels("attn.stat_{}", stats), key=f"{key}_stat"
    )
    layers, heads = stats[name].shape
    frame = pd.DataFrame(
        [
            {"layer": l_, "head": h, "value": float(stats[name][l_, h])}
            for l_ in range(layers)
            for h in range(heads)
        ]
    )
    chart = attention_charts.head_stat_chart(frame, t(f"attn.stat_{name}"), projector.scale())
    render_chart(chart, f"{key}_head_{name}", t("notice.head_stats"), width="content")
    st.caption(t(f"attn.stat_{name}_help"))


def render_bertviz(result: AttentionResult, key: str, layer: int) -> None:
    """bertviz head and model views, offline, for the chosen layers, after saying how big they are."""
    layers, heads, length = result.shape
    view = st.radio(
        t("attn.bv_view"),
        ("head", "model"),
        horizontal=True,
        format_func=labels("attn.bv_{}", ("head", "model")),
        key=f"{key}_bv_view",
    )
    chosen = st.multiselect(t("attn.bv_layers"), list(range(layers)), default=[layer], key=f"{key}_bv_layers")
    copies = 5 if result.segment_b is not None else 1
    estimate = len(chosen or [0]) * heads * length * length * copies * 6 + 340_000
    st.caption(t("attn.bv_size", mb=estimate / 1e6))
    if not chosen:
        st.info(t("attn.bv_pick"))
        return
    if estimate > BERTVIZ_LIMIT:
        st.warning(t("attn.bv_too_big", mb=estimate / 1e6, limit=BERTVIZ_LIMIT / 1e6))
        return
    if st.toggle(t("attn.bv_show"), key=f"{key}_bv_on"):
        html = bertviz_view(result, view, sorted(chosen))
        height = 160 + 22 * length if view == "head" else 120 + 110 * len(chosen)
        components.html(html, height=min(height, 4000), scrolling=True)


def render_attention(result: AttentionResult, key: str, bertviz: bool = True) -> None:
    """The whole attention section for one input."""
    layers, heads, length = result.shape
    st.caption(t("attn.shape", layers=layers, heads=heads, length=length))
    if result.truncated:
        st.warning(t("attn.truncated", total=result.total_tokens, length=length))
    layer, _ = render_head(result, key)
    grid, stats = st.tabs([t("attn.tab_grid"), t("attn.tab_stats")])
    with grid:
        render_grid(result)
    with stats:
        render_stats(result, key)
    if bertviz:
        with st.expander(t("attn.bv_title")):
            render_bertviz(result, key, layer)


def render_attention_section(page) -> None:
    """A family page's attention tab: the page's text (pair) through its model, every view above."""
    st.markdown(t("bert.attention_intro"))
    result = models.attention_for(page.family, "base", page.model_id, page.text, page.pair)
    if result is not None:
        render_attention(result, page.page)
