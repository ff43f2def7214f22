"""Which folders a path typed into the app may point into: one check before any field reads a file.

On a shared server every visitor types into the same machine, so a typed path is resolved (~, `..`
and symlinks) and used only when it lands inside an allowed root: EXPLORER_ALLOWED_PATHS
(os.pathsep-separated) or, by default, the app's data folders, the Hugging Face hub cache and assets/.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from explorer import offline

DATA_ENV = "EXPLORER_DATA"  # a folder holding <task>/ folders (tests and benchmarks: ../shared/data)

ENV = "EXPLORER_ALLOWED_PATHS"
SHOWN_CHARS = 80  # a pasted page of text is shown shortened, never echoed whole


class PathNotAllowed(ValueError):
    """A typed path outside every allowed root (or one that cannot be resolved); nothing was read."""

    def __init__(self, typed: str) -> None:
        self.typed = typed
        self.shown = typed if len(typed) <= SHOWN_CHARS else f"{typed[: SHOWN_CHARS - 3]}..."
        super().__init__(f"{self.shown!r} is outside the folders this app may read (see {ENV})")


def default_roots() -> tuple[Path, ...]:
    """EXPLORER_DATA (when set), the prefetch/cache folder, the Hugging Face hub cache and assets/."""
    from huggingface_hub import constants

    named = os.environ.get(DATA_ENV)  # read once, as data.default_dir does
    roots = [Path(named)] if named else []
    return (*roots, offline.cache_dir(), Path(constants.HF_HUB_CACHE), offline.ASSETS)


def allowed_roots() -> tuple[Path, ...]:
    """The resolved roots: EXPLORER_ALLOWED_PATHS when set and not empty, else default_roots()."""
    listed = [p for p in os.environ.get(ENV, "").split(os.pathsep) if p.strip()]
    return tuple(_real(p) for p in (listed or default_roots()))


def _real(path: str | Path) -> Path:
    return Path(os.path.realpath(Path(path).expanduser()))


def _secrets() -> set[Path]:
    """The hub's token files: refused even when a widened root (say $HOME) holds them."""
    from huggingface_hub import constants

    return {_real(constants.HF_TOKEN_PATH), _real(constants.HF_STORED_TOKENS_PATH)}


def resolve(typed: str | Path) -> Path:
    """The real path of `typed` (~ expanded, `..` and symlinks resolved) when it lies inside an
    allowed root; raises PathNotAllowed otherwise, having read nothing."""
    try:
        real = _real(typed)
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a name too long, a symlink loop
        raise PathNotAllowed(str(typed)) from None
    if real in _secrets() or not any(real.is_relative_to(root) for root in allowed_roots()):
        raise PathNotAllowed(str(typed))
    return real


def files_under(folder: str | Path, suffixes: Iterable[str] | None = None) -> list[Path]:
    """Every file under an allowed folder (with one of `suffixes`, if given), sorted and resolved.

    Each file is checked before any is read: a symlink inside the folder pointing out raises
    PathNotAllowed for the whole folder. Linked folders are not entered.
    """
    wanted = {s.lower() for s in suffixes} if suffixes is not None else None
    found = []
    for where, dirs, files in os.walk(resolve(folder)):
        dirs.sort()
        for name in sorted(files):
            if wanted is None or Path(name).suffix.lower() in wanted:
                found.append(resolve(Path(where) / name))
    return found


def looks_like_path(name: str) -> bool:
    """Text that names a place on disk: it exists as typed, or can only be a path (a hub id never
    starts with / . ~ and holds at most one '/')."""
    if name.startswith(("/", ".", "~")) or name.count("/") > 1 or "\\" in name:
        return True
    try:
        return os.path.lexists(os.path.expanduser(name))
    except (OSError, ValueError):
        return True
