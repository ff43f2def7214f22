"""A fine-tune running in a background thread, owned by one browser session.

The page polls it once a second (st.fragment); the thread appends progress. A run whose page has not
polled for ABANDON_S seconds (the tab was closed or reloaded) stops itself, so nothing runs on for
nobody, and every run's scratch files are removed by the engine.
"""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass, field

import streamlit as st

from explorer import data, finetune

ABANDON_S = 30.0
KEY = "finetune_job"


@dataclass
class Job:
    config: finetune.FinetuneConfig
    stop: threading.Event = field(default_factory=threading.Event)
    progress: list[finetune.Progress] = field(default_factory=list)
    result: finetune.FinetuneResult | None = None
    error: str | None = None
    last_seen: float = field(default_factory=time.monotonic)
    thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def seen(self) -> None:
        self.last_seen = time.monotonic()

    def _report(self, progress: finetune.Progress) -> None:
        self.progress.append(progress)
        if time.monotonic() - self.last_seen > ABANDON_S:
            self.stop.set()

    def _work(self, base) -> None:
        try:
            self.result = finetune.run(self.config, base, self._report, self.stop)
        except (finetune.ConfigError, data.DataError, ValueError) as err:
            self.error = str(err)
        except Exception as err:  # keep the app alive; show what broke
            self.error = f"{type(err).__name__}: {err}\n{traceback.format_exc(limit=3)}"


def start(config: finetune.FinetuneConfig, base, key: str = KEY) -> Job:
    """Start a fine-tune for this session (one at a time); settings are checked before the thread starts."""
    config.validate()
    job = Job(config)
    job.thread = threading.Thread(target=job._work, args=(base,), name=f"finetune-{config.task}", daemon=True)
    st.session_state[key] = job
    job.thread.start()
    return job


def current(key: str = KEY) -> Job | None:
    return st.session_state.get(key)
