"""Reformer sections for figures 20 and 22-23: the three problems measured, angular LSH in 2-D."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import torch

from explorer.families.reformer import angular, chunked_ff, reversible
from explorer.measure import defaults, sweeps
from explorer.mechanics import cost
from explorer.ui import cost_views
from explorer.ui.export import render_chart
from explorer.ui.lang import t
from explorer.ui.page_input import PageInput
from explorer.ui.tables import render_table
from explorer.views import lsh2d_charts, revnet_charts

# The memory and reversible tabs' default sweeps (explorer/measure/defaults.py): one measurement serves both.
ATTENTION_LENGTHS, DEPTHS = defaults.REFORMER_LENGTHS, defaults.REFORMER_DEPTHS
FF_LENGTHS = [1024, 4096, 16384]
FF_CHUNKS = [16, 64, 256]


@st.cache_data(max_entries=16, show_spinner=False)
def _curves(seed: int) -> list[angular.CollisionCurve]:
    return [angular.collision_curve(n, seed=seed) for n in angular.BUCKET_CHOICES]


def render_lsh_2d(page: PageInput) -> None:
    """2-D points hashed by random rotations, each round's sectors coloured; then collision vs cosine."""
    st.markdown(t("lsh2d.intro"))
    cols = st.columns(4)
    count = cols[0].number_input(t("lsh2d.points"), 4, angular.MAX_POINTS, 8, key=page.key("l2_points"))
    buckets = cols[1].selectbox(t("reformer.buckets"), angular.BUCKET_CHOICES, 1, key=page.key("l2_buckets"))
    rounds = cols[2].number_input(t("reformer.rounds"), 1, angular.MAX_ROUNDS, 3, key=page.key("l2_rounds"))
    seed = int(cols[3].number_input(t("bigbird.seed"), 0, 10_000, 0, key=page.key("l2_seed")))
    try:
        result = angular.scatter(int(count), int(buckets), int(rounds), seed)
    except ValueError as err:
        st.error(t("lsh2d.bad", error=err))
        return
    chart = lsh2d_charts.rounds_chart(result, t("lsh2d.round_title"))
    render_chart(chart, page.key(f"lsh2d_n{buckets}_seed{seed}"), t("lsh2d.notice_rounds"), width="content")
    near, far = result.shared(0, 1), result.shared(2, 3)
    st.markdown(t("lsh2d.pairs", near=near, far=far, rounds=int(rounds)))
    st.subheader(t("lsh2d.curve_title"))
    st.markdown(t("lsh2d.curve_intro"))
    kinds = {"measured": t("cost.measured"), "expected": t("lsh2d.closed_form")}
    frame = lsh2d_charts.collision_frame(_curves(seed), kinds, t("lsh2d.n_buckets"))
    chart = lsh2d_charts.collision_chart(frame, t("lsh2d.x_cosine"), t("lsh2d.y_rate"))
    render_chart(chart, page.key(f"lsh2d_collisions_seed{seed}"), t("lsh2d.notice_curve"), width="stretch")


def render_three_problems(page: PageInput) -> None:
    """Figure 20: attention memory, N layers of activations, the wide feed-forward; each measured here."""
    st.markdown(t("lsh2d.problems_intro"))
    st.subheader(t("lsh2d.problem_attention"))
    result = _reformer_sweep("reformer_memory", "tokens", ATTENTION_LENGTHS, page.key("p20_attn"))
    if result is not None:
        names = {line: t(f"cost.line_{line}") for line in reversible.ATTENTIONS}
        expected = {"lsh": 1, "full_eager": 2, "full_sdpa": 2}
        name, notice = page.key("problems_attention"), t("notice.lsh_cost")
        cost_views.render_result(result, "peak_bytes", names, expected, t("cost.x_tokens"), name, notice)
    st.subheader(t("lsh2d.problem_layers"))
    result = _reformer_sweep("reversible", "layers", DEPTHS, page.key("p20_rev"))
    if result is not None:
        names = {line: t(f"reformer.residual_{line}") for line in reversible.RESIDUALS}
        name, notice = page.key("problems_layers"), t("notice.reversible_cost")
        expected = {"reversible": 0, "ordinary": 1}
        x_title = t("reformer.x_layers")
        cost_views.render_result(result, "peak_bytes", names, expected, x_title, name, notice, "layers")
    st.subheader(t("lsh2d.problem_ff"))
    _render_chunked_ff(page)


