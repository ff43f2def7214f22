"""Pure figure builders for sparse patterns, LSH steps and measured cost: data -> tidy frame -> Chart."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from explorer.mechanics.cost import Sweep
from explorer.views.room import PADDING_PX, kept, room_size, themed

N_LOG_N = "n log n"  # an expected growth that is no power of n: LSH's time (its sort by bucket)
PART_COLOURS = {"global": "#d62728", "window": "#1f77b4", "random": "#2ca02c", "none": "#f4f4f4"}


def parts_frame(labels: np.ndarray, names: dict[str, str], block_size: int, mass: np.ndarray | None = None):
    """An (n, n) part-label grid as rows: query block, key block, part (translated), tokens, weight."""
    from explorer.families.bigbird.sparse import PARTS

    r, c = np.meshgrid(np.arange(labels.shape[0]), np.arange(labels.shape[1]), indexing="ij")
    frame = pd.DataFrame({"q": r.ravel(), "k": c.ravel(), "code": labels.ravel().astype(int)})
    frame["part"] = [names[PARTS[code]] for code in frame["code"]]
    frame["tokens"] = [f"{q * block_size}-{(q + 1) * block_size - 1}" for q in frame["q"]]
    if mass is not None:
        frame["weight"] = np.round(mass.ravel().astype(float), 4)
    return frame


def pattern_chart(
    frame: pd.DataFrame, names: dict[str, str], title: str, size: int = 360, scale: float = 1.0
) -> alt.Chart:
    """Blocks coloured by part (global, window, random); opacity follows the weight when given. About
    `size` px a side, times `scale` (larger in the tour), or as wide as a narrower column (room.kept)."""
    order = [names[p] for p in ("global", "window", "random", "none")]
    colours = [PART_COLOURS[p] for p in ("global", "window", "random", "none")]
    encoding = {
        "x": alt.X("k:O", title=None, axis=alt.Axis(labels=False, ticks=False)),
        "y": alt.Y("q:O", title=None, axis=alt.Axis(labels=False, ticks=False)),
        "color": alt.Color(
            "part:N",
            scale=alt.Scale(domain=order, range=colours),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
        "tooltip": ["q:O", "k:O", "tokens:N", "part:N"] + (["weight:Q"] if "weight" in frame else []),
    }
    if "weight" in frame:
        top = float(frame["weight"].max()) or 1.0
        encoding["opacity"] = alt.Opacity(
            "weight:Q", scale=alt.Scale(domain=[0, top], range=[0.25, 1]), legend=None
        )
    blocks = int(frame["q"].max()) + 1
    side = blocks * max(2, room_size(size, scale) // blocks)  # square cells, whatever the legend
    chart = alt.Chart(frame, title=title).mark_rect().encode(**encoding)
    return themed(kept(chart, side, side, "width", PADDING_PX))  # as wide as a narrower column


def growth(length: int, first: int, expected: int | str) -> float:
    """How many times an expected cost grows from the first length to this one."""
    if expected == N_LOG_N:
        return length * math.log(length) / (first * math.log(first))
    return (length / first) ** expected


def cost_frame(
    sweep: Sweep, metric: str, names: dict[str, str], expected: dict[str, int | str]
) -> pd.DataFrame:
    """Measured points plus an expected curve per line (its first point scaled by n, n log n or n^2).

    expected maps a line to the power its cost should grow with (1: O(n), 2: O(n^2)), or N_LOG_N.
    """
    rows = []
    for line in dict.fromkeys(p.line for p in sweep.points):
        points = sorted((p for p in sweep.points if p.line == line), key=lambda p: p.length)
        values = [getattr(p, metric) for p in points]
        if metric == "peak_bytes":
            values = [None if v is None else v / 1e6 for v in values]
        first = next(((p.length, v) for p, v in zip(points, values, strict=True) if v), None)
        for point, value in zip(points, values, strict=True):
            rows.append(
                {"line": names.get(line, line), "length": point.length, "value": value, "kind": "measured"}
            )
            if first and line in expected:
                guess = first[1] * growth(point.length, first[0], expected[line])
                rows.append(
                    {
                        "line": names.get(line, line),
                        "length": point.length,
                        "value": guess,
                        "kind": "expected",
                    }
                )
    return pd.DataFrame(rows, columns=["line", "length", "value", "kind"])


def cost_chart(frame: pd.DataFrame, x_title: str, y_title: str, kinds: dict[str, str]) -> alt.Chart:
    """Measured lines (solid, with points) and expected growth (dashed), per method."""
    frame = frame.assign(kind=frame["kind"].map(kinds))
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("length:Q", title=x_title, axis=alt.Axis(tickMinStep=1, format="~d")),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color("line:N", legend=alt.Legend(title=None, orient="bottom")),
            strokeDash=alt.StrokeDash(
                "kind:N", sort=list(kinds.values()), legend=alt.Legend(title=None, orient="bottom")
            ),
            tooltip=["line", "kind", "length", alt.Tooltip("value:Q", format=".3g")],
        )
        .properties(height=300)
    )
    return themed(chart)


def buckets_chart(buckets: np.ndarray, order: np.ndarray, x_title: str, y_title: str, chunk: int, sort: bool):
    """One round's buckets by token position (sort=False) or in sorted order with chunk edges."""
    length = len(buckets)
    where = order if sort else np.arange(length)
    frame = pd.DataFrame({"x": np.arange(length), "bucket": buckets[where], "token": where})
    points = (
        alt.Chart(frame)
        .mark_circle(size=40)
        .encode(
            x=alt.X("x:Q", title=x_title),
            y=alt.Y("bucket:Q", title=y_title),
            color=alt.Color("bucket:N", legend=None),
            tooltip=["token", "bucket"],
        )
    )
    if not sort:
        return themed(points.properties(height=220))
    edges = pd.DataFrame({"x": np.arange(chunk, length, chunk) - 0.5})
    rules = alt.Chart(edges).mark_rule(strokeDash=[4, 3], color="#888").encode(x="x:Q")
    return themed((points + rules).properties(height=220))
