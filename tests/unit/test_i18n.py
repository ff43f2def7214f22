"""Both languages have every key, the same placeholders, and every key the code uses."""

import re
import string
from pathlib import Path

import pytest

from explorer import i18n

ROOT = Path(__file__).resolve().parents[2]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_both_languages():
    assert set(i18n.texts("en")) == set(i18n.texts("ko"))


def test_placeholders_match_between_languages():
    en, ko = i18n.texts("en"), i18n.texts("ko")
    for key in en:
        assert _fields(en[key]) == _fields(ko[key]), key


def test_korean_texts_are_in_korean():
    ko = i18n.texts("ko")
    hangul = [key for key, text in ko.items() if re.search("[가-힣]", text)]
    assert len(hangul) > 0.8 * len(ko)


def test_every_key_used_in_the_code_exists():
    used = set()
    for path in [ROOT / "app.py", *ROOT.glob("app_pages/*.py"), *ROOT.glob("explorer/**/*.py")]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text()))
    assert used, "no t('...') calls found"
    assert used <= set(i18n.texts("en")), used - set(i18n.texts("en"))


@pytest.mark.parametrize(
    ("requested", "locale", "expected"),
    [
        ("ko", "en-US", "ko"),
        ("en", "ko-KR", "en"),
        (None, "ko-KR", "ko"),
        ("xx", None, "en"),
        (None, None, "en"),
    ],
)
def test_language_choice(requested, locale, expected):
    assert i18n.pick_lang(requested, locale) == expected


def test_a_missing_key_fails_loudly():
    with pytest.raises(KeyError):
        i18n.translate("en", "no.such.key")
