"""Hostile input in every text field of every page: no error box but the one the input is meant to give.

The fields are found, not listed: every text input and text area AppTest sees on a page, so a new
page is covered as soon as it is in layout.PAGES. (AppTest cannot type a new option into a
selectbox; the Tokenization page's model boxes are covered through the loader in tests/unit.)
The pages run on tiny random weights here: what is tested is the handling of the text, and a
135M-parameter decoder on a 2-core CPU would make the catalogue take an hour.

One run tries a seeded share of the (field, input) pairs, and the seeds of hostile_sample.SEEDS
together try them all (see hostile_sample; HOSTILE_SEED=all tries every pair in one run). The seed
is in the test ids and printed at the end of the run.
"""

import dataclasses
import fnmatch

import pytest

from explorer import registry
from explorer.ui import getters
from explorer.ui.layout import PAGES
from tests.app.checks import Expected, assert_no_error_box, message
from tests.app.hostile_sample import SEED, tried
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
    "markdown": "[click](https://evil.example/x) ![img](https://evil.example/a.png) **bold**",
}
MODEL_FIELDS = ("model_*", "ft_model_*", "electra_generator", "distilbert_teacher")  # models.checked_id
# "long" too: a model field keeps at most models.MAX_ID_CHARS characters, as the browser does, and
# 300 characters of "word word ..." are no hub id.
NOT_AN_ID = ("long", "cjk", "rtl", "html", "no_mask", "many_masks")
PATHS = ("path", "passwd", "script", "markdown")  # each reads as a path (two '/' or more: no hub id)
# The one error box an input is meant to give in a field: (pattern of the field's key, input) -> i18n
# key of the message. Any other error box, or none where one is named, fails the case. A model field
# left empty or blank falls back to the default quietly; a well-formed hub id it cannot load offline
# ("unknown_id") falls back with the reason in the sidebar. A data folder is resolved against the
# allowed roots (explorer/paths.py), so any text in it that is not blank names a place outside them.
EXPECTED: dict[tuple[str, str], str] = {
    **{
        (field, name): "model.bad_control"
        for field in MODEL_FIELDS
        for name in ("emoji", "zero_width", "control")
    },
    **{(field, name): "model.bad_not_an_id" for field in MODEL_FIELDS for name in NOT_AN_ID},
    **{(field, name): "model.bad_outside" for field in MODEL_FIELDS for name in PATHS},
    **{("ft_lr_*", name): "ft.bad_lr" for name in HOSTILE},  # none of them is a number
    **{("ft_dir_*", name): "paths.outside" for name in HOSTILE if HOSTILE[name].strip()},
}
# Every view with its own fields: each page, and each tab of a family page (only the open tab runs,
# so a field on another tab exists only with that tab open). The tour draws these same pages.
READY = [
    (spec.key, tab)
    for spec in PAGES
    if spec.ready and spec.key not in ("home", "tour")
    for tab in (registry.FAMILY_PAGES[spec.key].sections if spec.key in registry.FAMILY_PAGES else (None,))
]


def expected_for(key: str, name: str) -> Expected:
    """The message `HOSTILE[name]` is meant to give in the field `key`, as a pattern; None if none."""
    named = [
        text for (field, hostile), text in EXPECTED.items() if hostile == name and fnmatch.fnmatch(key, field)
    ]
    return message(named[0]) if named else None


MARKDOWN_KINDS = (
    "markdown",
    "caption",
    "error",
    "warning",
    "info",
    "success",
    "title",
    "header",
    "subheader",
)


def rendered_links(at) -> list[str]:
    """Markdown on the page that would show HOSTILE["markdown"]'s link or image: its address unescaped.
    Text from a field reaches markdown escaped, with a zero-width space after "https:" (GFM links a bare
    address even when escaped): https\\:\u200b\\/\\/evil\\.example, see explorer/ui/markdown.literal."""
    values = [str(e.value) for kind in MARKDOWN_KINDS for e in getattr(at, kind)]
    return [v for v in values if "evil.example" in v or "\\:\\/\\/evil" in v]  # escaped, yet GFM links it


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


def _opened(pages: dict, view: tuple[str, str | None]):
    if view not in pages:
        page, tab = view
        pages[view] = open_page(page, tab=tab)
    return pages[view]


def _own_keys(pages: dict, view: tuple[str, str | None]) -> list[str]:
    """The text fields of a view; on a family page's later tabs, only those its first tab lacks (the
    page's text and model fields are tried there once)."""
    keys = [w.key for w in _fields(_opened(pages, view))]
    page, tab = view
    first = registry.FAMILY_PAGES[page].sections[0] if page in registry.FAMILY_PAGES else None
    if tab == first:
        return keys
    shared = {w.key for w in _fields(_opened(pages, (page, first)))}
    return [k for k in keys if k not in shared]


def _fields(at) -> list:
    return [*at.text_input, *at.text_area]


