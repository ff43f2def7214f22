"""Pure figure builder for LSH attention in chunks (figure 25): the computed blocks in sorted order."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.families.reformer.lsh_chunks import ChunkedAttention
from explorer.views.room import (
    LEGEND_PX,
    PADDING_PX,
    kept,
    room_size,
    text_px,
    themed,
    type_size,
    weight_legend,
)

MAX_CELLS = 128  # cells per side drawn; longer inputs are block-averaged
SIDE = 420  # px a side on a screen


def cell_frame(result: ChunkedAttention) -> pd.DataFrame:
    """The computed cells of the sorted (T, T) weights, block-averaged to at most MAX_CELLS a side:
    rows x, x2 (key sorted positions), y, y2 (query sorted positions), weight (each row to its largest)."""
    weights, computed = result.sorted_weights()
    length = len(weights)
    step = max(1, -(-length // MAX_CELLS))
    while length % step:
        step += 1
    pooled = weights.reshape(length // step, step, length // step, step).mean((1, 3))
    kept = computed.reshape(length // step, step, length // step, step).any((1, 3))
    pooled = pooled / np.maximum(pooled.max(-1, keepdims=True), 1e-12)
    q, k = np.nonzero(kept)
    return pd.DataFrame(
        {"x": k * step, "x2": (k + 1) * step, "y": q * step, "y2": (q + 1) * step, "weight": pooled[q, k]}
    )


def block_frame(result: ChunkedAttention, label: str) -> pd.DataFrame:
    """One row per computed (c, c) block: its query chunk, its sorted ranges, and the chunk's label."""
    c, n = result.chunk, result.n_chunks
    rows = []
    for i in range(n):
        for j in ((i - 1) % n, i):
            rows.append(
                {"chunk": label.format(i=i), "x": j * c, "x2": (j + 1) * c, "y": i * c, "y2": (i + 1) * c}
            )
    return pd.DataFrame(rows)


def chunks_chart(
    result: ChunkedAttention, title: str, x_title: str, y_title: str, label: str, scale: float = 1.0
) -> alt.Chart:
    """Sorted queries (rows) by sorted keys (columns): only each chunk's own block and the block of the
    chunk before are computed (coloured, each row to its largest weight); outlined and named per chunk.
    SIDE px a side and chunk names at label size, both times `scale` (larger in the tour); as wide as a
    narrower column (room.kept)."""
    length = len(result.order)
    scale_x = alt.Scale(domain=[0, length], nice=False)
    scale_y = alt.Scale(domain=[0, length], nice=False, reverse=True)
    cells = (
        alt.Chart(cell_frame(result), title=title)
        .mark_rect()
        .encode(
            x=alt.X("x:Q", title=x_title, scale=scale_x),
            x2="x2",
            y=alt.Y("y:Q", title=y_title, scale=scale_y),
            y2="y2",
            color=alt.Color(
                "weight:Q", scale=alt.Scale(scheme="blues", domain=[0, 1]), legend=weight_legend()
            ),
            tooltip=[alt.Tooltip("weight:Q", format=".2f")],
        )
    )
    blocks = block_frame(result, label)
    outlines = (
        alt.Chart(blocks)
        .mark_rect(filled=False, stroke="#e4572e", strokeWidth=1.5)
        .encode(x="x:Q", x2="x2", y="y:Q", y2="y2", tooltip=["chunk"])
    )
    names = blocks.drop_duplicates("chunk").assign(mid=lambda f: (f["y"] + f["y2"]) / 2)
    where = {"x": alt.X("mid:Q", scale=scale_x), "y": alt.Y("mid:Q", scale=scale_y)}
    discs = (
        alt.Chart(names)
        .mark_circle(size=round(380 * scale**2), color="white", opacity=0.9, stroke="#e4572e")
        .encode(**where)
    )
    text = (
        alt.Chart(names)
        .mark_text(color="#e4572e", fontWeight="bold", fontSize=type_size(scale) + 1)
        .encode(**where, text="chunk")
    )
    side, numbers = room_size(SIDE, scale), text_px(str(length), type_size(scale))  # the y axis's numbers
    layered = kept(cells + outlines + discs + text, side, side, "width", numbers + PADDING_PX + LEGEND_PX)
    return themed(layered)
