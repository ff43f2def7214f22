"""Pure figure builders for attention maps: one head's heatmap, every head at a glance, head statistics."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.views.room import map_grid, themed, weight_legend

NAMED_MAX = 48  # up to this many tokens a side, a heatmap names its tokens


def heatmap_frame(matrix: np.ndarray, rows: list[str], cols: list[str]) -> pd.DataFrame:
    """A (R, C) matrix as tidy rows: query index, key index, weight, and token names when few
    (rows and cols name the matrix's rows and columns; a pooled matrix gets indices only).

    A 128 x 128 map is 16,384 rows: without the names it stays a few hundred kB on the wire.
    """
    r, c = np.meshgrid(np.arange(matrix.shape[0]), np.arange(matrix.shape[1]), indexing="ij")
    frame = pd.DataFrame(
        {"q": r.ravel(), "k": c.ravel(), "weight": np.round(matrix.ravel().astype(np.float32), 3)}
    )
    if (len(rows), len(cols)) == matrix.shape and max(matrix.shape) <= NAMED_MAX:
        frame["query"] = [f"{i} {rows[i]}" for i in frame["q"]]
        frame["key"] = [f"{j} {cols[j]}" for j in frame["k"]]
    return frame


def attention_heatmap(frame: pd.DataFrame, title: str, size: int = 480, scale: float = 1.0) -> alt.Chart:
    """One head's (pooled) attention map: rows are queries, columns keys, colour the weight, with its
    legend. `size` px wide times `scale` (larger in the tour) and drawn at that size, or as wide as a
    narrower column (room.kept), cells square (rows
    taller only where their names need it: each at least as tall as its label, so 48 tokens do not
    overlap); token labels sized by `scale` and shrunk past CROWDED tokens (room.map_grid, the rule the
    step-by-step matrices follow too).

    When the frame names its tokens the axes show them; a pooled map shows block indices instead.
    """
    named = "query" in frame
    rows, cols = int(frame["q"].max()) + 1, int(frame["k"].max()) + 1
    names = tuple(frame["query"].unique()) if named else ()
    grid = map_grid(rows, cols, size, scale, named, names=names)
    if named:
        x = alt.X("key:N", title=None, sort=alt.EncodingSortField("k"), axis=grid.x_axis())
        y = alt.Y("query:N", title=None, sort=alt.EncodingSortField("q"), axis=grid.y_axis())
        tooltip = ["query:N", "key:N"]
    else:
        x = alt.X("k:O", title=None, axis=alt.Axis(labels=False, ticks=False))
        y = alt.Y("q:O", title=None, axis=alt.Axis(labels=False, ticks=False))
        tooltip = ["q:O", "k:O"]
    chart = (
        alt.Chart(frame, title=title)
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "weight:Q",
                scale=alt.Scale(scheme="blues", domain=[0, 1], clamp=True),
                legend=weight_legend({"expr": "min(height, 320)"}),
            ),
            tooltip=[*tooltip, alt.Tooltip("weight:Q", format=".3f")],
        )
    )
    return themed(grid.sized(chart))


def max_pool(matrix: np.ndarray, size: int) -> np.ndarray:
    """A (T, T) map as (size, size): each cell the largest weight of its block of rows and columns.

    Max, not a sample or a mean: one [SEP] column or a previous-token diagonal at 512 tokens is a
    thin line that a sample misses and a mean fades. Below `size` tokens, cells repeat their token.
    """
    starts = (np.arange(size) * matrix.shape[0] / size).astype(int)
    rows = np.maximum.reduceat(matrix, starts, axis=0)
    return np.maximum.reduceat(rows, (np.arange(size) * matrix.shape[1] / size).astype(int), axis=1)


def attention_grid_png(maps: np.ndarray, tile: int = 40, gap: int = 3) -> bytes:
    """Every head of every layer as a small map in one PNG: rows are layers, columns heads."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    layers, heads, _, _ = maps.shape
    margin = 28
    canvas = np.full((margin + layers * (tile + gap), margin + heads * (tile + gap)), 255, dtype=np.uint8)
    for layer in range(layers):
        for head in range(heads):
            small = max_pool(maps[layer, head], tile)
            scaled = small / (small.max() or 1.0)
            top, left = margin + layer * (tile + gap), margin + head * (tile + gap)
            canvas[top : top + tile, left : left + tile] = (255 * (1 - scaled)).astype(np.uint8)
    image = Image.fromarray(canvas, mode="L")  # greyscale: a third of the bytes of RGB
    draw = ImageDraw.Draw(image)
    for layer in range(layers):
        draw.text((2, margin + layer * (tile + gap) + tile // 3), f"L{layer}", fill=60)
    for head in range(heads):
        draw.text((margin + head * (tile + gap) + tile // 4, 8), f"H{head}", fill=60)
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def head_stat_chart(frame: pd.DataFrame, title: str, scale: float = 1.0) -> alt.Chart:
    """A layers x heads grid of one statistic, square cells of at most 30 px (times `scale`) and as wide as
    a narrower column (room.map_grid); frame has columns layer, head, value."""
    layers, heads = int(frame["layer"].max()) + 1, int(frame["head"].max()) + 1
    grid = map_grid(layers, heads, 360, scale, named=False, widest=30)
    chart = (
        alt.Chart(frame, title=title)
        .mark_rect()
        .encode(
            x=alt.X("head:O", axis=grid.x_axis(angle=0)),
            y=alt.Y("layer:O", axis=grid.y_axis()),
            color=alt.Color("value:Q", scale=alt.Scale(scheme="viridis"), legend=alt.Legend(title=None)),
            tooltip=["layer", "head", alt.Tooltip("value:Q", format=".3f")],
        )
    )
    return themed(grid.sized(chart))
