"""Pure figure builders: results -> tidy DataFrame -> altair Chart (returned, never shown)."""

from __future__ import annotations

import altair as alt
import pandas as pd

FONT = "Noto Sans CJK KR, Noto Sans KR, Apple SD Gothic Neo, Malgun Gothic, sans-serif"


def themed(chart: alt.Chart) -> alt.Chart:
    """Fonts that carry Hangul, for every chart of the app (browser and exported images)."""
    return chart.configure(font=FONT).configure_axis(labelFont=FONT, titleFont=FONT)


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