def _reformer_sweep(what: str, axis: str, values: tuple[int, ...], key: str) -> cost.Sweep | None:
    """The Reformer sweep the memory and reversible tabs keep (same settings, same entry), or a button."""
    estimate = t("cost.estimate", n=(3 if axis == "tokens" else 2) * len(values))
    runner = lambda progress: sweeps.reformer_memory(axis, values, progress)  # noqa: E731
    return cost_views.run_or_ask(what, values, runner, estimate, key, axis, True, line_names(axis))


def line_names(axis: str) -> dict[str, str]:
    """A Reformer sweep's lines in words: attentions over tokens, residuals over layers."""
    if axis == "tokens":
        return {line: t(f"cost.line_{line}") for line in reversible.ATTENTIONS}
    return {line: t(f"reformer.residual_{line}") for line in reversible.RESIDUALS}


def _render_chunked_ff(page: PageInput) -> None:
    """One feed-forward block over T tokens, whole vs in chunks: the same output, measured peaks."""
    st.markdown(t("lsh2d.ff_intro", d=chunked_ff.HIDDEN, d_ff=chunked_ff.FEED_FORWARD))
    first_lengths, first_chunk = defaults.REFORMER_FF
    left, right = st.columns([3, 1])
    lengths = left.multiselect(t("cost.lengths"), FF_LENGTHS, list(first_lengths), key=page.key("ff_lens"))
    chunk = right.selectbox(
        t("lsh2d.chunk"), FF_CHUNKS, FF_CHUNKS.index(first_chunk), key=page.key("ff_chunk")
    )
    if not lengths:
        st.info(t("cost.pick"))
        return
    block = chunked_ff.build()
    x = torch.randn(1024, block.hidden, generator=torch.Generator().manual_seed(0))  # (T, d)
    gap = (chunked_ff.apply_chunked(block, x, chunk) - chunked_ff.apply(block, x)).abs().max().item()
    st.markdown(t("lsh2d.ff_same", chunk=chunk, gap=gap))
    chosen = tuple(sorted(lengths))
    result = cost_views.run_or_ask(
        "reformer_ff",
        (chosen, chunk),
        lambda progress: chunked_ff.ff_memory(chosen, chunk, progress),
        t("cost.estimate", n=2 * len(chosen)),
        page.key("p20_ff"),
        ahead=(chosen, chunk) == defaults.REFORMER_FF,
        names={line: t(f"lsh2d.line_{line}", chunk=chunk) for line in chunked_ff.LINES},
    )
    if result is None:
        return
    names = {line: t(f"lsh2d.line_{line}", chunk=chunk) for line in chunked_ff.LINES}
    name, notice = page.key(f"problems_ff_chunk{chunk}"), t("lsh2d.notice_ff")
    cost_views.render_result(result, "peak_bytes", names, {}, t("cost.x_tokens"), name, notice)


@st.cache_data(max_entries=4, show_spinner=False)
def _stack_rebuild(layers: int) -> reversible.StackRebuild:
    return reversible.rebuild_stack(layers)


def render_blocks(page: PageInput) -> None:
    """Figure 26: ResNet's and RevNet's blocks drawn as data flow, and a stack rebuilt from its top."""
    st.markdown(t("revnet.intro"))
    titles = (t("revnet.title_resnet"), t("revnet.title_revnet"), t("revnet.title_back"))
    chart = revnet_charts.blocks_chart(titles)
    render_chart(chart, page.key("revnet_blocks"), t("revnet.notice"), width="content")
    layers = 6
    with st.spinner(t("cost.running")):
        rebuilt = _stack_rebuild(layers)
    st.markdown(t("revnet.stack", layers=layers, scale=rebuilt.scale))
    column = t("revnet.col_error")
    rows = [
        {t("revnet.col_layer"): layers - i, column: f"{error:.1e}"} for i, error in enumerate(rebuilt.errors)
    ]
    render_table(pd.DataFrame(rows), hide_index=True)
