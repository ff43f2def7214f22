"""The one check every AppTest runs: the page shows no error box except the message it is meant to show.

An error box is st.error or st.exception (an uncaught exception is drawn as one too): the app turns
a failure it caught into an error box, so "no exception" alone passes a page that says "Could not
load" everywhere. st.warning and st.info are not error boxes: the app uses them for states that are
real but expected (offline fallbacks, tiny random weights, a hint to add a [MASK]). No box of any
kind may show raw exception text, though: that is a traceback leaking onto the page.
"""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from explorer.i18n import translate

RAW = ("Traceback", "Errno", "File name too long")  # an exception's own words, not a message of ours
Expected = str | re.Pattern | None


def message(key: str, lang: str = "en") -> re.Pattern:
    """The page text under an i18n key as a pattern: each {placeholder} stands for any text."""
    pieces = re.split(r"\{[^{}]*\}", translate(lang, key))
    return re.compile(".+?".join(re.escape(piece) for piece in pieces), re.DOTALL)


# Text from a field or a link reaches markdown escaped (explorer/ui/markdown.literal): a backslash
# before each punctuation character, a zero-width space where GFM would make a link. A person sees the
# characters themselves, and so do these checks.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(text: object) -> str:
    """Markdown source as a person reads it: escapes resolved, zero-width spaces gone."""
    return _ESCAPED.sub(r"\1", str(text)).replace("\u200b", "")


def error_boxes(at: AppTest) -> list[str]:
    """The text of every error box on the page and in the sidebar."""
    return [shown(e.value) for kind in ("error", "exception") for e in getattr(at, kind)]


def boxes(at: AppTest) -> list[str]:
    """The text of every message box: error, warning, info, success and exception."""
    kinds = ("error", "exception", "warning", "info", "success")
    return [shown(e.value) for kind in kinds for e in getattr(at, kind)]


def _matches(text: str, expected: str | re.Pattern) -> bool:
    return expected.search(text) is not None if isinstance(expected, re.Pattern) else expected in text


def assert_no_error_box(at: AppTest, expected: Expected = None, where: object = "") -> None:
    """Fail unless the only error boxes shown are `expected` (a substring or a pattern from message()).

    With `expected` the page must show it, as one error box; without, it must show none. `where`
    names the case in the failure (a field and an input, say).
    """
    errors = error_boxes(at)
    if expected is None:
        assert not errors, f"{where}: error boxes on the page: {errors}"
    else:
        others = [e for e in errors if not _matches(e, expected)]
        assert not others, f"{where}: error boxes other than {expected!r}: {others}"
        assert len(errors) == 1, f"{where}: expected one error box {expected!r}, got {errors}"
    raw = [b for b in boxes(at) if any(word in b for word in RAW)]
    assert not raw, f"{where}: raw exception text on the page: {raw}"
