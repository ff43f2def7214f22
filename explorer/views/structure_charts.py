"""Pure chart builders for BERT's structure (figure 1) and its two pre-training losses (figure 5)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.views.room import themed


def stack_chart(frame: pd.DataFrame, part_order: list[str]) -> alt.Chart:
    """One column of blocks per model, the input at the bottom; columns model, level (row, 0 = the
    embeddings), label (block name and count), part (body / pooler / head), params.

    Rows line up across models: the same body at the same height, so what differs is the top."""
    base = alt.Chart(frame).encode(
        x=alt.X("model:N", sort=None, title=None, axis=alt.Axis(orient="top", labelLimit=300, labelAngle=0)),
        y=alt.Y("level:O", sort="descending", axis=None),
    )
    boxes = base.mark_rect(stroke="white", strokeWidth=2, cornerRadius=3).encode(
        color=alt.Color(
            "part:N",
            sort=part_order,
            # light fills, so the black labels read on a projector: body blue, pooler paler, head orange
            scale=alt.Scale(domain=part_order, range=["#9ecae1", "#deebf7", "#fdae6b"]),
            title=None,
            legend=alt.Legend(orient="bottom", labelLimit=300),
        ),
        tooltip=["model", "label", "part", alt.Tooltip("params:Q", format=",")],
    )
    labels = base.mark_text(fontSize=12, color="black").encode(text="label:N")
    return themed((boxes + labels).properties(height=alt.Step(26), width=alt.Step(240)))


def loss_parts_chart(frame: pd.DataFrame, x_title: str) -> alt.Chart:
    """The total loss as one stacked bar: each masked token's share of the MLM mean, then NSP; columns
    part (a label), objective (MLM / NSP), value (its contribution), order, total (the bar's name).

    Values stack as they are (no aggregate), and the bar's thickness is set, not left to the band."""
    chart = (
        alt.Chart(frame)
        .mark_bar(size=40, stroke="white")
        .encode(
            x=alt.X("value:Q", title=x_title, stack="zero"),
            y=alt.Y("total:N", title=None, axis=alt.Axis(labelLimit=300)),
            color=alt.Color("objective:N", title=None, legend=alt.Legend(orient="right")),
            order=alt.Order("order:Q"),
            tooltip=["part", "objective", alt.Tooltip("value:Q", format=".4f")],
        )
        .properties(height=150)  # Streamlit fits the whole chart, legend and axis, in this height
    )
    return themed(chart)
