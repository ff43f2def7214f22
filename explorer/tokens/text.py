"""What is in a user's text before any tokenizer sees it: invisible characters, scripts, length."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_INPUT_CHARS = 200_000  # beyond this the page refuses the text rather than tokenizing it

_RTL_BIDI = {"R", "AL", "RLE", "RLO", "RLI"}
_NAMES = {"\u200b": "ZERO WIDTH SPACE", "\ufeff": "BYTE ORDER MARK"}


@dataclass(frozen=True)
class Invisible:
    """An invisible or control character at a position of the text."""

    index: int
    codepoint: str  # "U+200B"
    name: str


@dataclass(frozen=True)
class TextReport:
    """Facts about a text that explain how tokenizers will treat it."""

    n_chars: int
    blank: bool
    invisible: tuple[Invisible, ...]
    has_rtl: bool
    has_hangul: bool
    is_nfc: bool
    n_compat: int  # half-width, full-width and other compatibility characters (NFKC changes them)
    too_long: bool


def char_name(char: str) -> str:
    """Unicode name of one character, with a fallback for unnamed control characters."""
    return _NAMES.get(char) or unicodedata.name(char, f"CONTROL {ord(char):04X}")


def is_invisible(char: str) -> bool:
    """True for control (Cc), format (Cf, e.g. zero-width) and unassigned characters except \\n, \\t."""
    return char not in "\n\t\r" and unicodedata.category(char) in {"Cc", "Cf", "Cn"}


def inspect_text(text: str) -> TextReport:
    """Report blankness, invisible characters, right-to-left script, Hangul and normal form."""
    invisible = tuple(
        Invisible(i, f"U+{ord(c):04X}", char_name(c)) for i, c in enumerate(text) if is_invisible(c)
    )
    return TextReport(
        n_chars=len(text),
        blank=not text.strip(),
        invisible=invisible[:50],
        has_rtl=any(unicodedata.bidirectional(c) in _RTL_BIDI for c in text),
        has_hangul=any("\uac00" <= c <= "\ud7a3" or "\u1100" <= c <= "\u11ff" for c in text),
        is_nfc=unicodedata.is_normalized("NFC", text),
        n_compat=sum(unicodedata.normalize("NFKC", c) != c for c in set(text) if not is_invisible(c)),
        too_long=len(text) > MAX_INPUT_CHARS,
    )


def visible(text: str) -> str:
    """Replace invisible characters by a visible mark such as ⟨U+200B⟩ (for display only)."""
    return "".join(f"⟨U+{ord(c):04X}⟩" if is_invisible(c) else c for c in text)


PAIR_CHARS_PER_TOKEN = 20  # a token is rarely longer; the cut stays far beyond the tokens a pair keeps


def pair_to_cut(text: str, text_pair: str | None, max_tokens: int) -> tuple[str, str | None]:
    """A sentence pair made safe to hand a tokenizer with truncation at `max_tokens`: a fast tokenizer
    cutting a pair itself pairs every overflowing piece of one text with every piece of the other, so
    two sentences of 100,000 characters filled 24 GB and the server was killed. Each text of a pair
    is cut first to PAIR_CHARS_PER_TOKEN characters a kept token; a single text, or a short pair, is
    returned as it is."""
    if text_pair is None:
        return text, None
    keep = PAIR_CHARS_PER_TOKEN * max_tokens
    return text[:keep], text_pair[:keep]
