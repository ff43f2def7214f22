"""Pure figure builders: results -> tidy DataFrame -> altair Chart (returned, never shown)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

FONT = "Noto Sans CJK KR, Noto Sans KR, Apple SD Gothic Neo, Malgun Gothic, sans-serif"


def themed(chart: alt.Chart) -> alt.Chart:
    """Fonts that carry Hangul, for every chart of the app (browser and exported images)."""
    return chart.configure(font=FONT).configure_axis(labelFont=FONT, titleFont=FONT)


BASE_TYPE = 12  # px, a chart's label type on a screen; titles a step larger
CROWDED = 32  # past this many tokens on an axis, their labels shrink so they do not overlap


def type_size(scale: float = 1.0, tokens: int = 0) -> float:
    """A chart's label size in px: `scale` times the base (larger on a projector), smaller when an axis
    names more than CROWDED tokens (never below 8 px)."""
    crowd = min(1.0, CROWDED / tokens) if tokens else 1.0
    return round(max(8.0, BASE_TYPE * scale * crowd), 1)


def room_size(size: int, scale: float = 1.0) -> int:
    """A figure's side in px for where it is shown: `size` on a screen, `scale` times it in the tour,
    so a map's cells grow with its type."""
    return round(size * scale)


def _configured(chart: alt.Chart, part: str, **values) -> alt.Chart:
    """`chart` with `values` added to its config's `part` (axis, legend, ...), keeping what it had:
    altair's configure_* replace a part whole."""
    chart = chart.copy(deep=["config"])
    if chart.config is alt.Undefined:
        chart.config = alt.Config()
    had = chart.config[part]
    old = {} if had is alt.Undefined else had.to_dict()
    chart.config[part] = {**values, **old} if part != "axisY" else {**old, **values}
    return chart


def for_room(chart: alt.Chart, scale: float = 1.0) -> alt.Chart:
    """Every chart as the page shows it: type sized by `scale` (1 on a screen, larger in the tour;
    sizes a builder set itself are kept) and y-axis titles written across, above the axis, so Korean
    reads as text, not as rotated glyphs."""
    size = type_size(scale)
    chart = _configured(chart, "axis", labelFontSize=size, titleFontSize=size + 1)
    chart = _configured(chart, "legend", labelFontSize=size, titleFontSize=size + 1)
    chart = _configured(chart, "header", labelFontSize=size + 1, titleFontSize=size + 1)
    chart = _configured(chart, "title", fontSize=size + 3)
    return _configured(
        chart, "axisY", titleAngle=0, titleAlign="left", titleAnchor="end", titleBaseline="bottom", titleY=-8
    )


def token_count_chart(frame: pd.DataFrame, x_title: str, y_title: str) -> alt.Chart:
    """Bars of token counts per tokenizer; frame has columns tokenizer, kind, tokens."""
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("tokens:Q", title=x_title),
            y=alt.Y("tokenizer:N", title=y_title, sort=None),
            yOffset=alt.YOffset("kind:N"),
            color=alt.Color("kind:N", legend=alt.Legend(title=None, orient="bottom")),
            tooltip=["tokenizer", "kind", "tokens"],
        )
        .properties(height=alt.Step(16))
    )
    return themed(chart)


def vocab_sweep_chart(frame: pd.DataFrame, x_title: str, y_title: str) -> alt.Chart:
    """Lines of token count vs vocabulary size; frame has columns algorithm, vocab, tokens."""
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("vocab:Q", title=x_title, scale=alt.Scale(type="log")),
            y=alt.Y("tokens:Q", title=y_title),
            color=alt.Color("algorithm:N", legend=alt.Legend(title=None, orient="bottom")),
            tooltip=["algorithm", "vocab", "tokens"],
        )
        .properties(height=260)
    )
    return themed(chart)


def hangul_chart(frame: pd.DataFrame, x_title: str) -> alt.Chart:
    """Stacked bars: the pieces covering Hangul, per tokenizer, by kind (syllables, jamo, bytes, unknown)."""
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("tokens:Q", title=x_title, stack="zero"),
            y=alt.Y("tokenizer:N", title=None, sort=None),
            color=alt.Color("kind:N", sort=None, legend=alt.Legend(title=None, orient="bottom")),
            order=alt.Order("order:Q"),
            tooltip=["tokenizer", "kind", "tokens"],
        )
        .properties(height=alt.Step(26))
    )
    return themed(chart)


# --- attention -------------------------------------------------------------------------------------


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


def weight_legend(length: int = 200) -> alt.Legend:
    """The colour legend of an attention map: what a shade means, beside every heatmap."""
    return alt.Legend(title=None, orient="right", gradientLength=length, format=".1f")


