"""Hostile input in every text field of every page: one clear message at most, never a traceback.

The fields are found, not listed: every text input and text area AppTest sees on a page, so a new
page is covered as soon as it is in layout.PAGES. (AppTest cannot type a new option into a
selectbox; the Tokenization page's model boxes are covered through the loader in tests/unit.)
The pages run on tiny random weights here: what is tested is the handling of the text, and a
135M-parameter decoder on a 2-core CPU would make the catalogue take an hour.
"""

import dataclasses

import pytest

from explorer import registry
from explorer.ui import getters
from explorer.ui.layout import PAGES
from tests.app.test_pages import open_page

HOSTILE = {
    "empty": "",
    "spaces": "   \t   ",
    "long": "word " * 20_000,  # 100,000 characters
    "emoji": "👩‍👩‍👧‍👦 🤖🔥 transformers 🎉",
    "cjk": "自然言語処理 한국어 텍스트 中文分词",
    "rtl": "مرحبا بالعالم שלום עולם",
    "zero_width": "a\u200bb\u200c\u200dc\ufeff",
    "control": "a\x00b\x07c\x1b[31m",
    "html": '<img src=x onerror="alert(1)"><b>bold</b>',
    "script": "</script><script>alert('x')</script>",
    "no_mask": "a sentence without a mask",
    "many_masks": " ".join(["[MASK]"] * 50),
    "path": "/etc/../../tmp/some/folder",
    "passwd": "../../etc/passwd",
    "unknown_id": "no-such-user/no-such-model-xyz",
}
READY = [spec.key for spec in PAGES if spec.ready and spec.key != "home"]
BROKEN = ("Traceback", "Errno", "File name too long")


def _clear_caches() -> None:
    getters.get_model.clear()
    getters._ATTENTION.clear()


@pytest.fixture(scope="class")
def tiny_models():
    """Every family without its packaged model, so each page loads tiny random weights."""
    with pytest.MonkeyPatch.context() as patch:
        for key, family in registry.FAMILIES.items():
            patch.setitem(registry.FAMILIES, key, dataclasses.replace(family, packaged=None))
        _clear_caches()
        yield
    _clear_caches()


@pytest.fixture(scope="class")
def pages(tiny_models):
    """One AppTest per page, opened once and reused: each test restores what it changed."""
    return {}


def _opened(pages: dict, key: str):
    if key not in pages:
        pages[key] = open_page(key)
    return pages[key]


def _fields(at) -> list:
    return [*at.text_input, *at.text_area]


def _messages(at) -> list[str]:
    return [str(e.value) for kind in ("error", "warning", "info", "exception") for e in getattr(at, kind)]


class TestEveryField:
    """The catalogue, page by page, on tiny weights (the fixtures last as long as this class)."""

    @pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
    @pytest.mark.parametrize("page", READY)
    def test_every_field_takes_hostile_text_without_a_traceback(self, pages, page, value):
        at = _opened(pages, page)
        keys = [w.id for w in _fields(at)]
        assert keys, f"{page} has no text field"
        for key in keys:
            widget = next((w for w in _fields(at) if w.id == key), None)
            if widget is None:  # hidden by the previous field's value; restored below
                continue
            original = widget.value
            try:
                widget.set_value(value).run()
                assert not at.exception, (key, [e.value for e in at.exception])
                broken = [m for m in _messages(at) if any(b in m for b in BROKEN)]
                assert not broken, (key, broken)
            finally:  # the next field (and the next test) starts from the page as it was
                again = next((w for w in _fields(at) if w.id == key), None)
                if again is not None:
                    again.set_value(original).run()


@pytest.mark.parametrize("kind", ["long", "path", "passwd", "control", "script"])
def test_a_model_field_that_is_no_folder_or_hub_id_says_so_and_uses_the_default(kind):
    at = open_page("gpt")
    at.text_input(key="model_gpt2").set_value(HOSTILE[kind]).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Using gpt2 instead" in e for e in errors), errors
    assert any("SmolLM2" in c.value for c in at.caption)  # the page runs on the default model
