"""A fine-tune owned by one browser session, running in its own process (explorer.finetune.protocol).

Two threads of the server follow each run: one reads the child's progress, one ends the run when its
browser session has been gone for GRACE_S seconds (tab closed). Moving between the app's pages keeps
the session, so a run goes on while its user looks at other pages and shows its progress on return.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from explorer import finetune, models
from explorer.finetune import protocol

GRACE_S = 30.0  # a session disconnected this long is gone (a reload makes a new session)
KEY = "finetune_job"
_START = threading.Lock()


def session_alive(session_id: str) -> bool:
    """True while the browser session is connected (Streamlit's runtime knows; thread-safe)."""
    from streamlit.runtime import Runtime

    return not Runtime.exists() or Runtime.instance().is_active_session(session_id)


@dataclass
class Job:
    """One run: what it was asked, what it has reported, and how it ended."""

    config: finetune.FinetuneConfig
    page: str
    child: protocol.Child
    progress: list[finetune.Progress] = field(default_factory=list)
    result: finetune.FinetuneResult | None = None
    error: str | None = None
    stopping: bool = False
    version: int = 0  # bumped by every message, so the page redraws only on news
    reader: threading.Thread | None = None
    _trained: tuple | None = None

    @property
    def running(self) -> bool:
        return self.reader is not None and self.reader.is_alive()

    def stop(self) -> None:
        """Stop after the current step; the child evaluates and returns what it has learned."""
        self.stopping = True
        self.child.stop()

    def read(self) -> None:
        """Follow the child until it exits; a child that dies without a result is reported."""
        for message in self.child.messages():
            if message["kind"] == "progress":
                self.progress.append(protocol.read_progress(message))
            elif message["kind"] == "result":
                self.result, _ = protocol.read_result(message)
            elif message["kind"] == "error":
                self.error = message["message"]
            self.version += 1
        code = self.child.exit_code()
        if self.result is None and self.error is None:
            self.error = (
                f"the fine-tune process ended unexpectedly (exit code {code}). {self.child.log_tail()}"
            )
            self.version += 1

    def watch(self, alive: Callable[[], bool], grace_s: float = GRACE_S, every_s: float = 1.0) -> None:
        """End the run once `alive()` has been false for grace_s seconds."""
        gone_since = None
        while self.child.process.poll() is None:
            gone_since = None if alive() else gone_since or time.monotonic()
            if gone_since is not None and time.monotonic() - gone_since >= grace_s:
                self.child.abort()
                return
            time.sleep(every_s)

    def trained(self) -> tuple[object, object]:
        """(model, tokenizer) as the child saved them, loaded once, for your own inputs."""
        if self._trained is None:
            from transformers import (
                AutoModelForQuestionAnswering,
                AutoModelForSequenceClassification,
                AutoTokenizer,
            )

            folder = self.child.folder / "model"
            cls = (
                AutoModelForQuestionAnswering
                if self.config.task == "squad"
                else AutoModelForSequenceClassification
            )
            with models.exclusive():
                model = cls.from_pretrained(folder).eval()
            self._trained = (model, AutoTokenizer.from_pretrained(folder))
        return self._trained


def _cleanup(child: protocol.Child, folder: Path) -> None:
    child.close()
    shutil.rmtree(folder, ignore_errors=True)


def launch(
    config: finetune.FinetuneConfig,
    page: str,
    session_id: str,
    alive: Callable[[], bool] | None = None,
    env: dict | None = None,
) -> Job:
    """Start a child for `config`; its files are removed when the job is dropped (garbage-collected)."""
    config.validate()
    folder = Path(tempfile.mkdtemp(prefix="finetune-"))
    job = Job(config, page, protocol.Child(config, folder, env or dict(os.environ)))
    weakref.finalize(job, _cleanup, job.child, folder)
    job.reader = threading.Thread(target=job.read, name=f"finetune-read-{session_id}", daemon=True)
    job.reader.start()
    alive = alive or (lambda: session_alive(session_id))
    threading.Thread(
        target=job.watch, args=(alive,), name=f"finetune-watch-{session_id}", daemon=True
    ).start()
    return job


def start(config: finetune.FinetuneConfig, page: str, state=None, launcher=launch) -> Job:
    """This session's run (one at a time): a second click while one runs returns the running one."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    state = st.session_state if state is None else state
    with _START:
        job = state.get(KEY)
        if job is not None and job.running:
            return job
        ctx = get_script_run_ctx()
        job = launcher(config, page, ctx.session_id if ctx else "")
        state[KEY] = job
        return job


def current() -> Job | None:
    return st.session_state.get(KEY)