def attention_heatmap(frame: pd.DataFrame, title: str, size: int = 420, scale: float = 1.0) -> alt.Chart:
    """One head's (pooled) attention map: rows are queries, columns keys, colour the weight, with its
    legend. As wide as the page and `size` px high times `scale` (larger in the tour); its token labels
    sized by `scale` and shrunk past CROWDED tokens, and each row at least as tall as its label, so 28
    tokens do not overlap.

    When the frame names its tokens the axes show them; a pooled map shows block indices instead.
    """
    named = "query" in frame
    rows = int(frame["q"].max()) + 1
    label = type_size(scale, rows) if named else type_size(scale)
    if named:
        axis = {"labelOverlap": False, "labelFontSize": label, "labelFlush": False}  # the first row too
        x = alt.X("key:N", title=None, sort=alt.EncodingSortField("k"), axis=alt.Axis(labelAngle=-60, **axis))
        y = alt.Y("query:N", title=None, sort=alt.EncodingSortField("q"), axis=alt.Axis(**axis))
        tooltip = ["query:N", "key:N"]
    else:
        x = alt.X("k:O", title=None, axis=alt.Axis(labels=False, ticks=False))
        y = alt.Y("q:O", title=None, axis=alt.Axis(labels=False, ticks=False))
        tooltip = ["q:O", "k:O"]
    height = room_size(size, scale)
    height = max(height, round(rows * (label + 6))) if named else height
    chart = (
        alt.Chart(frame, title=title)
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "weight:Q",
                scale=alt.Scale(scheme="blues", domain=[0, 1], clamp=True),
                legend=weight_legend(min(height, 320)),
            ),
            tooltip=[*tooltip, alt.Tooltip("weight:Q", format=".3f")],
        )
        .properties(width="container", height=height)
        .properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))  # rows keep height
    )
    return themed(chart)


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


def head_stat_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """A layers x heads grid of one statistic; frame has columns layer, head, value."""
    chart = (
        alt.Chart(frame, title=title)
        .mark_rect()
        .encode(
            x=alt.X("head:O"),
            y=alt.Y("layer:O"),
            color=alt.Color("value:Q", scale=alt.Scale(scheme="viridis"), legend=alt.Legend(title=None)),
            tooltip=["layer", "head", alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(width=alt.Step(26), height=alt.Step(22))
    )
    return themed(chart)


# --- embeddings, predictions, losses ------------------------------------------------------------------


def embedding_parts_chart(frame: pd.DataFrame, parts: list[str]) -> alt.Chart:
    """Heatmaps of the first dimensions of each input embedding part, in `parts` order, each on its own
    colour scale (LayerNorm's output is much larger than the raw parts); columns token, part, dim, value."""
    base = (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("dim:O", title=None, axis=alt.Axis(labels=False, ticks=False)),
            y=alt.Y(
                "token:N",
                sort=None,
                title=None,
                axis=alt.Axis(labelOverlap=False, labelLimit=260, labelFlush=False),
            ),
            color=alt.Color(
                "value:Q",
                scale=alt.Scale(scheme="redblue", domainMid=0),
                # 2 significant digits: a segment panel's -0.03..0.03 read 0.0, 0.0, 0.0 with ".1f"
                legend=alt.Legend(title=None, orient="bottom", gradientLength=120, format=".2~g"),
            ),
            tooltip=["token", "part", "dim", alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(width=140, height=alt.Step(22))  # a row as tall as a projector's 16 px label
    )
    chart = base.facet(column=alt.Column("part:N", sort=parts, title=None)).resolve_scale(color="independent")
    return themed(chart)


def scatter_chart(frame: pd.DataFrame, x_title: str, y_title: str) -> alt.Chart:
    """Labelled 2-D points; columns x, y, token, group, highlight (bool)."""
    base = alt.Chart(frame).encode(
        x=alt.X("x:Q", title=x_title),
        y=alt.Y("y:Q", title=y_title),
        color=alt.Color("group:N", legend=alt.Legend(title=None, orient="bottom")),
        tooltip=["token", "group"],
    )
    points = base.mark_circle().encode(size=alt.condition("datum.highlight", alt.value(220), alt.value(50)))
    labels = base.mark_text(dx=6, dy=-6, align="left").encode(text="token:N")
    return themed((points + labels).properties(height=420))


def probability_chart(frame: pd.DataFrame, x_title: str) -> alt.Chart:
    """Horizontal bars of candidate tokens and their probabilities; columns token, probability."""
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("probability:Q", title=x_title),
            y=alt.Y("token:N", sort=None, title=None, axis=alt.Axis(labelOverlap=False)),
            tooltip=["token", alt.Tooltip("probability:Q", format=".3f")],
        )
        .properties(height=alt.Step(18))
    )
    return themed(chart)


def loss_chart(frame: pd.DataFrame, y_title: str) -> alt.Chart:
    """Per-position loss bars labelled by the target token; columns position, label, loss."""
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("position:O", title=None, axis=alt.Axis(labels=False)),
            y=alt.Y("loss:Q", title=y_title),
            tooltip=["label", alt.Tooltip("loss:Q", format=".2f")],
        )
        .properties(height=220)
    )
    return themed(chart)


# --- fine-tuning ------------------------------------------------------------------------------------


def loss_curve_chart(frame: pd.DataFrame, x_title: str, y_title: str) -> alt.Chart:
    """Training loss by step; columns step, loss."""
    chart = (
        alt.Chart(frame)
        .mark_line(point=len(frame) < 60)
        .encode(x=alt.X("step:Q", title=x_title), y=alt.Y("loss:Q", title=y_title), tooltip=["step", "loss"])
        .properties(height=220)
    )
    return themed(chart)


def confusion_chart(frame: pd.DataFrame, x_title: str, y_title: str) -> alt.Chart:
    """A confusion matrix with counts; columns true, predicted, count."""
    base = alt.Chart(frame).encode(
        x=alt.X("predicted:N", title=x_title, sort=None), y=alt.Y("true:N", title=y_title, sort=None)
    )
    cells = base.mark_rect().encode(
        color=alt.Color("count:Q", scale=alt.Scale(scheme="blues"), legend=alt.Legend(title=None)),
        tooltip=["true", "predicted", "count"],
    )
    text = base.mark_text(fontSize=16).encode(
        text="count:Q", color=alt.condition("datum.count > 0", alt.value("black"), alt.value("#999"))
    )
    return themed((cells + text).properties(width=260, height=220))
