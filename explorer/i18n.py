"""Page texts in Korean and English, read from assets/i18n/<lang>/*.toml (no Streamlit here).

Each language is a folder of TOML files, one per page or area, merged into one table; a key
defined in two files is an error, so pages can add their texts without touching each other's."""

from __future__ import annotations

import functools
import string
import tomllib

from explorer import particles, read_aloud
from explorer.offline import ASSETS

LANGS = {"ko": "한국어", "en": "English"}
DEFAULT_LANG = "en"
I18N_DIR = ASSETS / "i18n"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@functools.cache
def texts(lang: str) -> dict[str, str]:
    """Every text of one language, by dotted key ('tok.title')."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    merged: dict[str, str] = {}
    for path in sorted((I18N_DIR / lang).glob("*.toml")):
        with open(path, "rb") as handle:
            table = _flatten(tomllib.load(handle))
        clash = set(table) & set(merged)
        if clash:
            raise ValueError(f"{path.name} redefines {', '.join(sorted(clash))}")
        merged.update(table)
    return merged


class _Formatter(string.Formatter):
    """str.format, plus a Korean particle as a format spec: "{name:은}" gives "BERT는" or "모델은";
    "{count:만}" writes a number as read aloud in Korean: 1,200만, 6만 4천; and "{count:M}" in millions
    as English papers round it: 110M."""

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "만":
            return read_aloud.korean_number(value)
        if format_spec == "M":
            return f"{value / 1e6:g}M"
        if format_spec in particles.PAIRS:
            return particles.attach(str(value), format_spec)
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def translate(lang: str, key: str, **values: object) -> str:
    """The text for `key` in `lang`, with {placeholders} filled; a missing key raises KeyError."""
    text = texts(lang)[key]
    return _FORMATTER.format(text, **values) if values else text


def pick_lang(requested: str | None, browser_locale: str | None) -> str:
    """The URL's ?lang= when valid, else the browser's language when we have it, else English."""
    if requested in LANGS:
        return requested
    base = (browser_locale or "").split("-")[0].lower()
    return base if base in LANGS else DEFAULT_LANG
