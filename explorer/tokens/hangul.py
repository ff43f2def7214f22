"""Hangul facts for the tokenization views: syllables, jamo, and what kind of piece covers them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from explorer.tokens.tokenize import Tokenization, is_byte_level, readable

KINDS = ("syllables", "jamo", "bytes", "unknown")
_MARKS = "#Ġ▁ "


def is_syllable(char: str) -> bool:
    """A precomposed Hangul syllable (가 .. 힣, 11,172 of them)."""
    return "\uac00" <= char <= "\ud7a3"


def is_jamo(char: str) -> bool:
    """A Hangul letter on its own: conjoining jamo, compatibility jamo, or their extensions."""
    code = ord(char)
    return (
        0x1100 <= code <= 0x11FF
        or 0x3130 <= code <= 0x318F
        or 0xA960 <= code <= 0xA97F
        or 0xD7B0 <= code <= 0xD7FF
        or 0xFFA0 <= code <= 0xFFDC  # half-width compatibility jamo
    )


def is_hangul(char: str) -> bool:
    return is_syllable(char) or is_jamo(char)


def jamo(syllable: str) -> str:
    """The conjoining jamo of one syllable: '한' -> 'ᄒ' 'ᅡ' 'ᆫ' (its NFD form)."""
    return unicodedata.normalize("NFD", syllable)


@dataclass(frozen=True)
class HangulSplit:
    """How one tokenizer covered the Hangul of a text."""

    syllables: int  # Hangul syllables in the part of the text the model read (after NFC)
    tokens: int  # tokens whose span holds any Hangul
    kinds: dict[str, int]  # tokens per kind: whole syllables, jamo, partial UTF-8 bytes, unknown

    @property
    def tokens_per_syllable(self) -> float:
        return self.tokens / self.syllables if self.syllables else 0.0


def piece_kind(tokenizer, piece: str, unknown: bool) -> str:
    """Which of KINDS a Hangul-covering piece is."""
    if unknown:
        return "unknown"
    shown = readable(tokenizer, piece)
    if is_byte_level(tokenizer) and "<" in shown and not any(is_hangul(c) for c in shown):
        return "bytes"
    letters = [c for c in shown if c not in _MARKS]
    return "syllables" if any(is_syllable(c) for c in letters) else "jamo"


def hangul_split(tokenizer, result: Tokenization) -> HangulSplit:
    """Count the syllables read and classify every token that covers Hangul."""
    end = max((t.end for t in result.tokens), default=0)
    read = unicodedata.normalize("NFC", result.text[:end])
    kinds = dict.fromkeys(KINDS, 0)
    for token in result.tokens:
        if token.special or not readable(tokenizer, token.piece).strip():
            continue  # a bare space marker ('▁') can carry the next word's span, but none of its letters
        if any(is_hangul(c) for c in result.text[token.start : token.end]):
            kinds[piece_kind(tokenizer, token.piece, token.unknown)] += 1
    return HangulSplit(sum(map(is_syllable, read)), sum(kinds.values()), kinds)
