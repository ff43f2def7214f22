"""Measured cost on the page: a sweep asks first, shows progress, is kept per device and settings,
and is drawn with its device's name and one sentence computed from its numbers. Also the DistilBERT
speed/size section (registered as "distil_speed")."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from explorer import device
from explorer.families.distilbert import speed
from explorer.measure import sweeps
from explorer.mechanics import cost
from explorer.ui import getters
from explorer.ui.export import render_chart
from explorer.ui.lang import current, t
from explorer.ui.page_input import PageInput
from explorer.views import cost_charts

Runner = Callable[[sweeps.Progress], cost.Sweep]  # one of explorer.measure.sweeps, its settings bound


def run_or_ask(
    what: str, settings: tuple, runner: Runner, estimate: str, key: str, unit: str = "tokens"
) -> cost.Sweep | None:
    """The kept sweep for these settings on this device, or a button that measures it with progress.

    `unit` names what the sweep's x counts ("tokens" or "layers"), for the progress line."""
    store, lock = getters.get_sweeps()
    index = (what, device.pick_device(), settings)
    with lock:
        found = store.get(index)
    if found is not None:
        return found
    ask = st.empty()
    with ask.container():
        st.info(t("cost.ask", estimate=estimate, device=device.describe_device(device.pick_device())))
        clicked = st.button(t("cost.run"), key=f"{key}_run", type="primary")
    if not clicked:
        return None
    ask.empty()
    bar = st.progress(0.0, text=t("cost.progress_start"))

    def progress(done: float, line: str, length: int) -> None:
        bar.progress(
            done,
            text=t(
                "cost.progress",
                line=line,
                length=f"{length:,}",
                unit=t(f"cost.unit_{unit}"),
                done=round(100 * done),
            ),
        )

    try:
        result = runner(progress)
    except (ValueError, RuntimeError) as err:  # a setting the model refuses, or the device giving up
        st.error(t("cost.failed", error=err))
        return None
    bar.empty()
    with lock:
        store[index] = result
    return result


def render_result(
    result: cost.Sweep,
    metric: str,
    names: dict[str, str],
    expected: dict[str, int | str],
    x_title: str,
    name: str,
    notice: str,
    unit: str = "tokens",
) -> None:
    """The measured lines with expected growth, the sentence under them, the table, what was skipped.

    `name` names the chart's files (unique on the page); `notice` is the line on what to see in it.
    """
    y_title = t(f"cost.y_{metric}")
    frame = cost_charts.cost_frame(result, metric, names, expected)
    kinds = {"measured": t("cost.measured"), "expected": t("cost.expected")}
    render_chart(cost_charts.cost_chart(frame, x_title, y_title, kinds), name, notice, width="stretch")
    verdict = cost.who_wins(result.points, metric)
    st.markdown("**" + cost.verdict_sentence(verdict, current(), names, result.device, unit) + "**")
    st.caption(t("cost.measured_on", device=result.device))
    table = frame[frame["kind"] == "measured"].pivot(index="length", columns="line", values="value")
    table.index.name, table.columns.name = x_title, None
    st.dataframe(table.style.format("{:,.0f}" if metric == "peak_bytes" else "{:.3g}"), width="content")
    for line, length, why in result.skipped:
        st.caption(t("cost.skipped", line=names.get(line, line), length=f"{length:,}", why=why))


def render_paper_growth(
    result: cost.Sweep, metric: str, names: dict[str, str], paper: dict[str, int], why_key: str
) -> None:
    """Each line's measured growth beside the order its paper states (1: O(n), 2: O(n^2)), and, where
    a line departs from it, by how much and why (`why_key`, the family's reasons)."""
    rows, departs = [], []
    for line, order in paper.items():
        found = cost.growth(result, line, metric)
        if found is None:
            continue
        span = found.last / found.first
        rows.append(
            {
                t("cost.col_line"): names.get(line, line),
                t("cost.col_grew"): t("cost.grew", factor=found.factor, first=found.first, last=found.last),
                t("cost.col_order"): f"n^{found.order:.1f}",
                t("cost.col_paper"): t(f"cost.order_{order}", factor=span**order),
            }
        )
        if abs(found.order - order) > 0.5:
            departs.append(t("cost.departs", line=names.get(line, line), order=found.order, paper=order))
    if not rows:
        return
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="content")
    if departs:
        st.markdown(" ".join(departs))
        st.caption(t(why_key, device=result.device))
    else:
        st.caption(t("cost.as_paper", device=result.device))


def render_distil_speed(page: PageInput) -> None:
    """Teacher BERT-base vs student DistilBERT: parameters from the real configs, latency measured here."""
    st.markdown(t("cost.distil_intro"))
    sizes = getters.get_distil_sizes()
    left, mid, right = st.columns(3)
    left.metric(t("cost.teacher"), f"{sizes.teacher.total:,}")
    mid.metric(t("cost.student"), f"{sizes.student.total:,}")
    right.metric(t("cost.fewer"), f"{sizes.fewer:.1%}", help=t("cost.paper_smaller"))
    st.caption(t("cost.paper_sizes", fewer=sizes.fewer))
    batches = st.multiselect(t("cost.batches"), [1, 8, 32], default=[1, 32], key=page.key("distil_batches"))
    lengths = st.multiselect(
        t("cost.lengths"), [32, 64, 128, 256, 512], [64, 128], key=page.key("distil_lens")
    )
    if not batches or not lengths:
        st.info(t("cost.pick"))
        return
    names = {"teacher": t("cost.teacher"), "student": t("cost.student")}
    batches, lengths = tuple(sorted(batches)), tuple(sorted(lengths))
    estimate = t("cost.estimate_distil", n=2 * len(batches) * len(lengths))
    result = run_or_ask(
        "distil",
        (batches, lengths),
        lambda progress: sweeps.distil_latency(batches, lengths, progress),
        estimate,
        page.key("distil"),
    )
    if result is None:
        return
    for batch in batches:
        st.subheader(t("cost.batch_title", batch=batch))
        part = cost.Sweep(result.device, tuple(p for p in result.points if p.batch == batch))
        name = page.key(f"speed_batch{batch}")
        render_result(part, "seconds", names, {}, t("cost.x_tokens"), name, t("notice.distil_speed"))
        render_speedups(part)


def render_speedups(result: cost.Sweep) -> None:
    """Measured teacher/student time ratio per length, beside the paper's, and why they differ."""
    measured = result.ratios("teacher", "student")
    ratios = [ratio for _, ratio in measured]
    rows = [
        {
            t("cost.x_tokens"): length,
            t("cost.speedup"): f"{ratio:.2f}x",
            t("cost.col_paper"): f"{speed.PAPER_SPEEDUP:.2f}x",
        }
        for length, ratio in measured
    ]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="content")
        st.caption(t("cost.paper_faster"))
        ratio = sorted(ratios)[len(ratios) // 2]
        st.caption(t(f"cost.speed_{_against_paper(ratio)}", ratio=ratio, paper=speed.PAPER_SPEEDUP))


def _against_paper(ratio: float) -> str:
    """How a measured teacher/student ratio stands to the paper's 1.63x: half the layers caps it near 2x."""
    if ratio > 2.05:
        return "noise"
    if abs(ratio - speed.PAPER_SPEEDUP) <= 0.15:
        return "close"
    return "below" if ratio < speed.PAPER_SPEEDUP else "above"
