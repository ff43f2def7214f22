"""Pure chart builders for attention step by step (small labelled matrices) and FLOPs by length."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.mechanics.flops import FlopsTable
from explorer.views.room import map_grid, themed

PARTS = ("qkv", "quadratic", "output", "attention", "feed_forward")  # lines of the FLOPs chart


def matrix_frame(matrix: np.ndarray, rows: list[str], cols: list[str]) -> pd.DataFrame:
    """An (R, C) matrix as tidy rows: row and column index, their labels ("i token"), and the value."""
    r, c = np.meshgrid(np.arange(matrix.shape[0]), np.arange(matrix.shape[1]), indexing="ij")
    return pd.DataFrame(
        {
            "r": r.ravel(),
            "c": c.ravel(),
            "row": [f"{i} {rows[i]}" for i in r.ravel()],
            "col": [cols[j] for j in c.ravel()],
            "value": np.round(matrix.ravel().astype(np.float64), 4),
        }
    )


def matrix_chart(
    matrix: np.ndarray,
    rows: list[str],
    cols: list[str],
    title: str,
    probabilities: bool = False,
    max_width: int = 620,
    scale: float = 1.0,
    square: bool = False,
) -> alt.Chart:
    """One step's (R, C) matrix as a heatmap, rows and columns labelled, at most max_width pixels wide
    times `scale` (larger in the tour), sized by the attention map's rule (room.map_grid): token labels
    at its type size and each row at least as tall as its label, so they do not overlap. `square`: a
    tokens x tokens matrix (Q Kᵀ, softmax), drawn at that size with square cells (as wide as a narrower
    column, room.kept); else a tokens x dims
    one, as wide as its column (Q, K, V stand three in a row). Said, not read from the shape: 32 tokens
    by a head's 32 dims is square too.

    Probabilities use 0..1 blues like the attention maps; signed values a red-blue scale around 0.
    """
    frame = matrix_frame(matrix, rows, cols)
    names = tuple(frame["row"].unique())
    grid = map_grid(*matrix.shape, max_width, scale, widest=18, names=names)
    if probabilities:
        colours = alt.Scale(scheme="blues", domain=[0, 1], clamp=True)
    else:
        colours = alt.Scale(scheme="redblue", domainMid=0, reverse=True)
    chart = (
        alt.Chart(frame, title=title)
        .mark_rect()
        .encode(
            x=alt.X("col:N", title=None, sort=alt.EncodingSortField("c"), axis=grid.x_axis()),
            y=alt.Y("row:N", title=None, sort=alt.EncodingSortField("r"), axis=grid.y_axis()),
            color=alt.Color("value:Q", scale=colours, legend=alt.Legend(title=None, format=".2f")),
            tooltip=["row:N", "col:N", alt.Tooltip("value:Q", format=".4f")],
        )
    )
    return themed(grid.sized(chart, keep=square))


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
