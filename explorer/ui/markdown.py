"""User text inside Streamlit's markdown (st.markdown, st.error, st.caption, ...): shown as typed."""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def literal(text: object) -> str:
    """`text` with every ASCII punctuation character backslash-escaped (CommonMark allows it for each):
    a link, an image, a bare URL, emphasis or a heading in text from a field or a shared link is shown
    as its characters, not rendered."""
    return _PUNCTUATION.sub(r"\\\1", str(text))
