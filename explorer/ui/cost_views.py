"""Measured cost on the page: a sweep asks first, shows progress, is kept per device and settings,
and is drawn with its device's name and one sentence computed from its numbers. Also the DistilBERT
speed/size section (registered as "distil_speed")."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from explorer import limits
from explorer.families.distilbert import speed
from explorer.measure import background, defaults, kept, sweeps
from explorer.mechanics import cost
from explorer.ui import getters, layout
from explorer.ui.export import render_chart
from explorer.ui.lang import current, t
from explorer.ui.page_input import PageInput
from explorer.ui.tables import render_table
from explorer.views import cost_charts

Runner = background.Runner  # one of explorer.measure.sweeps, its settings bound
PROGRESS_S = 1.0  # seconds between redraws of a measurement's progress


def run_or_ask(
    what: str,
    settings: tuple,
    runner: Runner,
    estimate: str,
    key: str,
    unit: str = "tokens",
    ahead: bool = False,
    names: dict[str, str] | None = None,
) -> cost.Sweep | None:
    """The kept sweep for these settings on this device with its date and a button that measures it
    again, or a button that measures it; while it is measured (in the background), its progress.

    `unit` names what the sweep's x counts ("tokens" or "layers"); `ahead`: these are the page's
    default settings, measured in the background on the first visit when nothing is kept (unless
    EXPLORER_MEASURE_AHEAD=0); `names`: the lines in words, for the progress line. A stopped sweep
    returns the points measured so far."""
    index = (what, kept.this_device(), settings)
    found, job = background.kept_result(index), background.find(index)
    if found is None and job is None and ahead and background.ahead():
        job = background.start(index, runner, ahead=True)
    if job is not None and not job.finished:
        if found is None and ahead:
            st.caption(t("cost.ahead"))
        _render_running(job, key, unit, names or {})
        return found.sweep if found else None
    stopped = job is not None and job.state == background.STOPPED
    if found is not None:
        if stopped and job.result is not None and job.result is not found.sweep:
            st.caption(t("cost.stopped_kept", step=len(job.result.points), total=job.total or "?"))
        _render_kept(found, index, runner, key)
        return found.sweep
    if stopped:
        why = "cost.limit_stopped" if job.limit else "cost.stopped"
        points = len(job.result.points) if job.result else 0
        st.warning(t(why, step=points, total=job.total or "?", value=limits.current().run_seconds))
    elif job is not None and job.state == background.FAILED:
        st.error(t("cost.failed", error=job.error))
    st.info(t("cost.ask", estimate=estimate, device=index[1]))
    if st.button(t("cost.run"), key=f"{key}_run", type="primary"):
        background.start(index, runner)
        st.rerun()
    return job.result if stopped else None


def _render_kept(found: kept.Kept, index: background.Index, runner: Runner, key: str) -> None:
    """When and where the kept sweep was measured, and a button that measures it again."""
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.caption(t("cost.kept_on", device=found.device, date=found.date))
    if right.button(t("cost.again"), key=f"{key}_again"):
        background.start(index, runner)
        st.rerun()


def _render_running(job: background.Measurement, key: str, unit: str, names: dict[str, str]) -> None:
    """The measurement's progress, redrawn every PROGRESS_S, with a Stop; the page redraws at its end."""
    with layout.still_bars(f"{key}_progress"):
        st.fragment(_progress, run_every=PROGRESS_S)(job, key, unit, names)


def _progress(job: background.Measurement, key: str, unit: str, names: dict[str, str]) -> None:
    def line() -> str:
        at = t(f"cost.at_{unit}", value=f"{job.value:,}")
        done = {"step": job.step, "total": job.total, "line": names.get(job.line, job.line), "at": at}
        return t("cost.progress", **done, left=job.left or 0.0, elapsed=job.elapsed)

    render_progress(job, key, line)
    render_stop(job, f"{key}_stop")


def render_progress(job: background.Measurement, key: str, line: Callable[[], str]) -> bool:
    """The top of a measurement's progress box: the whole page redrawn once it has ended; while it
    waits, its place; else its bar, under `line()` from its first point on. True when that bar is drawn."""
    if job.finished:
        st.rerun()  # the whole page: the result, or what was measured before the stop
    if job.state == background.WAITING:
        render_waiting(job, key)
    elif job.step == 0:
        st.progress(0.0, t("cost.progress_first", elapsed=job.elapsed))
    else:
        st.progress(min(1.0, job.fraction), line())
        return True
    return False


def render_waiting(job: background.Measurement, key: str) -> None:
    """A measurement waiting for its turn: its place in the server's queue, whether it gave way, and
    for one nobody asked for that gave way, a button that asks for it (it gives way no more)."""
    st.info(t("cost.waiting_place", place=job.place) if job.place else t("cost.waiting_turn"))
    if not job.gave_way:
        return
    said = st.empty()  # above the button; said after it, so a click's run already says it was asked for
    if job.ahead and st.button(t("cost.claim"), key=f"{key}_claim"):
        background.start(job.index, job.runner)  # the same run, now asked for
    said.caption(t("cost.gave_way") if job.ahead else t("cost.claimed"))  # every redraw while it waits


def render_stop(job: background.Measurement, key: str) -> None:
    """Stop after the point being measured, or the line saying it is stopping."""
    if job.stopping:
        st.caption(t("cost.stopping"))
    elif st.button(t("cost.stop"), key=key):
        job.stop()
        st.caption(t("cost.stopping"))


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
    render_table(table.style.format("{:,.0f}" if metric == "peak_bytes" else "{:.3g}"), width="content")
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
    render_table(pd.DataFrame(rows), hide_index=True, width="content")
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
    first_batches, first_lengths = (list(v) for v in defaults.DISTIL_SPEED)
    batches = st.multiselect(t("cost.batches"), [1, 8, 32], first_batches, key=page.key("distil_batches"))
    lengths = st.multiselect(
        t("cost.lengths"), [32, 64, 128, 256, 512], first_lengths, key=page.key("distil_lens")
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
        ahead=(batches, lengths) == defaults.DISTIL_SPEED,
        names=names,
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
        render_table(pd.DataFrame(rows), hide_index=True, width="content")
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
