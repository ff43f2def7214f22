"""Korean particles chosen by the word they follow: 은/는, 이/가, 을/를, 과/와, 으로/로.

A word that ends in a consonant sound takes the first form (학교는 but 모델이); Latin letters and
digits are judged by how they are read aloud in Korean (GPT 지피티 -> GPT가, 3 삼 -> 3은, 12층 -> 12층은).
A template asks for one with a format spec: "{name:은} ..." (either form of a pair works).
"""

from __future__ import annotations

import re

# Each pair: (after a final consonant, after a vowel). 으로/로 also takes 로 after a final ㄹ.
_PAIRS = (("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("으로", "로"))
PAIRS = {form: pair for pair in _PAIRS for form in pair}

NONE, RIEUL, OTHER = "none", "rieul", "other"  # the final sound: no consonant, ㄹ, another consonant
_RIEUL_INDEX = 8  # ㄹ among the 28 final-consonant slots of a precomposed syllable

# Letter names as read in Korean: L 엘, M 엠, N 엔, R 알 end in a consonant; every other name in a vowel.
_LETTER_FINAL = {"l": RIEUL, "r": RIEUL, "m": OTHER, "n": OTHER}
# Digits read as Sino-Korean numbers: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGITS = (OTHER, RIEUL, NONE, OTHER, NONE, NONE, OTHER, RIEUL, RIEUL, NONE)
_DIGIT_FINAL = dict(zip("0123456789", _DIGITS, strict=True))
# English words whose Korean reading ends in a consonant that the spelling rule below misses.
_WORDS = {"net": OTHER, "bit": OTHER, "book": OTHER, "top": OTHER, "lab": OTHER, "web": OTHER}
_TRAILING = "'\"`*_)]}>」』’”.,!? "  # marks after the word (quotes, markdown, brackets) are skipped


def final_sound(word: str) -> str | None:
    """NONE, RIEUL or OTHER for the last sound of `word` as read in Korean; None when unknown."""
    word = word.rstrip(_TRAILING)
    if not word:
        return None
    last = word[-1]
    if "\uac00" <= last <= "\ud7a3":
        index = (ord(last) - 0xAC00) % 28
        return NONE if index == 0 else RIEUL if index == _RIEUL_INDEX else OTHER
    if last.isdigit():
        return _number_final(word)
    if last.isascii() and last.isalpha():
        return _latin_final(word)
    return None


def _number_final(word: str) -> str:
    digits = re.search(r"[\d,]*\d$", word).group().replace(",", "")
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0 or not digits.strip("0"):
        return _DIGIT_FINAL[digits[-1]]
    return NONE if 12 <= zeros < 16 else OTHER  # read by its last unit: 십 백 천 만 억 end in one, 조 not


def _latin_final(word: str) -> str:
    """An acronym (GPT, NSP) is read letter by letter; a word (BERT 버트, model 모델) by its ending."""
    token = re.search(r"[A-Za-z]+$", word).group()
    known = [sound for ending, sound in _WORDS.items() if token.lower().endswith(ending)]
    if known:
        return known[0]
    if token.isupper() and not _reads_as_word(token):
        return _LETTER_FINAL.get(token[-1].lower(), NONE)
    lower = token.lower()
    if lower.endswith("ng") or lower[-1] in "mn":
        return OTHER
    return RIEUL if lower[-1] == "l" else NONE


def _reads_as_word(token: str) -> bool:
    """BERT, ALBERT, GLUE, SQUAD are read as words; GPT, NSP, MLM letter by letter (no vowel to say)."""
    return len(token) >= 4 and any(ch in "AEIOU" for ch in token)


def particle(word: str, form: str) -> str:
    """The form of the particle `form` (e.g. "은" or "는") that follows `word`; "은(는)" when unknown."""
    strong, weak = PAIRS[form]
    sound = final_sound(word)
    if sound is None:
        return f"{strong}({weak})"
    if strong == "으로":
        return "으로" if sound == OTHER else "로"
    return weak if sound == NONE else strong


def attach(word: str, form: str) -> str:
    """`word` followed by the particle it takes: attach("BERT", "은") == "BERT는"."""
    return f"{word}{particle(word, form)}"
