"""Decide once, quickly, whether the model hub can be reached, before transformers is imported.

huggingface_hub reads HF_HUB_OFFLINE when it is first imported; without it an unreachable hub
costs about 45 s of retries per load. So `prepare()` runs first thing in the app and in the CLI.
"""

from __future__ import annotations

import functools
import os
import socket
import threading

HUB_HOST = "huggingface.co"
FORCE_OFFLINE = "EXPLORER_OFFLINE"


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _can_connect(host: str, port: int, timeout: float) -> bool:
    """Try a TCP connection in a thread, so a hanging DNS lookup also ends at `timeout`."""
    result: list[bool] = []

    def attempt() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except OSError:
            result.append(False)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(result and result[0])


@functools.cache
def hub_online(timeout: float = 1.5) -> bool:
    """True when the hub is reachable and nothing forces offline mode."""
    if _truthy(FORCE_OFFLINE) or _truthy("HF_HUB_OFFLINE"):
        return False
    return _can_connect(HUB_HOST, 443, timeout)


def prepare() -> bool:
    """Probe the hub once and set HF_HUB_OFFLINE=1 when it is unreachable; return hub_online()."""
    online = hub_online()
    if not online:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    return online
