"""The classroom's tally at projector size: answers per choice, the right one marked once revealed."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.classroom.session import Tally
from explorer.views.room import themed

LETTERS = "ABCD"
RIGHT, OTHER, HIDDEN = "#2e7d32", "#9e9e9e", "#1f77b4"


def tally_frame(tally: Tally, choices: tuple[str, ...], answer: int | None) -> pd.DataFrame:
    """One row per choice: label ("A  text", cut for the axis), count, and its colour (the right
    choice green, the others grey, once `answer` is given; all blue before the reveal)."""
    rows = []
    for i, (text, count) in enumerate(zip(choices, tally.counts, strict=True)):
        short = text if len(text) <= 38 else f"{text[:36]}…"
        colour = HIDDEN if answer is None else (RIGHT if i == answer else OTHER)
        rows.append({"label": f"{LETTERS[i]}  {short}", "count": count, "colour": colour})
    return pd.DataFrame(rows)


def tally_chart(frame: pd.DataFrame, x_title: str) -> alt.Chart:
    """Horizontal bars, large type, each with its count (no axis): read from the back of a room."""
    most = max(int(frame["count"].max()), 1)
    bars = alt.Chart(frame).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelFontSize=20, labelLimit=520)),
        x=alt.X("count:Q", title=x_title, scale=alt.Scale(domain=[0, most * 1.2]), axis=None),
    )
    chart = bars.mark_bar(height=38).encode(color=alt.Color("colour:N", scale=None)) + bars.mark_text(
        align="left", dx=8, fontSize=26, fontWeight="bold"
    ).encode(text="count:Q")
    return themed(chart.properties(height=60 * len(frame) + 20))
