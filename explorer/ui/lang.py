"""The page language: chosen in the sidebar, remembered in the URL (?lang=ko), browser default."""

from __future__ import annotations

import streamlit as st

from explorer.i18n import LANGS, pick_lang, translate

KEY = "lang"


def current() -> str:
    """The language of this session, set from the URL or the browser on its first run."""
    if KEY not in st.session_state:
        st.session_state[KEY] = pick_lang(st.query_params.get(KEY), st.context.locale)
    return st.session_state[KEY]


def t(key: str, **values: object) -> str:
    """The text for `key` in the session's language."""
    return translate(current(), key, **values)


def render_switch() -> None:
    """A Korean / English switch in the sidebar that keeps ?lang= in the URL in step."""
    current()
    st.sidebar.segmented_control(t("sidebar.language"), options=list(LANGS), format_func=LANGS.get, key=KEY)
    if st.session_state.get(KEY) not in LANGS:  # a click on the selected option clears it
        st.session_state[KEY] = pick_lang(st.query_params.get(KEY), st.context.locale)
    st.query_params[KEY] = st.session_state[KEY]
