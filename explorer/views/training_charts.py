"""Pure chart builders for the ELECTRA and DistilBERT pages: tidy DataFrame in, alt.Chart out."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.views.room import themed


def signal_chart(frame: pd.DataFrame, y_title: str) -> alt.Chart:
    """Per-token loss of two objectives side by side; columns label (position:token), token, objective, loss.

    A token with no loss under an objective has no bar there: that is the point of the chart."""
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("label:N", sort=None, title=None, axis=alt.Axis(labelAngle=-45)),
            xOffset="objective:N",
            y=alt.Y("loss:Q", title=y_title),
            color=alt.Color("objective:N", title=None, legend=alt.Legend(orient="top", labelLimit=400)),
            tooltip=["token", "objective", alt.Tooltip("loss:Q", format=".3f")],
        )
        .properties(height=240)
    )
    return themed(chart)


def curves_chart(
    frame: pd.DataFrame, x_title: str, y_title: str, x: str = "step", x_format: str | None = None
) -> alt.Chart:
    """Training curves, one small chart per series, each on its own y scale (a loss near 10 would
    flatten one near 0.1 on a shared axis); columns `x` (step, or compute in FLOPs), series, value.

    The x scale is shared, so against compute a costlier series reaches further right; `x_format`
    is a d3 format for its labels ("~s" writes FLOPs as 1.2G)."""
    chart = (
        alt.Chart(frame)
        .mark_line()
        .encode(
            x=alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format=x_format) if x_format else alt.Undefined),
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", legend=None),
            tooltip=[
                "series",
                alt.Tooltip(f"{x}:Q", format=x_format or "d"),
                alt.Tooltip("value:Q", format=".3f"),
            ],
        )
        .properties(height=120, width=260)
        .facet(
            facet=alt.Facet("series:N", title=None, sort=None, header=alt.Header(labelLimit=400)), columns=2
        )
        .resolve_scale(y="independent")
    )
    return themed(chart)


def probe_chart(frame: pd.DataFrame, x_title: str, chance: float = 0.5) -> alt.Chart:
    """Probe accuracy per model with a line at chance; columns model, accuracy."""
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("accuracy:Q", title=x_title, scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("model:N", sort=None, title=None, axis=alt.Axis(labelLimit=300)),
            tooltip=["model", alt.Tooltip("accuracy:Q", format=".1%")],
        )
    )
    rule = alt.Chart(pd.DataFrame({"chance": [chance]})).mark_rule(strokeDash=[4, 4]).encode(x="chance:Q")
    return themed((bars + rule).properties(height=alt.Step(28)))


def token_values_chart(frame: pd.DataFrame, y_title: str, domain: tuple[float, float]) -> alt.Chart:
    """One bar per token; columns label (position:token), token, value."""
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("label:N", sort=None, title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(domain=list(domain))),
            tooltip=["token", alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(height=200)
    )
    return themed(chart)
