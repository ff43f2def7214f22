"""Pure figure builders for the pre-training recipes (RoBERTa, ALBERT): frame in, alt.Chart out."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.views.room import themed

ACTIONS = ["mask", "random", "kept", "none"]  # masking.MASK / RANDOM / KEEP, and not chosen
ACTION_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#f2f2f2"]


def mask_grid_chart(frame: pd.DataFrame, x_title: str, y_title: str, legend: dict[str, str]) -> alt.Chart:
    """Epochs (rows) x tokens (columns), coloured by what masking did; frame: epoch, position, token,
    action (one of ACTIONS). `legend` names the actions in the page's language."""
    frame = frame.assign(
        what=frame["action"].map(legend), label=frame["position"].astype(str) + " " + frame["token"]
    )
    chart = (
        alt.Chart(frame)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "label:N",
                title=x_title,
                sort=alt.EncodingSortField("position"),
                axis=alt.Axis(labelAngle=-60, labelOverlap=False),
            ),
            y=alt.Y("epoch:O", title=y_title),
            color=alt.Color(
                "what:N",
                scale=alt.Scale(domain=[legend[a] for a in ACTIONS], range=ACTION_COLOURS),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=["epoch", "token", "what"],
        )
        .properties(height=alt.Step(12), width=alt.Step(34))
    )
    return themed(chart)


def grouped_bar_chart(
    frame: pd.DataFrame, x: str, y: str, group: str, x_title: str, y_title: str
) -> alt.Chart:
    """Horizontal bars of `y` per `x` (one row each), one colour per `group`, side by side."""
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(f"{x}:N", title=x_title, sort=None),
            x=alt.X(f"{y}:Q", title=y_title),
            yOffset=alt.YOffset(f"{group}:N"),
            color=alt.Color(f"{group}:N", legend=alt.Legend(title=None, orient="top")),
            tooltip=[x, group, y],
        )
        .properties(height=alt.Step(9), width=420)
    )
    return themed(chart)


PACKING_COLUMNS = ("input", "document", "sentence", "segment", "start", "end", "cut")  # a packed span's


def packing_chart(
    frame: pd.DataFrame, limit: int, x_title: str, y_title: str, names: dict[str, str]
) -> alt.Chart:
    """One row per packed input, one block per sentence coloured by document; frame: input, start,
    end, document, sentence, segment, cut. A rule marks the length limit; `names` gives each column's
    name in the page's language, for the legends and the tooltip."""
    blocks = (
        alt.Chart(frame)
        .mark_rect(stroke="black", strokeWidth=0.6, height=alt.RelativeBandSize(0.8))
        .encode(
            x=alt.X("start:Q", title=x_title, scale=alt.Scale(domain=[0, limit])),
            x2="end:Q",
            y=alt.Y("input:O", title=y_title),
            color=alt.Color(
                "document:N",
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(orient="top", title=names["document"]),
            ),
            opacity=alt.Opacity(
                "segment:N",
                scale=alt.Scale(range=[1.0, 0.55]),
                legend=alt.Legend(orient="top", title=names["segment"]),
            ),
            tooltip=[alt.Tooltip(column, title=names[column]) for column in PACKING_COLUMNS],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"limit": [limit]}))
        .mark_rule(color="red", strokeDash=[4, 3])
        .encode(x="limit:Q")
    )
    return themed((blocks + rule).properties(height=alt.Step(22)))


def params_chart(frame: pd.DataFrame, x_title: str) -> alt.Chart:
    """Stacked horizontal bars of parameters (millions) per model and component; frame: model,
    component, millions, order."""
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("millions:Q", title=x_title, stack="zero"),
            y=alt.Y("model:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "component:N",
                sort=None,
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(title=None, orient="top"),
            ),
            order=alt.Order("order:Q"),
            tooltip=["model", "component", alt.Tooltip("millions:Q", format=",.3f")],
        )
        .properties(height=alt.Step(26))
    )
    return themed(chart)


def line_chart(frame: pd.DataFrame, x: str, y: str, group: str, x_title: str, y_title: str) -> alt.Chart:
    """Lines with points of `y` over `x`, one per `group` (per-layer distances, parameters over E)."""
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title),
            y=alt.Y(f"{y}:Q", title=y_title),
            color=alt.Color(f"{group}:N", legend=alt.Legend(title=None, orient="top")),
            tooltip=[group, x, alt.Tooltip(f"{y}:Q", format=",.4g")],
        )
        .properties(height=260)
    )
    return themed(chart)
