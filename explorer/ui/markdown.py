"""User text inside Streamlit's markdown (st.markdown, st.error, st.caption, ...): shown as typed."""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
# Where GFM would turn plain text into a link (https://..., www.x, a@b.c): it finds these in the text
# after escapes are resolved, so a zero-width space goes there instead.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def literal(text: object) -> str:
    """`text` with every ASCII punctuation character backslash-escaped (CommonMark allows it for each)
    and a zero-width space where a bare address would become a link: a link, an image, an address,
    emphasis or a heading in text from a field or a shared link is shown as its characters."""
    return _PUNCTUATION.sub(r"\\\1", _AUTOLINK.sub("\u200b", str(text)))
