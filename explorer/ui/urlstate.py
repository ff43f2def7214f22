"""A page's main inputs kept in the URL, so a presenter's link opens the same view.

A page opts in with a list of widget keys (URL_KEYS). Before the page runs, the first time a session
opens it, values in the URL are copied into those widgets' session state; after it runs, the
values that differ from the page's defaults are written back to the URL. A value that does not fit
its widget (a layer past the last, a word where a number goes) makes the page start with its
defaults instead, and say so. app.py runs every page through `run`.
"""

from __future__ import annotations

import json
import os
import traceback

import streamlit as st

from explorer import registry
from explorer.ui.lang import t

MAX_URL_VALUE = 1000  # characters; a longer text stays out of the URL (browsers cap URLs near 8k)
_FAMILY_WIDGETS = ("text", "a", "b", "tab", "layer", "head", "f", "stat", "prompt", "mlm_text", "proj_word")
_DONE, _DEFAULTS, _REFUSED = "_url_restored", "_url_defaults", "_url_refused"


def _family_keys(page: str, family: str) -> tuple[str, ...]:
    return (f"model_{family}", *(f"{page}_{name}" for name in _FAMILY_WIDGETS))


URL_KEYS: dict[str, tuple[str, ...]] = {
    "tokenization": ("tok_text_example", "tok_text", "tok_model_bert", "tok_model_gpt2", "tok_model_albert"),
    **{key: _family_keys(key, spec.family) for key, spec in registry.FAMILY_PAGES.items()},
}
URL_KEYS["gpt"] += ("causal_layer", "causal_head", "gen_temp", "gen_topk", "gen_topp", "gen_seed")


def encode(value: object) -> str | None:
    """A widget value as URL text; text that would read back as another type is quoted.

    None for what is not kept: lists (multiselects) and anything else without a plain form.
    """
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return value
        return json.dumps(value)
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return None


def decode(text: str) -> object:
    """URL text back to a widget value: JSON numbers, booleans and quoted text; else the text itself."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, str | int | float | bool) else text


def restore(page: str) -> list[str]:
    """Copy this page's URL values into session state, once per session; returns the keys set."""
    if st.session_state.pop(_REFUSED, False):
        st.warning(t("url.refused"))
    done = st.session_state.setdefault(_DONE, set())
    if page in done or page not in URL_KEYS:
        return []
    done.add(page)
    restored = []
    for key in URL_KEYS[page]:
        if key in st.query_params:
            st.session_state[key] = decode(st.query_params[key])
            restored.append(key)
    return restored


def publish(page: str) -> None:
    """Write this page's inputs that differ from their defaults to the URL; drop the ones back at default."""
    defaults = st.session_state.setdefault(_DEFAULTS, {})
    for key in URL_KEYS.get(page, ()):
        if key not in st.session_state:
            continue
        text = encode(st.session_state[key])
        defaults.setdefault(key, text if key not in st.query_params else None)
        if text is None or text == defaults[key] or len(text) > MAX_URL_VALUE:
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = text


def run(page) -> None:
    """Run a page (anything with `url_path` and `run()`, e.g. st.navigation's) with its inputs in the URL.

    A value from the URL that its widget refused (an option not offered, a number out of range, a
    word where a number goes) is dropped, and the page says so at the top; any other error is raised.
    """
    notice = st.empty()
    from_url = restore(page.url_path)
    asked = {key: st.session_state[key] for key in from_url}
    try:
        page.run()
    except Exception as error:
        if not _refused_by_widget(error, from_url):
            raise  # a page that breaks for another reason shows its error, not a refused link
        _recover(from_url)
    finally:
        publish(page.url_path)
    if any(st.session_state.get(key) != value for key, value in asked.items()):
        notice.warning(t("url.refused"))


def _refused_by_widget(error: BaseException, restored: list[str]) -> bool:
    """Whether a Streamlit widget given a value from the URL raised `error` while reading it.

    Widgets refuse a value with their own errors (a StreamlitAPIException past the maximum, a
    ValueError for a word where a number goes), so the test is where it was raised: inside
    Streamlit, in a call whose `key` is one of the keys the URL set.
    """
    package = f"{os.sep}streamlit{os.sep}"
    return any(
        package in frame.f_code.co_filename and frame.f_locals.get("key") in restored
        for frame, _ in traceback.walk_tb(error.__traceback__)
    )


def _recover(restored: list[str]) -> None:
    """After a page failed on values from the URL: forget them, remember to say so, and run it again."""
    for key in restored:
        st.query_params.pop(key, None)
        st.session_state.pop(key, None)
    st.session_state[_REFUSED] = True
    st.rerun()
