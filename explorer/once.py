"""One-time work done once per machine: under a file lock beside its result, written to a temporary
folder and renamed into place, so a second visitor (thread or process) waits and then finds it whole."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock; the threads of this process still take turns
    fcntl = None

_IN_PROCESS = threading.Lock()


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file `path` (made if missing); other threads and processes wait."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        with _IN_PROCESS:
            yield
        return
    with open(path, "a+b") as handle:  # each opening is its own lock holder, so threads wait too
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_once(target: Path, done: str, build: Callable[[Path], None]) -> Path:
    """The folder `target`, made by build(empty folder) unless a whole one (with the file `done`) is there."""
    if (target / done).is_file():
        return target
    with file_lock(target.with_name(f"{target.name}.lock")):
        if (target / done).is_file():  # made by whoever held the lock before us
            return target
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            build(temp)
            temp.chmod(0o755)  # as a folder made by mkdir would be; mkdtemp's is private to its owner
            if target.exists():  # half made by an interrupted run of an older version
                shutil.rmtree(target)
            os.replace(temp, target)
        finally:
            shutil.rmtree(temp, ignore_errors=True)
    return target
