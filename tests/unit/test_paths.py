"""Typed paths stay inside the allowed roots: the core check and every reader behind a field.

A tripwire (a Python audit hook) fails the test the moment anything opens or lists a file outside
the allowed root, so "nothing read" is checked directly, not inferred from the result.
"""

import os
import sys
import threading
from pathlib import Path

import pytest

from explorer import models, paths, registry
from explorer.tokens import corpus
from explorer.training import data

SECRET = "hf_SECRET_token_value"
_ARMED: dict[str, object] = {}  # while a test holds the tripwire: the paths nobody may touch
_GUARD = threading.local()


class Tripped(BaseException):
    """Something outside the allowed roots was opened or listed (no `except Exception` swallows it)."""


def _audit(event: str, args: tuple) -> None:
    if not _ARMED or event not in {"open", "os.scandir", "os.listdir"} or getattr(_GUARD, "on", False):
        return
    where = args[0] if args else None
    if not isinstance(where, str | bytes | os.PathLike):
        return
    _GUARD.on = True  # realpath below must not re-enter this hook
    try:
        real = Path(os.path.realpath(os.fsdecode(where)))
    finally:
        _GUARD.on = False
    listed = event != "open" and real in _ARMED["unlisted"]
    if listed or any(real.is_relative_to(p) for p in _ARMED["untouched"]):
        _ARMED["trips"].append(f"{event} {real}")
        raise Tripped(f"{event} {real}")


sys.addaudithook(_audit)


@pytest.fixture
def tripwire():
    """Arm the audit hook: `untouched` folders are never opened or listed, `unlisted` never listed."""

    def arm(untouched: list[Path], unlisted: set[Path]) -> None:
        _ARMED.update(untouched=untouched, unlisted=unlisted, trips=[])

    yield arm
    trips = _ARMED.get("trips", [])
    _ARMED.clear()
    assert not trips, trips  # even a trip that some `except` swallowed fails the test


@pytest.fixture
def world(tmp_path, monkeypatch, tripwire):
    """An allowed root, an outside folder holding a secret, symlinks from the one into the other, a
    fake home with a hub token; the tripwire armed on everything outside the root."""
    root, outside, home = tmp_path / "root", tmp_path / "outside", tmp_path / "home"
    for folder in (
        root / "corpus",
        root / "cola",
        root / "model",
        outside / "cola",
        home / ".cache/huggingface",
    ):
        folder.mkdir(parents=True)
    (outside / "secret.txt").write_text(f"{SECRET}\n")
    (outside / "cola" / "train.tsv").write_text(f"x\t1\t\t{SECRET}\n")
    (outside / "cola" / "dev.tsv").write_text(f"x\t0\t*\t{SECRET}\n")
    (outside / "config.json").write_text('{"model_type": "bert"}')
    (home / ".cache/huggingface/token").write_text(SECRET)
    (root / "corpus" / "a.txt").write_text("an allowed line\n")
    (root / "cola" / "train.tsv").write_text("x\t1\t\tAn allowed sentence.\n")
    (root / "cola" / "dev.tsv").symlink_to(outside / "cola" / "dev.tsv")
    (root / "model" / "config.json").write_text('{"model_type": "bert"}')
    (root / "model" / "vocab.txt").symlink_to(outside / "secret.txt")
    (root / "link_out").symlink_to(outside)
    (root / "leaky").mkdir()
    (root / "leaky" / "ok.txt").write_text("an allowed line\n")
    (root / "leaky" / "stolen.txt").symlink_to(outside / "secret.txt")
    monkeypatch.setenv(paths.ENV, str(root))
    monkeypatch.setenv("HOME", str(home))
    tripwire([outside, home / ".cache/huggingface"], {Path("/"), home})
    return root, outside, home


def _escapes(root: Path, outside: Path) -> dict[str, str]:
    """Every way out of the root a visitor might type."""
    return {
        "outside": str(outside / "secret.txt"),
        "outside_folder": str(outside),
        "dotdot": str(root / "corpus" / ".." / ".." / "outside" / "secret.txt"),
        "relative_dotdot": os.path.relpath(outside / "secret.txt"),
        "symlinked_folder": str(root / "link_out"),
        "through_symlink": str(root / "link_out" / "secret.txt"),
        "slash": "/",
        "home": "~",
        "hub_token": "~/.cache/huggingface/token",
    }


ESCAPES = list(_escapes(Path("r"), Path("o")))


# The core check


def test_a_path_inside_a_root_comes_back_resolved(world):
    root, _, _ = world
    assert paths.resolve(str(root / "corpus" / ".." / "corpus" / "a.txt")) == root / "corpus" / "a.txt"
    assert paths.resolve(str(root)) == root


@pytest.mark.parametrize("kind", ESCAPES)
def test_every_escape_is_refused_by_the_core_check(world, kind):
    with pytest.raises(paths.PathNotAllowed):
        paths.resolve(_escapes(*world[:2])[kind])


def test_a_sibling_whose_name_starts_like_the_root_is_outside(world):
    root, _, _ = world
    (root.parent / "root2").mkdir()
    with pytest.raises(paths.PathNotAllowed):
        paths.resolve(str(root.parent / "root2"))


