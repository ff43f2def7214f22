"""BERT page sections: attention computed step by step for one head (Figure 21), and whether attention
is BERT's largest cost (FLOPs of attention vs feed-forward by length, checked by a timing here)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from transformers import BertConfig

from explorer import device
from explorer.mechanics import attention_steps as steps_core
from explorer.mechanics import flops
from explorer.ui import getters, layout, models, projector
from explorer.ui.cost_views import render_result, run_or_ask
from explorer.ui.export import render_chart
from explorer.ui.lang import labels, t
from explorer.ui.markdown import literal
from explorer.ui.page_input import PageInput
from explorer.ui.tables import render_table
from explorer.views import steps_charts

SHOWN_DIMS = 32  # columns of X drawn (hidden is 384 or 768: too wide for a heatmap of readable cells)


@st.cache_data(show_spinner=False, max_entries=32)
def get_steps(
    family: str, model_id: str, online: bool, where: str, text: str, pair: str | None, layer: int, head: int
) -> steps_core.AttentionSteps:
    """One head's steps on one input, computed once per process for the same settings."""
    loaded = getters.get_model(family, "base", model_id, online, where)
    return steps_core.attention_steps(loaded.model, loaded.tokenizer, text, pair, layer, head)


def _chart(matrix, rows: list[str], cols: list[str], title: str, name: str, notice: str, **kw) -> None:
    chart = steps_charts.matrix_chart(matrix, rows, cols, title, scale=projector.scale(), **kw)
    render_chart(chart, name, notice, width="content")


def render_attention_steps(page: PageInput) -> None:
    """X, Q, K, V, Q K^T / sqrt(d_h), the mask, softmax and x V for the chosen layer and head."""
    st.markdown(t("steps.intro"))
    loaded = models.loaded(page.family, "base", page.model_id, t("section.attention_steps"))
    if loaded is None:
        return
    config = loaded.model.config
    left, right = st.columns(2)
    layer = left.slider(t("attn.layer"), 0, config.num_hidden_layers - 1, 0, key=page.key("steps_layer"))
    head = right.slider(t("attn.head"), 0, config.num_attention_heads - 1, 0, key=page.key("steps_head"))
    try:
        steps = get_steps(
            page.family, page.model_id, layout.online(), loaded.device, page.text, page.pair, layer, head
        )
    except ValueError as err:  # the text: nothing to read
        st.error(literal(err))
        return
    if steps.total_tokens > len(steps.tokens):
        st.warning(t("steps.cut", total=steps.total_tokens, n=len(steps.tokens)))
    _render_steps(steps, page.key("steps"))


def _render_steps(steps: steps_core.AttentionSteps, key: str) -> None:
    tokens = [f"{i} {tok}" for i, tok in enumerate(steps.tokens)]
    head_dims = [str(i) for i in range(steps.q.shape[1])]
    d, d_h = steps.x.shape[1], steps.q.shape[1]
    st.subheader(t("steps.x_title", layer=steps.layer))
    shown = min(SHOWN_DIMS, d)
    _chart(
        steps.x[:, :shown],
        steps.tokens,
        [str(i) for i in range(shown)],
        "X",
        f"{key}_x",
        t("steps.x_notice", shown=shown, d=d),
    )
    st.subheader(t("steps.qkv_title", head=steps.head, d=d, d_h=d_h))
    for column, (name, matrix) in zip(
        st.columns(3), (("Q", steps.q), ("K", steps.k), ("V", steps.v)), strict=True
    ):
        with column:
            notice = t(f"steps.{name.lower()}_notice")
            _chart(matrix, steps.tokens, head_dims, name, f"{key}_{name}", notice, max_width=170)
    st.subheader(t("steps.scores_title", d_h=d_h))
    scores_notice = t("steps.scores_notice")
    _chart(steps.scores, steps.tokens, tokens, "QKᵀ/√d_h", f"{key}_scores", scores_notice, square=True)
    st.subheader(t("steps.mask_title"))
    mask = pd.DataFrame([steps.mask], columns=tokens, index=["mask"])
    render_table(mask.style.format("{:.3g}"), width="content")
    st.caption(t("steps.mask_note"))
    st.subheader(t("steps.softmax_title"))
    _chart(
        steps.probs,
        steps.tokens,
        tokens,
        "softmax",
        f"{key}_probs",
        t("steps.probs_notice"),
        probabilities=True,
        square=True,
    )
    st.subheader(t("steps.context_title"))
    _chart(steps.context, steps.tokens, head_dims, "softmax × V", f"{key}_context", t("steps.context_notice"))
    st.markdown(
        t("steps.check", probs=steps.probs_error, context=steps.context_error, block=steps.block_error)
    )