def _field(at, key: str):
    return next((w for w in _fields(at) if w.key == key), None)


def try_field(at, key: str, name: str) -> str | None:
    """Type HOSTILE[name] into the field `key`, check the page, put the field back; what went wrong."""
    widget = _field(at, key)
    if widget is None:  # hidden by the previous field's value; restored below
        return None
    original = widget.value
    try:
        widget.set_value(HOSTILE[name]).run()
        assert_no_error_box(at, expected_for(key, name), where=f"{key} <- {name}")
        assert not rendered_links(at), (
            f"{key} <- {name}: markdown from the field rendered: {rendered_links(at)}"
        )
    except AssertionError as failed:
        return str(failed)
    finally:  # the next field (and the next test) starts from the page as it was
        again = _field(at, key)
        if again is not None:
            again.set_value(original).run()
    return None


@pytest.mark.parametrize("seed", [SEED], ids=lambda s: f"seed={s if s is not None else 'all'}")
class TestEveryField:
    """The catalogue, page by page, on tiny weights (the fixtures last as long as this class)."""

    @pytest.mark.parametrize("name", list(HOSTILE))
    @pytest.mark.parametrize("view", READY, ids=lambda v: v[0] if v[1] is None else f"{v[0]}-{v[1]}")
    def test_every_field_takes_hostile_text_without_a_stray_error(self, pages, view, name, seed):
        at = _opened(pages, view)
        assert [w.key for w in _fields(at)], f"{view} has no text field"
        keys = _own_keys(pages, view)
        assert None not in keys, f"{view}: a text field without a key cannot be named in EXPECTED"
        inputs = list(HOSTILE)
        chosen = [k for j, k in enumerate(keys) if tried(j, inputs.index(name), seed)]
        problems = [p for key in chosen if (p := try_field(at, key, name))]
        assert not problems, f"seed {seed} (HOSTILE_SEED={seed} reruns it):\n" + "\n".join(problems)


@pytest.mark.parametrize("kind", ["long", "path", "passwd", "control", "script"])
def test_a_model_field_that_is_no_folder_or_hub_id_says_so_and_uses_the_default(kind):
    at = open_page("gpt")
    at.text_input(key="model_gpt2").set_value(HOSTILE[kind]).run()
    assert_no_error_box(at, "Using gpt2 instead")
    assert any("SmolLM2" in c.value for c in at.caption)  # the page runs on the default model


# Issue #27: what a visitor's input can make a shared server do (see README, "What a visitor can make
# the server do"). Each case fails on e624252.


def test_hole2_a_huge_single_line_upload_is_cut_at_the_corpus_cap(monkeypatch):
    from explorer.tokens import corpus

    monkeypatch.setattr(corpus, "MAX_CORPUS_CHARS", 1_000_000)  # the real 20M trains too long for a test
    at = open_page("tokenization")
    at.radio(key="train_corpus").set_value("upload").run()
    at.file_uploader[0].set_value(("one_line.txt", b"words " * 500_000, "text/plain")).run()  # 3M characters
    next(button for button in at.button if button.label == "Train").click().run()
    assert_no_error_box(at)
    done = [str(box.value) for box in at.success]
    assert len(done) == 1 and "1 lines, 1,000,000 characters" in done[0], done


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_hole1_a_shared_link_with_a_model_off_the_servers_list_says_so_and_uses_the_default(
    monkeypatch, lang
):
    monkeypatch.setenv("EXPLORER_ALLOWED_MODELS", "klue/*")
    at = open_page("gpt", lang, model_gpt2="facebook/opt-66b")
    assert at.error, "the link's model is refused, with a message"
    assert_no_error_box(at, message("model.refused_not_listed", lang), where="a link's model field")
    assert any("SmolLM2" in c.value for c in at.caption)  # the page runs on the default model


def test_hole1_a_shared_link_with_an_oversized_model_is_refused_before_any_download(monkeypatch):
    import huggingface_hub

    from explorer import hub

    downloads = []
    monkeypatch.setattr(hub, "reachable", lambda: True)
    monkeypatch.setattr(hub, "hub_files", lambda repo: {"model.safetensors": 132_000_000_000}, raising=False)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", lambda repo_id, **kw: downloads.append(repo_id))
    at = open_page("bert", model_bert="facebook/opt-66b")
    assert "facebook/opt-66b" not in downloads
    assert at.error, "the link's model is refused, with a message"
    assert_no_error_box(at, message("model.refused_too_big"), where="a link's model field")
    assert "132.0 GB" in at.error[0].value and "4.0 GB" in at.error[0].value


def test_hole8_markdown_in_a_shared_links_prompt_is_shown_as_text(tiny_models):
    at = open_page("gpt", tab="generate", gpt_prompt=HOSTILE["markdown"])
    assert_no_error_box(at)
    assert not rendered_links(at), rendered_links(at)
    assert any("evil\\.example" in str(m.value) for m in at.markdown), "the prompt is shown, as text"