def test_several_roots_are_separated_by_the_path_separator(world, monkeypatch):
    root, outside, _ = world
    monkeypatch.setenv(paths.ENV, os.pathsep.join([str(root), str(outside / "cola")]))
    assert paths.resolve(str(outside / "cola")) == outside / "cola"
    with pytest.raises(paths.PathNotAllowed):
        paths.resolve(str(outside / "secret.txt"))


def test_the_default_roots_are_the_data_folders_the_hub_cache_and_assets(monkeypatch, tmp_path):
    from huggingface_hub import constants

    monkeypatch.delenv(paths.ENV, raising=False)
    monkeypatch.setenv("EXPLORER_CACHE", str(tmp_path / "cache"))
    roots = paths.allowed_roots()
    expected = [registry.SHARED_DATA, tmp_path / "cache", Path(constants.HF_HUB_CACHE), paths.offline.ASSETS]
    assert [Path(os.path.realpath(p)) for p in expected] == list(roots)
    assert paths.resolve(str(registry.SHARED_DATA / "cola")).is_dir()  # the tests' data stays readable
    with pytest.raises(paths.PathNotAllowed):
        paths.resolve(constants.HF_TOKEN_PATH)


def test_the_hub_token_is_refused_even_inside_a_widened_root(world, monkeypatch):
    from huggingface_hub import constants

    _, _, home = world
    monkeypatch.setenv(paths.ENV, str(home))
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(home / ".cache/huggingface/token"))
    assert paths.resolve("~/.cache") == home / ".cache"
    with pytest.raises(paths.PathNotAllowed):
        paths.resolve("~/.cache/huggingface/token")


def test_a_walk_refuses_a_folder_holding_a_symlink_out_before_reading_anything(world):
    root, _, _ = world
    with pytest.raises(paths.PathNotAllowed):
        paths.files_under(root / "leaky")
    assert paths.files_under(root / "corpus", {".txt"}) == [root / "corpus" / "a.txt"]


# The readers behind each field


@pytest.mark.parametrize("kind", ESCAPES)
def test_the_corpus_path_reads_nothing_outside(world, kind):
    with pytest.raises(paths.PathNotAllowed):
        corpus.from_path(_escapes(*world[:2])[kind])


def test_a_corpus_folder_with_a_symlinked_file_pointing_out_is_refused(world):
    root, _, _ = world
    with pytest.raises(paths.PathNotAllowed):
        corpus.from_path(str(root / "leaky"))


def test_a_corpus_inside_a_root_still_reads(world):
    root, _, _ = world
    assert corpus.from_path(str(root / "corpus")).lines == ("an allowed line",)
    assert corpus.from_path(str(root / "corpus" / "a.txt")).lines == ("an allowed line",)


@pytest.mark.parametrize("kind", [*ESCAPES, "symlinked_dev_file"])
def test_the_data_folder_reads_nothing_outside(world, kind):
    root, outside, _ = world
    typed = str(root / "cola") if kind == "symlinked_dev_file" else _escapes(root, outside)[kind]
    with pytest.raises(paths.PathNotAllowed):
        data.load("cola", "dev", "local", typed)


def test_a_data_folder_inside_a_root_still_loads(world):
    root, _, _ = world
    assert data.load("cola", "train", "local", str(root / "cola"))[0].text == "An allowed sentence."


@pytest.mark.parametrize("kind", [*ESCAPES, "symlinked_file_in_folder", "folder_named_like_an_id"])
def test_a_model_field_naming_a_place_outside_is_refused(world, kind, monkeypatch):
    root, outside, _ = world
    monkeypatch.chdir(outside.parent)  # "outside" is then both a hub id's shape and a folder here
    typed = {"symlinked_file_in_folder": str(root / "model"), "folder_named_like_an_id": "outside"}.get(
        kind
    ) or _escapes(root, outside)[kind]
    with pytest.raises(models.BadModelId) as caught:
        models.model_place(typed)
    assert caught.value.kind == "outside"


def test_a_model_folder_outside_is_never_loaded(world):
    _, outside, _ = world
    loaded = models.load_tokenizer(registry.family("bert"), str(outside), online=False)
    assert loaded[1].kind != "local"
    assert "(outside)" in loaded[1].reason


@pytest.mark.parametrize("name", ["bert-base-uncased", "klue/bert-base", "gpt2"])
def test_hub_ids_are_still_hub_ids(world, name):
    assert models.model_place(name) == "hub"


def test_a_model_folder_inside_a_root_is_still_local(world):
    root, _, _ = world
    (root / "model" / "vocab.txt").unlink()
    assert models.model_place(str(root / "model")) == "local"


def test_the_command_line_may_read_the_folders_it_names(tmp_path, monkeypatch):
    """`python -m explorer.training.finetune --data DIR` is the machine's own user: DIR is allowed to it."""
    from explorer.training.finetune.__main__ import _allow_named_folders

    root, mine = tmp_path / "root", tmp_path / "mine"
    root.mkdir()
    mine.mkdir()
    (mine / "train.tsv").write_text("x\t1\t\tMy own sentence.\n")
    monkeypatch.setenv(paths.ENV, str(root))
    with pytest.raises(paths.PathNotAllowed):
        data.load("cola", "train", "local", str(mine))
    _allow_named_folders(str(mine), "bert-base-uncased")
    assert data.load("cola", "train", "local", str(mine))[0].text == "My own sentence."
    assert paths.resolve(root) == root.resolve()  # the roots it had are kept
