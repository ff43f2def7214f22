"""A table on a page: st.dataframe on a screen; in the tour a static table in the room's larger type.

st.dataframe draws its cells on a canvas at the theme's 14 px, which no CSS reaches; st.table is HTML
and follows the tour's type (explorer/ui/tour.py's projector CSS). In the tour a table keeps its top
and shows as many rows as the grid would before it scrolls, each row taller, in larger type.
"""

from __future__ import annotations

import copy

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from explorer.ui import projector
from explorer.ui.lang import t
from explorer.ui.markdown import literal

GRID_HEAD, GRID_ROW = 38, 35  # px, st.dataframe's header and row
GRID_ROWS = 10  # rows st.dataframe shows at its default height before it scrolls
ROOM_ROW = 40  # px, a row of a static table in the tour's type (1.2rem: 38 px measured, a wrapped cell more)
ROOM_MAX_ROWS = 200  # rows a static table draws in the tour (HTML, every row): the rest is counted below it


def render_table(data, *, where=None, height: int | str | None = None, **kwargs) -> None:
    """`where`.dataframe(data, height=height, **kwargs) on a screen (None: the page itself); in the
    tour `where`.table of the same data, as many rows high before it scrolls, its text shown as typed.

    kwargs are st.dataframe's that st.table shares (hide_index, width).
    """
    where = st if where is None else where
    if not projector.on():
        where.dataframe(data, **({} if height is None else {"height": height}), **kwargs)
        return
    frame = data.data if isinstance(data, Styler) else data
    if isinstance(frame, pd.DataFrame) and len(frame) > ROOM_MAX_ROWS:  # a dev set's errors, say
        data = data.data.head(ROOM_MAX_ROWS) if isinstance(data, Styler) else frame.head(ROOM_MAX_ROWS)
    where.table(room_data(data), height=room_height(len(frame), height), **kwargs)
    if len(frame) > ROOM_MAX_ROWS:
        where.caption(t("tour.first_rows", shown=ROOM_MAX_ROWS, total=len(frame)))


def room_height(rows: int, height: int | str | None = None) -> int | str:
    """A static table's height in the tour: all of it when the grid would show every row, else the
    grid's number of rows (a header and GRID_ROWS, or those an int `height` holds) at ROOM_ROW each."""
    shown = max(1, round((height - GRID_HEAD) / GRID_ROW)) if isinstance(height, int) else GRID_ROWS
    return "content" if rows <= shown else ROOM_ROW * (shown + 1)


def room_data(data):
    """The data with its text shown as typed: st.table reads every cell and label as Markdown, so a
    token such as '##', '-' or '_a_' would become a heading, a list item or emphasis. A Styler keeps
    its formats, with its labels escaped (its cells are shown as it formats them)."""
    if isinstance(data, Styler):
        shown = copy.copy(data)
        shown.data = room_data(data.data)
        shown.index, shown.columns = shown.data.index, shown.data.columns
        return shown
    if not isinstance(data, pd.DataFrame):
        return data
    frame = data.copy()
    for i in range(frame.shape[1]):  # by position: two columns may share a label
        if not pd.api.types.is_numeric_dtype(frame.iloc[:, i]):
            frame.iloc[:, i] = frame.iloc[:, i].map(_typed)
    if not isinstance(frame.columns, pd.MultiIndex):
        frame.columns = frame.columns.map(_typed)
    if not isinstance(frame.index, pd.MultiIndex) and not pd.api.types.is_numeric_dtype(frame.index):
        frame.index = frame.index.map(_typed).rename(_typed(frame.index.name))
    return frame


def _typed(value):
    return literal(value) if isinstance(value, str) else value
