"""A fine-tune's training data at a glance, before any run: counts per label (CoLA) or per question
word (SQuAD) as tidy frames, and their bar chart."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import altair as alt
import pandas as pd

from explorer.views.room import themed


def counts(values: Iterable[str], top: int | None = None) -> pd.DataFrame:
    """How often each value occurs, most frequent first (ties in first-seen order), the `top` ones
    kept; columns value, count."""
    common = Counter(values).most_common(top)
    return pd.DataFrame(common, columns=["value", "count"])


def first_words(questions: Iterable[str]) -> list[str]:
    """Each question's first word, capitalised ("what", "What's" -> "What"): the kind of answer asked for."""
    words = []
    for question in questions:
        word = (question.split() or ["?"])[0].strip("?,.'\"").split("'")[0]
        words.append(word.capitalize() or "?")
    return words


def count_chart(frame: pd.DataFrame, x_title: str) -> alt.Chart:
    """Horizontal bars of counts, in the frame's order, each labelled with its count; columns value, count."""
    base = alt.Chart(frame).encode(
        y=alt.Y("value:N", sort=None, title=None, axis=alt.Axis(labelOverlap=False, labelFontSize=13)),
        x=alt.X("count:Q", title=x_title),
        tooltip=["value", "count"],
    )
    bars = base.mark_bar()
    text = base.mark_text(align="left", dx=4, fontSize=13).encode(text="count:Q")
    return themed((bars + text).properties(height=alt.Step(28)))
