"""Every page field that takes a path: a place outside the allowed roots gets one translated message,
and the tripwire (tests/unit/test_paths.py) proves nothing behind it was opened or listed."""

import os

import pytest

from explorer import paths, registry
from tests.app.checks import assert_no_error_box, shown
from tests.app.test_pages import open_page, texts
from tests.unit import test_paths as guarded
from tests.unit.test_paths import SECRET, _escapes

tripwire, world = guarded.tripwire, guarded.world  # the unit tests' fixtures, used here by name

OUTSIDE = "is outside the folders this server may read"
FIELD_ESCAPES = ("outside", "outside_folder", "dotdot", "symlinked_folder", "slash", "home", "hub_token")


def _shown(at) -> str:
    boxes = [shown(e.value) for kind in ("error", "warning", "info", "success") for e in getattr(at, kind)]
    return texts(at) + "\n".join(boxes)


def _refused_each(at, key: str, typed: dict[str, str], expect: str = OUTSIDE) -> None:
    """Type each path into the field `key`: one message naming it, no traceback, no secret shown."""
    for kind, value in typed.items():
        at.text_input(key=key).set_value(value).run()
        assert_no_error_box(at, expect, where=kind)
        errors = [shown(e.value) for e in at.error]
        about = [e for e in errors if value[:40] in e]  # other fields keep their own
        assert len(about) == 1 and expect in about[0], (kind, errors)
        assert SECRET not in _shown(at), kind


def test_the_tokenization_path_field_reads_nothing_outside(world):
    root, outside, _ = world
    typed = {kind: _escapes(root, outside)[kind] for kind in FIELD_ESCAPES}
    typed["symlinked_file_in_folder"] = str(root / "leaky")
    at = open_page("tokenization")
    at.radio(key="train_corpus").set_value("path").run()
    _refused_each(at, "train_path", typed)
    assert at.button[0].disabled  # no corpus: nothing to train on
    at.text_input(key="train_path").set_value(str(root / "corpus")).run()
    at.button[0].click().run()
    assert_no_error_box(at)
    assert any("Trained on" in shown(s.value) for s in at.success)  # an allowed folder still trains


def test_the_tokenization_upload_still_brings_your_own_text():
    at = open_page("tokenization")
    at.radio(key="train_corpus").set_value("upload").run()
    at.file_uploader[0].set_value(("mine.txt", b"my own line of text\n", "text/plain")).run()
    at.button[0].click().run()
    assert_no_error_box(at)
    assert any("Trained on mine.txt" in shown(s.value) for s in at.success)


def test_the_fine_tune_data_folder_reads_nothing_outside(world):
    root, outside, _ = world
    typed = {kind: _escapes(root, outside)[kind] for kind in FIELD_ESCAPES}
    at = open_page("cola")
    _refused_each(at, "ft_dir_cola", typed)
    assert next(b for b in at.button if b.key == "ft_launch").disabled


def test_the_korean_page_says_so_in_korean(world):
    _, outside, _ = world
    at = open_page("tokenization", "ko")
    at.radio(key="train_corpus").set_value("path").run()
    _refused_each(at, "train_path", {"outside": str(outside)}, expect="읽을 수 있는 폴더")


@pytest.mark.parametrize(
    ("page", "key", "default"),
    [("cola", "ft_model_cola", "bert-base-uncased"), ("bert", "model_bert", "bert-base-uncased")],
)
def test_a_model_field_reads_nothing_outside_and_uses_the_default(world, page, key, default, monkeypatch):
    root, outside, _ = world
    monkeypatch.setenv(paths.ENV, os.pathsep.join([str(root), str(registry.SHARED_DATA)]))  # CoLA's data
    typed = {kind: _escapes(root, outside)[kind] for kind in FIELD_ESCAPES}
    typed["symlinked_file_in_folder"] = str(root / "model")  # its vocab.txt links to the secret
    at = open_page(page)
    _refused_each(at, key, typed)
    assert any(f"Using {default} instead" in shown(e.value) for e in at.error)
