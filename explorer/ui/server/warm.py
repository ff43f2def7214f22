"""Warm a fresh server before its first visitor: import the libraries and load each page's models.

`make run` starts the server through explorer/ui/server/serve.py, which calls `start()` once: a background
thread fills the caches the pages read (explorer/ui/getters.py), so the first visitors find the
models loaded instead of loading them while the room waits on the same cores. A visitor who comes
during the warm-up waits on the same load (a cached getter computes a key once). EXPLORER_WARM=0
turns it off; the tests start the app with `streamlit run app.py`, which never warms. After the models,
the pages' long measurements at their default settings that are not kept for this device start, one
at a time in the background (explorer/measure/defaults.py; EXPLORER_MEASURE_AHEAD=0 skips them).
"""

from __future__ import annotations

import logging
import os
import threading
import time

from explorer import device, hub, registry, warmup
from explorer.measure import defaults

log = logging.getLogger("explorer.warm")

# What each page's first screen (its first tab, default inputs) loads, as AppTest saw it: tokenizers
# as (family,), models as (family, head). Pages not named load nothing until asked. Only the last
# EXPLORER_MAX_MODELS (6) are loaded, as many as the cache keeps: the tour's and BERT's come last.
TOKENIZERS = ("bert", "gpt2", "albert", "roberta")  # tokenization, roberta
MODELS = (
    ("reformer", "base"),  # reformer
    ("electra-generator", "mlm"),  # electra
    ("electra-discriminator", "rtd"),
    ("distilbert", "mlm"),  # distilbert
    ("bert", "mlm"),
    ("gpt2", "base"),  # gpt
    ("bert", "base"),  # bert, the tour's first stop
)

_started = threading.Event()
state = {"status": "cold", "seconds": 0.0}  # "cold", "warming", "warm" or "failed: <error>"


def warm() -> float:
    """Import every library and load the first screens' tokenizers and models; returns the seconds."""
    from explorer.ui import getters

    began = time.perf_counter()
    warmup.warm_up()
    online, where = hub.reachable(), device.pick_device()
    for family in TOKENIZERS:
        getters.get_tokenizer(family, registry.family(family).hub_id, online)
    for family, head in MODELS[-getters.MAX_MODELS :]:
        getters.get_model(family, head, registry.family(family).hub_id, online, where)
    return time.perf_counter() - began


def _run() -> None:
    state["status"] = "warming"
    from explorer.ui.getters import MAX_MODELS

    models = min(len(MODELS), MAX_MODELS)
    log.warning("explorer: warming up (libraries, %d tokenizers, %d models)", len(TOKENIZERS), models)
    try:
        state["seconds"] = warm()
        state["status"] = "warm"
        log.warning("explorer: warm in %.1f s: the first visitors find the models loaded", state["seconds"])
    except Exception as err:  # a model that fails here fails on its page too, with a message there
        state["status"] = f"failed: {err}"
        log.warning("explorer: warm-up stopped (%s); pages load what they need themselves", err)
    started = defaults.measure_ahead()
    if started:
        log.warning("explorer: measuring ahead, one at a time, kept when done: %s", ", ".join(started))


def start() -> bool:
    """Start the warm-up thread once per process (not under EXPLORER_WARM=0); True if it started."""
    if os.environ.get("EXPLORER_WARM", "1") == "0" or _started.is_set():
        return False
    _started.set()
    threading.Thread(target=_run, name="explorer-warm", daemon=True).start()
    return True
