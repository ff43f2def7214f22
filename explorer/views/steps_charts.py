"""Pure chart builders for attention step by step (small labelled matrices) and FLOPs by length."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.mechanics.flops import FlopsTable
from explorer.views.charts import heatmap_frame, themed

PARTS = ("qkv", "quadratic", "output", "attention", "feed_forward")  # lines of the FLOPs chart


def matrix_chart(
    matrix: np.ndarray, rows: list[str], cols: list[str], title: str, probabilities: bool = False
) -> alt.Chart:
    """One step's (R, C) matrix as a heatmap with its row and column labels.

    Probabilities use 0..1 blues like the attention maps; signed values a red-blue scale around 0.
    """
    frame = heatmap_frame(matrix, rows, cols)
    named = "query" in frame
    cell = 14 if matrix.shape[1] > 24 else 20
    x = alt.X("key:N" if named else "k:O", title=None, sort=alt.EncodingSortField("k"))
    y = alt.Y("query:N" if named else "q:O", title=None, sort=alt.EncodingSortField("q"))
    if probabilities:
        scale = alt.Scale(scheme="blues", domain=[0, 1], clamp=True)
    else:
        scale = alt.Scale(scheme="redblue", domainMid=0, reverse=True)
    chart = (
        alt.Chart(frame, title=title)
        .mark_rect()
        .encode(
            x=x.axis(labelAngle=-60, labelOverlap=False),
            y=y.axis(labelOverlap=False),
            color=alt.Color("weight:Q", scale=scale, legend=None),
            tooltip=[x.shorthand, y.shorthand, alt.Tooltip("weight:Q", format=".3f")],
        )
        .properties(width=cell * matrix.shape[1], height=cell * matrix.shape[0])
    )
    return themed(chart)


def flops_frame(table: FlopsTable, names: dict[str, str]) -> pd.DataFrame:
    """Tidy rows (length, part, gflops) for every length and part, parts named in the page's language."""
    rows = [
        {"length": r.length, "part": names[p], "gflops": getattr(r, p) / 1e9}
        for r in table.rows
        for p in PARTS
    ]
    return pd.DataFrame(rows)


def flops_chart(
    frame: pd.DataFrame, x_title: str, y_title: str, crossover: float, rule_label: str
) -> alt.Chart:
    """GFLOPs of each part by length (log-log), with a rule where the T^2 terms overtake the feed-forward."""
    lines = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("length:Q", title=x_title, scale=alt.Scale(type="log", base=2)),
            y=alt.Y("gflops:Q", title=y_title, scale=alt.Scale(type="log")),
            color=alt.Color("part:N", sort=None, legend=alt.Legend(title=None, orient="bottom", columns=3)),
            tooltip=["length:Q", "part:N", alt.Tooltip("gflops:Q", format=",.3f")],
        )
    )
    marks = pd.DataFrame({"length": [crossover], "label": [rule_label]})
    rule = alt.Chart(marks).mark_rule(strokeDash=[4, 4], color="gray").encode(x="length:Q")
    text = (
        alt.Chart(marks)
        .mark_text(align="left", dx=4, dy=-6, color="gray")
        .encode(x="length:Q", y=alt.value(8), text="label:N")
    )
    return themed((lines + rule + text).properties(height=360))