def _shape(page: PageInput, loaded) -> tuple[flops.LayerShape, str]:
    """The layer shape to count: the loaded model's config, or BERT-base's (transformers' defaults)."""
    choice = st.radio(
        t("steps.cost_model"),
        ("loaded", "base"),
        horizontal=True,
        format_func=labels("steps.cost_model_{}", ("loaded", "base"), name=loaded.source.name),
        key=page.key("cost_model"),
    )
    if choice == "base":
        return flops.LayerShape.from_config(BertConfig()), "bert-base-uncased"
    return flops.LayerShape.from_config(loaded.model.config), loaded.source.name


def render_attention_cost(page: PageInput) -> None:
    """FLOPs of self-attention vs the feed-forward per layer by length, and a timing of both blocks here."""
    st.markdown(t("steps.cost_intro"))
    loaded = models.loaded(page.family, "base", page.model_id, t("section.attention_cost"))
    if loaded is None:
        return
    shape, name = _shape(page, loaded)
    table = flops.flops_table(shape)
    parts = {p: t(f"steps.part_{p}") for p in steps_charts.PARTS}
    frame = steps_charts.flops_frame(table, parts)
    rule = t("steps.rule", n=f"{table.quadratic_crossover:,.0f}")
    chart = steps_charts.flops_chart(
        frame, t("cost.x_tokens"), t("steps.y_gflops"), table.quadratic_crossover, rule
    )
    render_chart(chart, page.key("flops"), t("steps.flops_notice"), width="stretch")
    at_512 = flops.layer_flops(shape, 512)
    st.markdown(
        t(
            "steps.verdict",
            name=name,
            d=shape.hidden,
            h=shape.heads,
            f=shape.intermediate,
            share=at_512.attention / (at_512.attention + at_512.feed_forward),
            whole=f"{table.attention_crossover:,.0f}",
            quad=f"{table.quadratic_crossover:,.0f}",
        )
    )
    wide = frame.pivot(index="length", columns="part", values="gflops")[list(parts.values())]
    wide.index.name, wide.columns.name = t("cost.x_tokens"), None
    render_table(wide.style.format("{:,.3f}"), width="content")
    _render_timing(page, loaded)


def _render_timing(page: PageInput, loaded) -> None:
    """Layer 0's attention block vs its feed-forward block, timed on this device after asking."""
    st.subheader(t("steps.timing_title"))
    lengths = st.multiselect(
        t("cost.lengths"), list(flops.LENGTHS), [128, 512, 2048], key=page.key("cost_lengths")
    )
    if not lengths:
        st.info(t("cost.pick"))
        return
    lengths = tuple(sorted(lengths))
    shape = flops.LayerShape.from_config(loaded.model.config)
    layer = steps_core.layers_of(loaded.model)[0]
    dtype = str(next(loaded.model.parameters()).dtype).removeprefix("torch.")
    label = f"{device.describe_device(loaded.device)}, {dtype}"

    def runner(progress):
        return flops.time_blocks(layer, shape, lengths, loaded.device, label, progress)

    estimate = t("steps.estimate", n=2 * len(lengths))
    result = run_or_ask("attn_ffn", (page.model_id, lengths), runner, estimate, page.key("cost_time"))
    if result is None:
        return
    names = {line: t(f"steps.part_{line}") for line in flops.TIMED}
    render_result(
        result, "seconds", names, {}, t("cost.x_tokens"), page.key("cost_timing"), t("steps.timing_notice")
    )
    _render_ratios(result, shape)


def _render_ratios(result, shape: flops.LayerShape) -> None:
    """Measured attention / feed-forward time beside the FLOPs ratio, per length."""
    rows = []
    for length, measured in result.ratios("attention", "feed_forward"):
        counts = flops.layer_flops(shape, length)
        rows.append(
            {
                t("cost.x_tokens"): length,
                t("steps.ratio_measured"): f"{measured:.2f}",
                t("steps.ratio_flops"): f"{counts.attention / counts.feed_forward:.2f}",
            }
        )
    if rows:
        render_table(pd.DataFrame(rows), hide_index=True, width="content")
