"""DistilBERT page: the chapter's three ways to make a model light, measured on the loaded encoder."""

from __future__ import annotations

import datetime

import pandas as pd
import streamlit as st

from explorer import device
from explorer.families.distilbert import light
from explorer.ui import getters, layout, models
from explorer.ui.export import render_chart
from explorer.ui.lang import t
from explorer.ui.page_input import PageInput
from explorer.ui.tables import render_table
from explorer.views import light_charts


@st.cache_data(max_entries=8, show_spinner=False)
def _lightened(
    model_id: str, online: bool, text: str, amount: float, head: bool
) -> tuple[light.Lightened, str]:
    """The measurement and its UTC time; kept per model, text and pruned share (a copy of the model each)."""
    loaded = getters.get_model("bert", "mlm", model_id, online, device.pick_device())
    result = light.lighten(loaded.model, loaded.tokenizer, text, amount, head)
    return result, datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def render_light(page: PageInput) -> None:
    """Quantization, pruning and distillation of one encoder: size, time, and how far outputs move."""
    st.markdown(t("light.intro"))
    teacher_id = models.chosen_model_id("bert", page.key("teacher"))
    loaded = models.loaded("bert", "mlm", teacher_id, t("light.model_label"))
    if loaded is None:
        return
    amount = st.select_slider(
        t("light.amount"),
        [0.1, 0.2, 0.3, 0.5, 0.7, 0.9],
        0.3,
        format_func=lambda share: f"{share:.0%}",
        key=page.key("light_amount"),
    )
    head = loaded.source.pretrained or loaded.source.trained_heads
    try:
        with st.spinner(t("light.running")):
            result, when = _lightened(teacher_id, layout.online(), page.text, float(amount), head)
    except ValueError as err:
        st.error(t("light.bad", error=err))
        return
    names = {line: t(f"light.line_{line}", amount=amount) for line in light.LINES}
    measures = {m: t(f"light.measure_{m}") for m in light_charts.MEASURES}
    frame = light_charts.light_frame(result, names, measures)
    chart = light_charts.light_chart(frame, list(names.values()))
    render_chart(chart, page.key(f"light_p{int(amount * 100)}"), t("light.notice"), width="content")
    _render_table(result, names)
    st.caption(
        t("light.measured_on", cpu=result.cpu, threads=result.threads, when=when, tokens=result.tokens)
    )
    if not head:
        st.caption(t("light.no_head"))


def _render_table(result: light.Lightened, names: dict[str, str]) -> None:
    original = result.variant("original")
    rows = [
        {
            t("light.col_model"): names[v.line],
            t("light.col_layers"): v.layers,
            t("light.col_size"): f"{v.size_bytes / 1e6:.1f}",
            t("light.col_size_ratio"): f"{v.size_bytes / original.size_bytes:.2f}",
            t("light.col_time"): f"{v.seconds * 1e3:.1f}",
            t("light.col_speedup"): f"{original.seconds / v.seconds:.2f}",
            t("light.col_zero"): "—" if v.zero_share is None else f"{v.zero_share:.0%}",
            t("light.col_cosine"): f"{v.cosine:.3f}",
            t("light.col_top1"): "—" if v.top1 is None else f"{v.top1:.0%} ({result.masked})",
        }
        for v in result.variants
    ]
    render_table(pd.DataFrame(rows), hide_index=True)
