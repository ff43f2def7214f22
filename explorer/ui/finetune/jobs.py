"""A fine-tune owned by one browser session, running in its own process (explorer.training.finetune.protocol)
once the server's job queue (explorer/jobqueue.py) admits it.

Two threads of the server follow each run: one reads the child's progress, one ends the run when its
browser session has been gone for GRACE_S seconds (tab closed). Moving between the app's pages keeps
the session, so a run goes on while its user looks at other pages and shows its progress on return.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from explorer import jobqueue, registry
from explorer.training import finetune
from explorer.training.finetune import folders, protocol
from explorer.ui import getters, queue_views

GRACE_S = 30.0  # a session disconnected this long is gone (a reload makes a new session)
KEY = "finetune_job"
_START = threading.Lock()


def session_alive(session_id: str) -> bool:
    """True while the browser session is connected (Streamlit's runtime knows; thread-safe)."""
    from streamlit.runtime import Runtime

    return not Runtime.exists() or Runtime.instance().is_active_session(session_id)


@dataclass(eq=False)
class Job:
    """One run: what it was asked, its place in the server's queue, what it has reported, how it ended."""

    config: finetune.FinetuneConfig
    page: str
    child: protocol.Child | None = None  # started when the queue admits the job
    folder: Path | None = None  # the child's files
    env: dict = field(default_factory=dict)  # the child's environment, before its thread count
    alive: Callable[[], bool] = lambda: True  # whether the session that launched it is still there
    queue: jobqueue.JobQueue | None = None
    ticket: jobqueue.Ticket | None = None
    progress: list[finetune.Progress] = field(default_factory=list)
    result: finetune.FinetuneResult | None = None
    error: str | None = None
    stopping: bool = False
    left_queue: bool = False  # stopped while waiting: nothing ran
    version: int = 0  # bumped by every message, so the page redraws only on news
    reader: threading.Thread | None = None
    children: list[protocol.Child] = field(default_factory=list)  # what the finalizer closes
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def queued(self) -> bool:
        return self.child is None and self.ticket is not None and self.ticket.state == jobqueue.QUEUED

    @property
    def dropped(self) -> bool:
        """The queue let it go unseen (its page was not drawn for a while): nothing ran."""
        return self.child is None and self.ticket is not None and self.ticket.state == jobqueue.DROPPED

    @property
    def running(self) -> bool:
        """Not over yet: waiting in the queue, starting, or training."""
        started = self.ticket is not None and self.ticket.state == jobqueue.RUNNING and self.child is None
        return self.queued or started or (self.reader is not None and self.reader.is_alive())

    def eta(self) -> float | None:
        """Seconds the child says it has left; None before it has measured its speed."""
        last = self.progress[-1] if self.progress else None
        return None if last is None or last.eta_s != last.eta_s else max(0.0, last.eta_s)

    def stop(self) -> None:
        """While queued: leave the queue, nothing starts. Running: stop after the current step; the
        child evaluates and returns what it has learned."""
        with self._lock:  # against begin: either the child starts first, or never
            self.left_queue = self.child is None
        if self.left_queue:
            self.version += 1
            self.queue.cancel(self.ticket)
            return
        self.stopping = True
        self.child.stop()

    def begin(self, threads: int) -> None:
        """The queue's go: start the child with `threads` threads, and the threads that follow it."""
        with self._lock:
            if self.left_queue:
                return
            env = {**self.env, jobqueue.ENV_THREADS: str(threads), "OMP_NUM_THREADS": str(threads)}
            try:
                self.child = protocol.Child(self.config, self.folder, env)
                self.children.append(self.child)
            except OSError as err:
                self.error = f"the fine-tune process could not start: {err}"
                self.queue.finish(self.ticket)
                return
        self.reader = threading.Thread(target=self._follow, name="finetune-read", daemon=True)
        self.reader.start()
        threading.Thread(target=self.watch, args=(self.alive,), name="finetune-watch", daemon=True).start()

    def _follow(self) -> None:
        try:
            self.read()
        finally:
            self.queue.finish(self.ticket)  # the next in line starts now

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
        """(model, tokenizer) as the child saved them, for your own inputs: kept among the server's
        models (EXPLORER_MAX_MODELS bounds them all), loaded again from the folder once let go."""
        loaded = getters.get_model(*trained_key(self.config, self.child.folder))
        return loaded.model, loaded.tokenizer


def trained_key(config: finetune.FinetuneConfig, folder: Path) -> tuple:
    """getters.get_model's arguments for the model a run saves in `folder` (on the CPU, as the page
    asks it one input at a time)."""
    head = "qa" if config.task == "squad" else "cls"
    return config.family, head, str(folder / "model"), False, "cpu", True


def _cleanup(children: list[protocol.Child], folder: Path, key: tuple) -> None:
    for child in children:
        child.close()
    getters.get_model.clear(*key)  # its memory goes with the job, not at the next eviction
    shutil.rmtree(folder, ignore_errors=True)


def launch(
    config: finetune.FinetuneConfig,
    page: str,
    session_id: str,
    alive: Callable[[], bool] | None = None,
    env: dict | None = None,
    queue: jobqueue.JobQueue | None = None,
) -> Job:
    """Queue a child for `config` (it starts when a slot is free); its files are removed when the job
    is dropped (garbage-collected)."""
    config.validate()
    folder = folders.new_folder()  # after removing what crashed servers left behind
    alive = alive or (lambda: session_alive(session_id))
    job = Job(config, page, None, folder, env or dict(os.environ), alive, queue or jobqueue.shared())
    key = trained_key(config, folder)  # the list, not the job: the finalizer must not keep it alive
    weakref.finalize(job, _cleanup, job.children, folder, key)
    label = registry.TASKS[config.task].name
    client = queue_views.client_id()  # all tabs of one browser share the visitor's jobs per client
    job.ticket = jobqueue.Ticket(session_id, label, on_start=job.begin, eta=job.eta, client=client)
    job.queue.submit(job.ticket)
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
