"""The page language: chosen in the sidebar, remembered in the URL (?lang=ko), browser default."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable

import streamlit as st

from explorer.i18n import LANGS, pick_lang, translate

KEY = "lang"


def current() -> str:
    """The language of this session: the switch's value, else the URL's ?lang=, else the browser's.

    A segmented control can report None (a click on the selected option, or a run that was cut
    short); the language then falls back instead of failing every t() call of the page.
    """
    value = st.session_state.get(KEY)
    if value in LANGS:
        return value
    value = pick_lang(st.query_params.get(KEY), st.context.locale)
    # Allowed until the switch is drawn in this run; after that, the next run picks the value up.
    with contextlib.suppress(st.errors.StreamlitAPIException):
        st.session_state[KEY] = value
    return value


def t(key: str, **values: object) -> str:
    """The text for `key` in the session's language."""
    return translate(current(), key, **values)


def labels(template: str, options: Iterable[object], **values: object) -> Callable[[object], str]:
    """A widget's format_func: each option's text, `t(template.format(option))`, made now.

    A format_func that calls t() itself reads the language when it is called, and a caller outside
    the session (AppTest, formatting a widget's value for its next run) gets English there, which
    no Korean option matches.
    """
    texts = {option: t(template.format(option), **values) for option in options}
    return texts.__getitem__


def render_switch() -> None:
    """A Korean / English switch in the sidebar that keeps ?lang= in the URL in step."""
    current()
    st.sidebar.segmented_control(t("sidebar.language"), options=list(LANGS), format_func=LANGS.get, key=KEY)
    chosen = st.session_state.get(KEY)
    if chosen in LANGS:
        st.query_params[KEY] = chosen


def rounded_count(count: int) -> str:
    """A paper's rounded parameter count as a table cell: 110M in English, 1억 1천만 in Korean
    (as read aloud)."""
    return t("app.params_rounded", count=count)
