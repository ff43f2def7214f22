"""Where a server's fine-tunes write (the child's log, result and model): a folder per run under a
root of their own, named after the server's process, so a later server removes what a crashed one
left behind. A run's folder is otherwise removed with its job (explorer/ui/finetune/jobs.py)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

ROOT_NAME = "explorer-finetunes"
# A folder this old belongs to no live session (a session ends when its tab has been closed a while);
# this also covers a dead server's process number taken again by another process.
STALE_S = 2 * 24 * 3600.0


def root() -> Path:
    """The folder that holds every run's folder, in the system's temporary folder (TMPDIR)."""
    return Path(tempfile.gettempdir()) / ROOT_NAME


def new_folder(under: Path | None = None) -> Path:
    """A fresh folder for one run (or one upload: `under` another root), named `<this process>-<random>`;
    stale ones are removed first."""
    under = under or root()
    remove_stale(under=under)
    under.mkdir(mode=0o700, parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=under))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def remove_stale(now: float | None = None, under: Path | None = None) -> list[Path]:
    """Remove the run folders whose server process has ended (a crash skips the job's own clean-up)
    or that are older than STALE_S; returns what was removed. Other names are left alone."""
    now = time.time() if now is None else now
    try:
        entries = sorted((under or root()).iterdir())
    except OSError:  # no root yet
        return []
    removed = []
    for entry in entries:
        owner = entry.name.split("-", 1)[0]
        if not owner.isdigit() or not entry.is_dir():
            continue
        try:
            old = now - entry.stat().st_mtime > STALE_S
        except OSError:  # removed meanwhile by another server
            continue
        if old or not _alive(int(owner)):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed
