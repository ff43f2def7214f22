"""Decide once, quickly, whether the model hub can be reached, before transformers is imported.

huggingface_hub reads HF_HUB_OFFLINE when it is first imported; without it an unreachable hub
costs about 45 s of retries per load. So `prepare()` runs first thing in the app and in the CLI.
"""

from __future__ import annotations

import functools
import os
import socket
import threading
import time
from pathlib import Path

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
    """True when the hub answered at start and nothing forces offline mode."""
    if _truthy(FORCE_OFFLINE) or _truthy("HF_HUB_OFFLINE"):
        return False
    return _can_connect(HUB_HOST, 443, timeout)


RETRY_S = 300.0  # a hub given up on is tried again after this long
_lost: list[tuple[str, float]] = []  # (why, when) the hub was given up on after start, if it was


def reachable() -> bool:
    """hub_online(), unless the hub has stopped answering in the last RETRY_S seconds."""
    if _lost and time.monotonic() - _lost[0][1] > RETRY_S:
        _lost.clear()
    return not _lost and hub_online()


def mark_unreachable(reason: str) -> None:
    """The hub stopped answering mid-session: later loads go straight to the offline sources."""
    _lost[:] = [(reason, time.monotonic())]


def lost_reason() -> str:
    """Why the hub was given up on after start ("" while it is fine)."""
    return _lost[0][0] if _lost else ""


def is_network_error(err: BaseException) -> bool:
    """True for a failure to reach the hub (refused, timed out, no route), not for a missing repo."""
    seen: BaseException | None = err
    while seen is not None:
        name, text = type(seen).__name__, str(seen)
        if "Timeout" in name or "ConnectError" in name or name == "ConnectionError":
            return True
        if "couldn't connect to" in text or "Connection refused" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# What from_pretrained reads: configs, vocabularies, merges and SentencePiece models, and weights as
# safetensors (PyTorch .bin only for a repo without them); never TF, Flax, ONNX or other copies.
SMALL_FILES = ("*.json", "*.txt", "*.model")


def fetch(repo_id: str, weights: bool = True) -> str:
    """Download a repo's tokenizer files (and weights) into the hub cache; the snapshot folder.

    Called with no lock held: a download can take minutes, and other sessions build models meanwhile;
    only the build from the downloaded files takes the build lock (models.exclusive).
    """
    from huggingface_hub import snapshot_download

    wanted = [*SMALL_FILES, "*.safetensors"] if weights else list(SMALL_FILES)
    top = ["*/*"]  # from_pretrained reads the top folder: no checkpoints or ONNX copies in subfolders
    folder = snapshot_download(repo_id, allow_patterns=wanted, ignore_patterns=top)
    if weights and not any(Path(folder).glob("*.safetensors")):
        bins = [*SMALL_FILES, "pytorch_model*.bin"]
        folder = snapshot_download(repo_id, allow_patterns=bins, ignore_patterns=top)
    return folder


def prepare() -> bool:
    """Probe the hub once and set HF_HUB_OFFLINE=1 when it is unreachable; return hub_online()."""
    online = hub_online()
    if not online:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # A hub that stops answering later costs each request this long before the fallback (default 10 s).
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "3")
    return online
