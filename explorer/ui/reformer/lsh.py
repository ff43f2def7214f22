"""Reformer sections: angular LSH step by step, the real LSH map as T x T, memory, reversible layers."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from explorer import device
from explorer.families.reformer import lsh, lsh_chunks, reversible
from explorer.measure import sweeps
from explorer.mechanics import cost
from explorer.mechanics.attention import pool
from explorer.ui import cost_views, getters, layout, models, projector
from explorer.ui.export import render_chart
from explorer.ui.lang import t
from explorer.ui.markdown import literal
from explorer.ui.page_input import PageInput
from explorer.ui.reformer import problems
from explorer.views import attention_charts, lsh_chunk_charts
from explorer.views.cost_charts import N_LOG_N, buckets_chart

MAX_CHUNKS = 16  # longest real input offered, in chunks


def _reading(page: PageInput, label: str, name: str):
    """Model field's Reformer, a length and LSH layer picker, and the reading (None after a message)."""
    loaded = models.loaded(page.family, "base", page.model_id, label)
    if loaded is None:
        return None
    layers = lsh.lsh_layers(loaded.model)
    if not layers:
        st.error(t("reformer.no_lsh"))
        return None
    config = loaded.model.config
    chunk = config.lsh_attn_chunk_length
    top = max(2, min(MAX_CHUNKS, config.max_position_embeddings // chunk))
    left, right = st.columns(2)
    length = left.select_slider(
        t("reformer.length"),
        [chunk * k for k in range(2, top + 1)],
        chunk * min(4, top),
        key=page.key(f"{name}_len"),
    )
    layer = right.selectbox(t("reformer.layer"), layers, key=page.key(f"{name}_layer"))
    try:
        with st.spinner(t("cost.running")):
            reading, n_text = getters.get_lsh_reading(
                page.model_id, layout.online(), device.pick_device(), page.text, length, layer
            )
    except (lsh.HashError, ValueError) as err:
        st.error(literal(err))
        return None
    if n_text < length:
        st.caption(t("bigbird.repeated", n=n_text, length=length))
    return reading


def render_lsh_steps(page: PageInput) -> None:
    """Rotate, bucket, sort, chunk: on the real model's shared query/key vectors of one head."""
    st.markdown(t("reformer.steps_intro"))
    reading = _reading(page, t("section.lsh_steps"), "steps")
    if reading is None:
        return
    cols = st.columns(4)
    head = cols[0].number_input(t("attn.head"), 0, reading.query_key.shape[0] - 1, 0, key=page.key("s_head"))
    buckets = cols[1].number_input(t("reformer.buckets"), 1, 100_000, 8, key=page.key("s_buckets"))
    rounds = cols[2].number_input(t("reformer.rounds"), 1, 100, 2, key=page.key("s_rounds"))
    seed = cols[3].number_input(t("bigbird.seed"), 0, 10_000, 0, key=page.key("s_seed"))
    vectors = torch.from_numpy(reading.query_key[int(head)])
    try:
        steps = lsh.hash_steps(vectors, int(buckets), int(rounds), reading.chunk, seed=int(seed))
    except lsh.HashError as err:
        st.error(t("reformer.bad_hash", error=err))
        return
    chosen = st.radio(t("reformer.round"), list(range(int(rounds))), horizontal=True, key=page.key("s_round"))
    st.markdown(t("reformer.step1", buckets=int(buckets), half=int(buckets) // 2))
    order = steps.order[chosen]
    chart = buckets_chart(
        steps.buckets[chosen], order, t("reformer.x_position"), t("reformer.y_bucket"), steps.chunk, False
    )
    render_chart(chart, page.key(f"buckets_round{chosen}"), t("notice.lsh_buckets"), width="stretch")
    st.markdown(t("reformer.step2", chunk=steps.chunk))
    chart = buckets_chart(
        steps.buckets[chosen], order, t("reformer.x_sorted"), t("reformer.y_bucket"), steps.chunk, True
    )
    render_chart(chart, page.key(f"sorted_round{chosen}"), t("notice.lsh_sorted"), width="stretch")
    st.markdown(t("reformer.step3"))
    left, right = st.columns(2)
    sorted_view = steps.allowed[chosen][np.ix_(order, order)].astype(np.float32)
    chart = mask_chart(sorted_view, t("reformer.sorted_title"))
    name = page.key(f"allowed_round{chosen}")
    render_chart(chart, name, t("notice.lsh_allowed"), where=left, width="content")
    chart = mask_chart(steps.union.astype(np.float32), t("reformer.union_title", rounds=int(rounds)))
    render_chart(chart, page.key("allowed_union"), t("notice.lsh_union"), where=right, width="content")
    full = np.tril(np.ones_like(steps.union)).sum()
    st.markdown(t("reformer.union_fraction", share=steps.union.sum() / full, rounds=int(rounds)))


def mask_chart(matrix: np.ndarray, title: str):
    """A (T, T) map pooled to at most 128 cells a side, drawn as an attention heatmap for where it is
    shown (larger in the tour)."""
    pooled, _, _ = pool(matrix, 128)
    frame = attention_charts.heatmap_frame(pooled, [], [])
    return attention_charts.attention_heatmap(frame, title, 320, projector.scale())


def render_lsh_pattern(page: PageInput) -> None:
    """The real model's chunked LSH weights reassembled in token order, beside full causal attention."""
    st.markdown(t("reformer.pattern_intro"))
    reading = _reading(page, t("section.lsh_pattern"), "map")
    if reading is None:
        return
    heads, rounds = reading.maps.shape[:2]
    left, right = st.columns(2)
    head = left.number_input(t("attn.head"), 0, heads - 1, 0, key=page.key("p_head"))
    chosen = right.radio(t("reformer.round"), list(range(rounds)), horizontal=True, key=page.key("p_round"))
    weights, allowed = reading.maps[int(head), chosen], reading.allowed[int(head), chosen]
    a, b = st.columns(2)
    scaled = weights / np.maximum(weights.max(-1, keepdims=True), 1e-12)  # each row to its largest weight
    chart = mask_chart(scaled, t("reformer.real_title", round=chosen))
    name = page.key(f"real_H{int(head)}_round{chosen}")
    render_chart(chart, name, t("notice.lsh_real"), where=a, width="content")
    full = np.tril(np.ones_like(allowed, dtype=np.float32))
    chart = mask_chart(full, t("reformer.full_title"))
    render_chart(chart, page.key("full_causal"), t("notice.lsh_full"), where=b, width="content")
    sums = (weights * allowed).sum(-1)
    outside = float(np.abs(weights * ~allowed).max())
    st.markdown(
        t(
            "reformer.pattern_facts",
            low=float(sums.min()),
            high=float(sums.max()),
            outside=outside,
            share=allowed.sum() / full.astype(bool).sum(),
            buckets=reading.n_buckets,
            chunk=reading.chunk,
        )
    )


def render_lsh_chunks(page: PageInput) -> None:
    """Figure 25: one round of LSH attention on the real model's vectors, computed chunk by chunk."""
    st.markdown(t("chunks.intro"))
    reading = _reading(page, t("section.lsh_chunks"), "chunks")
    if reading is None:
        return
    cols = st.columns(3)
    head = cols[0].number_input(t("attn.head"), 0, reading.query_key.shape[0] - 1, 0, key=page.key("c_head"))
    buckets = cols[1].selectbox(t("reformer.buckets"), [2, 4, 8, 16, 32], 2, key=page.key("c_buckets"))
    seed = int(cols[2].number_input(t("bigbird.seed"), 0, 10_000, 0, key=page.key("c_seed")))
    vectors = torch.from_numpy(reading.query_key[int(head)])  # (T, d)
    hashed = lsh.hash_steps(vectors, int(buckets), 1, reading.chunk, seed=seed)
    result = lsh_chunks.chunked_attention(
        vectors, vectors, torch.from_numpy(hashed.buckets[0]), reading.chunk
    )
    st.markdown(t("chunks.step_sort", chunk=result.chunk, n=result.n_chunks))
    chart = buckets_chart(
        result.buckets, result.order, t("reformer.x_sorted"), t("reformer.y_bucket"), result.chunk, True
    )
    render_chart(
        chart, page.key(f"chunks_sorted_n{buckets}_seed{seed}"), t("chunks.notice_sorted"), width="stretch"
    )
    st.markdown(t("chunks.step_attend"))
    chart = lsh_chunk_charts.chunks_chart(
        result,
        t("chunks.title"),
        t("chunks.x_keys"),
        t("chunks.y_queries"),
        t("chunks.label"),
        projector.scale(),
    )
    name = page.key(f"chunks_H{int(head)}_n{buckets}_seed{seed}")
    render_chart(chart, name, t("chunks.notice_blocks"), width="content")
    length = len(result.order)
    st.markdown(
        t(
            "chunks.facts",
            n=result.n_chunks,
            chunk=result.chunk,
            chunk2=2 * result.chunk,
            computed=result.n_chunks * result.chunk * 2 * result.chunk,
            full=length * length,
            gap=result.gap,
        )
    )
    kept = result.same_bucket_kept
    st.markdown(t("chunks.kept_all") if kept == 1 else t("chunks.kept_some", kept=kept))


def render_lsh_memory(page: PageInput) -> None:
    """Peak memory of one training step: LSH vs full eager vs full SDPA attention, same weights."""
    st.markdown(t("reformer.memory_intro"))
    options = [1024, 2048, 4096] + ([8192, 16384] if device.pick_device() == "cuda" else [])
    lengths = st.multiselect(t("cost.lengths"), options, options[:3], key=page.key("mem_lens"))
    if not lengths:
        st.info(t("cost.pick"))
        return
    ahead = tuple(sorted(lengths)) == tuple(options[:3])
    result = _measured("reformer_memory", "tokens", lengths, 3, page.key("mem"), ahead)
    if result is None:
        return
    names = {line: t(f"cost.line_{line}") for line in reversible.ATTENTIONS}
    expected = {"lsh": 1, "full_eager": 2, "full_sdpa": 2}  # the chapter's view of full attention
    for metric in ("peak_bytes", "seconds"):
        name, notice = page.key(f"memory_{metric}"), t("notice.lsh_cost")
        growth = {**expected, "lsh": N_LOG_N} if metric == "seconds" else expected  # time: the sort
        cost_views.render_result(result, metric, names, growth, t("cost.x_tokens"), name, notice)
    st.markdown(t("reformer.paper_title"))
    cost_views.render_paper_growth(result, "peak_bytes", names, expected, "reformer.paper_differs")


def _measured(
    what: str, axis: str, values: list[int], lines: int, key: str, ahead: bool
) -> cost.Sweep | None:
    """The kept Reformer sweep (sweeps.reformer_memory) over the chosen values, or a button to run it;
    `ahead`: the tab's default values, measured in the background on a first visit."""
    chosen = tuple(sorted(values))
    return cost_views.run_or_ask(
        what,
        chosen,
        lambda progress: sweeps.reformer_memory(axis, chosen, progress),
        t("cost.estimate", n=lines * len(chosen)),
        key,
        axis,
        ahead,
        problems.line_names(axis),
    )


def render_reversible(page: PageInput) -> None:
    """Inputs rebuilt from outputs, and activation memory of reversible vs ordinary residuals by depth."""
    st.markdown(t("reformer.rev_intro"))
    problems.render_blocks(page)
    check = getters.get_reconstruction()
    st.markdown(t("reformer.rev_check", x1=check.max_error_x1, x2=check.max_error_x2, scale=check.scale))
    depths = st.multiselect(
        t("reformer.depths"), [1, 2, 4, 6, 8], list(problems.DEPTHS), key=page.key("rev_depths")
    )
    if not depths:
        st.info(t("cost.pick"))
        return
    result = _measured(
        "reversible", "layers", depths, 2, page.key("rev"), tuple(sorted(depths)) == problems.DEPTHS
    )
    if result is None:
        return
    names = {line: t(f"reformer.residual_{line}") for line in reversible.RESIDUALS}
    expected = {"reversible": 0, "ordinary": 1}
    name, notice = page.key("reversible_peak_bytes"), t("notice.reversible_cost")
    cost_views.render_result(
        result, "peak_bytes", names, expected, t("reformer.x_layers"), name, notice, "layers"
    )
