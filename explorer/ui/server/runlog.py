"""One line per script run when EXPLORER_RUN_LOG names a file: for bench/bench_room.py.

The room benchmark opens 30 browsers on the server's own 2 cores; when each page's script finished
on the server (this log) tells the server's part apart from the browsers' drawing. Off by default.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Iterator

from streamlit.runtime.scriptrunner import get_script_run_ctx

ENV_VAR = "EXPLORER_RUN_LOG"
_WRITE = threading.Lock()


class Run:
    """One script run being timed; the page is named once navigation has chosen it."""

    def __init__(self) -> None:
        self.page = ""
        self.start = time.time()


@contextlib.contextmanager
def logged_run() -> Iterator[Run]:
    """Time this script run; append {"page", "session", "start", "end"} (epoch seconds) to the log."""
    run = Run()
    try:
        yield run
    finally:
        _append({"page": run.page, "start": run.start, "end": time.time()})


def note(**fields: object) -> None:
    """Append one event of this session ({"session", "time", **fields}) to the log, when one is kept:
    the classroom notes when a presenter moved and when each follower saw it (bench classroom)."""
    _append({"time": time.time(), **fields})


def _append(line: dict) -> None:
    path = os.environ.get(ENV_VAR)
    if path:
        ctx = get_script_run_ctx()
        line = {"session": ctx.session_id if ctx else "", **line}
        with _WRITE, open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
