"""BigBird sections: the pattern builder, the real model's block-sparse attention, latency vs length."""

from __future__ import annotations

import streamlit as st

from explorer import device
from explorer.families.bigbird import sparse
from explorer.measure import defaults, sweeps
from explorer.mechanics.attention import pool
from explorer.ui import cost_views, getters, layout, models, projector
from explorer.ui.export import render_chart
from explorer.ui.lang import t
from explorer.ui.markdown import literal
from explorer.ui.page_input import PageInput
from explorer.views import attention_charts, cost_charts

MAP_BLOCKS = 32  # longest real map offered, in blocks (2,048 tokens for bigbird-roberta-base)


def part_names() -> dict[str, str]:
    return {p: t(f"bigbird.part_{p}") for p in sparse.PARTS}


def render_pattern(page: PageInput) -> None:
    """Block size, window, global and random blocks -> the T x T pattern, by part, and its fraction."""
    st.markdown(t("bigbird.pattern_intro"))
    cols = st.columns(6)
    length = cols[0].number_input(t("bigbird.length"), 1, 100_000, 1024, key=page.key("p_len"))
    block = cols[1].number_input(t("bigbird.block"), 1, 4096, 64, key=page.key("p_block"))
    window = cols[2].number_input(t("bigbird.window"), 1, 99, 3, step=2, key=page.key("p_window"))
    ends = cols[3].number_input(t("bigbird.global"), 0, 99, 1, key=page.key("p_global"))
    random = cols[4].number_input(t("bigbird.random"), 0, 99, 3, key=page.key("p_random"))
    seed = cols[5].number_input(t("bigbird.seed"), 0, 10_000, 0, key=page.key("p_seed"))
    try:
        pattern = sparse.build_pattern(
            int(length), int(block), int(window), int(ends), int(random), int(seed)
        )
    except sparse.PatternError as err:
        st.error(t("bigbird.bad_pattern", error=err))
        return
    names = part_names()
    frame = cost_charts.parts_frame(pattern.blocks, names, pattern.block_size)
    title = t("bigbird.pattern_title", n=pattern.blocks.shape[0], block=pattern.block_size)
    chart = cost_charts.pattern_chart(frame, names, title, scale=projector.scale())
    render_chart(chart, page.key("pattern"), t("notice.bigbird_pattern"), width="content")
    n = pattern.blocks.size
    counts = ", ".join(f"{names[p]} {pattern.count(p):,}" for p in ("global", "window", "random"))
    st.markdown(
        t("bigbird.fraction", fraction=pattern.fraction, blocks=int(n * pattern.fraction), n=n, counts=counts)
    )
    if int(random) and pattern.count("random") < (pattern.blocks.shape[0] - 2 * int(ends)) * int(random):
        st.caption(t("bigbird.random_short"))


def render_real_attention(page: PageInput) -> None:
    """The real model's block-sparse attention on the text, laid over the pattern it should compute."""
    st.markdown(t("bigbird.real_intro"))
    loaded = models.loaded(page.family, "base", page.model_id, t("section.bigbird_real"))
    if loaded is None:
        return
    config = loaded.model.config
    lowest, block = sparse.min_sparse_length(config), config.block_size
    top = min(config.max_position_embeddings, max(lowest, MAP_BLOCKS * block))
    choices = list(range(lowest, top + 1, block))
    cols = st.columns(3)
    length = cols[0].select_slider(t("bigbird.map_length"), choices, choices[0], key=page.key("m_len"))
    layer = cols[1].slider(t("attn.layer"), 0, config.num_hidden_layers - 1, 0, key=page.key("m_layer"))
    mode = cols[2].radio(
        t("bigbird.mode"), sparse.MODES, format_func=lambda m: t(f"bigbird.mode_{m}"), key=page.key("m_mode")
    )
    st.caption(t("bigbird.min_length", lowest=lowest, r=config.num_random_blocks, block=block))
    try:
        with st.spinner(t("cost.running")):
            result, n_text = getters.get_sparse_map(
                page.model_id, layout.online(), device.pick_device(), page.text, length, layer, mode
            )
    except sparse.PatternError as err:
        st.error(literal(err))
        return
    if n_text < length:
        st.caption(t("bigbird.repeated", n=n_text, length=length))
    render_map(page, result, config)


def render_map(page: PageInput, result: sparse.SparseMap, config) -> None:
    """Parts the real model filled (left), one head's pooled weights (right), and what matches."""
    names = part_names()
    head = 0
    expected = sparse.build_pattern(
        result.mass.shape[-1] * result.block_size, result.block_size, 3, 1, 0
    ).blocks
    left, right = st.columns(2)
    frame = cost_charts.parts_frame(result.parts(head), names, result.block_size, result.mass[head])
    title = t("bigbird.real_title", mode=t(f"bigbird.mode_{result.mode}"))
    chart = cost_charts.pattern_chart(frame, names, title, scale=projector.scale())
    name = page.key(f"real_parts_{result.mode}")
    render_chart(chart, name, t("notice.bigbird_real_parts"), where=left, width="content")
    pooled, _, _ = pool(result.head_map, 128)
    heat = attention_charts.heatmap_frame(pooled, [], [])
    title = t("bigbird.head_title", head=head)
    chart = attention_charts.attention_heatmap(heat, title, 320, projector.scale())  # fits half the page
    name = page.key(f"real_head{head}_{result.mode}")
    render_chart(chart, name, t("notice.bigbird_real_head"), where=right, width="content")
    rule = expected > 0
    extra = result.nonzero & ~rule
    st.markdown(
        t(
            "bigbird.match",
            mode=t(f"bigbird.mode_{result.mode}"),
            covered=int((result.nonzero & rule).all(0).sum()),
            rule=int(rule.sum()),
            extra=round(float(extra.sum(axis=(1, 2)).mean()), 1),
            rows=rule.shape[0] - 2,
            r=config.num_random_blocks,
            fraction=float(result.nonzero.mean()),
        )
    )
    low, high = float(result.row_sums.min()), float(result.row_sums.max())
    st.caption(t(f"bigbird.row_sums_{result.mode}", low=low, high=high))


def render_latency(page: PageInput) -> None:
    """Block-sparse vs full (eager) vs full (SDPA) forward time of the same weights, measured here."""
    st.markdown(t("bigbird.latency_intro"))
    cols = st.columns(3)
    first_lengths, first_layers, first_batch = defaults.BIGBIRD_LATENCY
    lengths = cols[0].multiselect(
        t("cost.lengths"), [512, 1024, 2048, 3072, 4096], list(first_lengths), key=page.key("l_lens")
    )
    layers = cols[1].slider(t("bigbird.layers"), 1, 12, first_layers, key=page.key("l_layers"))
    batch = cols[2].number_input(t("cost.batch"), 1, 8, first_batch, key=page.key("l_batch"))
    st.caption(t("bigbird.layers_note", layers=layers))
    if not lengths:
        st.info(t("cost.pick"))
        return
    lengths, layers, batch = tuple(sorted(lengths)), int(layers), int(batch)
    estimate = t("cost.estimate", n=3 * len(lengths))
    result = cost_views.run_or_ask(
        "bigbird",
        (lengths, layers, batch),
        lambda progress: sweeps.bigbird_latency(lengths, layers, batch, progress),
        estimate,
        page.key("latency"),
        ahead=(lengths, layers, batch) == defaults.BIGBIRD_LATENCY,
        names={line: t(f"cost.line_{line}") for line in sparse.LINES},
    )
    if result is None:
        return
    names = {line: t(f"cost.line_{line}") for line in sparse.LINES}
    expected = {"block_sparse": 1, "full_eager": 2, "full_sdpa": 2}
    for metric in ("seconds", "peak_bytes"):
        name, notice = page.key(f"latency_{metric}"), t("notice.bigbird_cost")
        cost_views.render_result(result, metric, names, expected, t("cost.x_tokens"), name, notice)
    st.caption(t("bigbird.dense_probs"))
    st.markdown(t("bigbird.paper_title"))
    cost_views.render_paper_growth(result, "seconds", names, expected, "bigbird.paper_differs")
