"""Pure figure builders: results -> tidy DataFrame -> altair Chart (returned, never shown)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.views.room import map_grid, themed


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
