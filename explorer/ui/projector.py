"""A projector's view for the tour: larger chart type, the figure on the first screen.

The tour (explorer/ui/tour.py) switches it on for the run that draws a stop; every page outside the
tour runs with it off (explorer/ui/layout.render_sidebar switches it off first). The chart renderer
(explorer/ui/export.render_chart) reads `scale()`; the pure builders take the scale as an argument.
"""

from __future__ import annotations

import contextlib

import streamlit as st

KEY, _NOTES = "_projector", "_projector_notes"
SCALE = 1.35  # chart type in the tour, against the pages' own: readable from the back of a room


def switch(on: bool) -> None:
    """Draw this run for a projector (the tour) or for a screen (every other page)."""
    st.session_state[KEY] = on
    st.session_state.pop(_NOTES, None)  # a container of an earlier run is not drawn in this one


def on() -> bool:
    """True while this run draws a stop of the tour."""
    return bool(st.session_state.get(KEY, False))


def scale() -> float:
    """How much larger chart type is drawn in this run: SCALE in the tour, else 1."""
    return SCALE if on() else 1.0


def fold_notes_into(box) -> None:
    """In the tour, what a section says about its model (source, random weights) goes into `box`
    (the folded inputs) instead of above the figure; the sidebar says it too."""
    st.session_state[_NOTES] = box


def notes():
    """The container for a model's notes in this run (`with` it): the folded inputs in the tour,
    else the place the section draws in."""
    box = st.session_state.get(_NOTES) if on() else None
    return box if box is not None else contextlib.nullcontext()
