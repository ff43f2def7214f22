"""Pure figure builders: results -> tidy DataFrame -> altair Chart (returned, never shown)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.views.room import BASE_TYPE, PADDING_PX, kept, map_grid, text_px, themed


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


# --- embeddings, predictions, losses ------------------------------------------------------------------


PANEL, PANEL_GAP = 140, 20  # px of one part's heatmap, and between two, at full width
LEGEND_ROW = 40  # px under the input embedding panels for their colour legends


def embedding_parts_chart(frame: pd.DataFrame, parts: list[str]) -> alt.LayerChart:
    """Heatmaps of the first dimensions of each input embedding part, side by side in `parts` order in one
    drawing (one view, so room.kept fits it to a narrower column; a facet keeps its size), each on its own
    colour scale (LayerNorm's output is much larger than the raw parts); columns token, part, dim, value."""
    dims, n = int(frame["dim"].max()) + 1, len(parts)
    gap = dims * PANEL_GAP / PANEL  # in dims
    span = n * dims + (n - 1) * gap
    left = {part: i * (dims + gap) for i, part in enumerate(parts)}
    frame = frame.assign(x=frame["dim"] + frame["part"].map(left))
    frame = frame.assign(x2=frame["x"] + 1)
    tokens = list(dict.fromkeys(frame["token"]))
    rows = len(tokens) * 22  # px: a row as tall as a projector's 16 px label; the legends below them
    xs = alt.Scale(domain=[0, span], nice=False, zero=False)
    y = alt.Y(
        "token:N",
        sort=tokens,
        title=None,
        scale=alt.Scale(range=[0, rows]),
        axis=alt.Axis(labelOverlap=False, labelLimit=260, labelFlush=False),
    )
    layers = [
        alt.Chart(frame[frame["part"] == part])
        .mark_rect()
        .encode(
            x=alt.X("x:Q", scale=xs, axis=None),
            x2="x2",
            y=y,
            color=alt.Color(
                "value:Q",
                scale=alt.Scale(scheme="redblue", domainMid=0),
                legend=_under(
                    frame.loc[frame["part"] == part, "value"], left[part] / span, dims / span, rows
                ),
            ),
            tooltip=["token", "part", "dim", alt.Tooltip("value:Q", format=".3f")],
        )
        for part in parts
    ]
    heads = pd.DataFrame({"part": parts, "mid": [left[p] + dims / 2 for p in parts]})
    fits = {"expr": f"width * {(dims + gap) / span}"}  # a name no wider than its panel and gap
    names = alt.Chart(heads).mark_text(baseline="bottom", fontSize=BASE_TYPE + 1, limit=fits)
    layers.append(names.encode(x=alt.X("mid:Q", scale=xs, axis=None), y=alt.value(-4), text="part"))
    chart = alt.layer(*layers).resolve_scale(color="independent")
    width, height = n * PANEL + (n - 1) * PANEL_GAP, rows + LEGEND_ROW
    labels = max(text_px(token, BASE_TYPE) for token in tokens)
    return themed(kept(chart, width, height, str(height), labels + PADDING_PX))


def _under(values: pd.Series, left: float, wide: float, rows: int) -> alt.Legend:
    """A panel's colour legend right under it and as wide (`left` and `wide`: fractions of the plot's
    width): inside the plot (its rows, then the legends' row), where a kept chart counts it. Only its
    lowest and highest `values` named, in type that fits a narrow panel; 2 significant digits (a segment
    panel's -0.03..0.03 read 0.0, 0.0, 0.0 with ".1f"), 1 in a panel under 90 px."""
    return alt.Legend(
        title=None,
        orient="none",
        direction="horizontal",
        format=".2~g",
        values=[float(values.min()), float(values.max())],
        labelFontSize={"expr": f"max(8, min({BASE_TYPE}, width * {wide} / 6))"},
        labelExpr=f"width * {wide} < 90 ? format(datum.value, '.1~g') : datum.label",  # a narrow panel
        legendX={"expr": f"width * {left}"},
        padding=0,  # its gradient starts where its panel does
        legendY=rows + 10,
        gradientLength={"expr": f"max(30, width * {wide} - 4)"},  # its end numbers flush inside it
    )


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


def confusion_chart(frame: pd.DataFrame, x_title: str, y_title: str, scale: float = 1.0) -> alt.Chart:
    """A confusion matrix with counts in square cells, 240 px across times `scale` or as wide as a narrower
    column (room.map_grid); columns true, predicted, count."""
    names = tuple(frame["true"].unique())
    grid = map_grid(len(names), len(names), 240, scale, names=names)
    base = alt.Chart(frame).encode(
        x=alt.X("predicted:N", title=x_title, sort=None, axis=grid.x_axis(angle=0)),
        y=alt.Y("true:N", title=y_title, sort=None, axis=grid.y_axis()),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("count:Q", scale=alt.Scale(scheme="blues"), legend=alt.Legend(title=None)),
        tooltip=["true", "predicted", "count"],
    )
    fits = {"expr": f"max(8, min({round(16 * scale)}, 0.4 * width / {len(names)}))"}  # a count in its cell
    text = base.mark_text(fontSize=fits).encode(
        text="count:Q", color=alt.condition("datum.count > 0", alt.value("black"), alt.value("#999"))
    )
    return themed(grid.sized(cells + text))
