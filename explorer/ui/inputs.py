"""Shared input widgets: example texts, a text box, what to say about the text before use, and the
document the sentence-pair sections (NSP, SOP) build their pairs from."""

from __future__ import annotations

import functools
import tomllib
import unicodedata

import streamlit as st

from explorer.offline import ASSETS
from explorer.tokens.text import MAX_INPUT_CHARS, TextReport, char_name, inspect_text
from explorer.ui.lang import t


@functools.cache
def examples(section: str) -> dict[str, str]:
    """Example inputs of one page from assets/examples.toml."""
    with open(ASSETS / "examples.toml", "rb") as handle:
        return tomllib.load(handle).get(section, {})


def example(section: str, key: str) -> str:
    """One example input of a page, or BERT's when the page has none of that name."""
    return examples(section).get(key) or examples("bert")[key]


def _fill_from_example(section: str, key: str) -> None:
    choice = st.session_state[f"{key}_example"]
    if choice in examples(section):
        st.session_state[key] = examples(section)[choice]


def render_text_input(section: str, key: str) -> str:
    """An example picker and a text area; picking an example fills the area, typing keeps it."""
    names = {**examples(section), "custom": t("tok.custom")}  # made now: see lang.labels
    options = list(names)
    st.selectbox(
        t("tok.example"),
        options,
        key=f"{key}_example",
        on_change=_fill_from_example,
        args=(section, key),
        format_func=names.__getitem__,
    )
    # The first example is the box's own default, not a value put in session state before it is
    # drawn: a click that lands while the page is still running can make the browser forget the
    # box's state, and it then falls back to the widget's default (it was empty; seen in CI).
    return st.text_area(t("tok.input"), examples(section)[options[0]], key=key, height=100)


def render_text_report(text: str) -> TextReport | None:
    """Warn about what matters in the text; None when there is nothing to tokenize."""
    report = inspect_text(text)
    if report.too_long:
        st.error(t("tok.too_long", n=report.n_chars, limit=MAX_INPUT_CHARS))
        return None
    if not text:
        st.info(t("tok.empty"))
        return None
    if report.blank:
        st.info(t("tok.blank"))
    if report.invisible:
        names = sorted({f"{inv.codepoint} {char_name(text[inv.index])}" for inv in report.invisible})
        st.warning(t("tok.invisible", n=len(report.invisible), chars=", ".join(names)))
    if report.has_rtl:
        st.caption(t("tok.rtl"))
    if report.has_hangul:
        st.caption(t("tok.normalization"))
    return report


def render_normalization(text: str, report: TextReport) -> str:
    """Say when the text is decomposed (NFD) or has compatibility forms; offer NFC. Returns the text."""
    if report.n_compat:
        st.caption(t("tok.compat", n=report.n_compat))
    if report.is_nfc:
        return text
    st.warning(t("tok.nfd"))
    if st.checkbox(t("tok.nfc_toggle"), value=True, key="tok_nfc"):
        return unicodedata.normalize("NFC", text)
    return text
