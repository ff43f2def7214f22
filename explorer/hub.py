"""Decide once, quickly, whether the model hub can be reached, before transformers is imported.

huggingface_hub reads HF_HUB_OFFLINE when it is first imported; without it an unreachable hub
costs about 45 s of retries per load. So `prepare()` runs first thing in the app and in the CLI.
"""

from __future__ import annotations

import fnmatch
import functools
import math
import os
import re
import socket
import threading
import time
from collections.abc import Callable
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
WEIGHTS, FALLBACK_WEIGHTS = "*.safetensors", "pytorch_model*.bin"


def fetch(repo_id: str, weights: bool = True) -> str:
    """Download a repo's tokenizer files (and weights) into the hub cache; the snapshot folder.

    Checked first (check_model): nothing is downloaded that the server does not allow. Called with no
    lock held: a download can take minutes, and other sessions build models meanwhile; only the build
    from the downloaded files takes the build lock (models.exclusive).
    """
    from huggingface_hub import snapshot_download

    check_model(repo_id)
    wanted = [*SMALL_FILES, WEIGHTS] if weights else list(SMALL_FILES)
    top = ["*/*"]  # from_pretrained reads the top folder: no checkpoints or ONNX copies in subfolders
    folder = snapshot_download(repo_id, allow_patterns=wanted, ignore_patterns=top)
    if weights and not any(Path(folder).glob(WEIGHTS)):
        bins = [*SMALL_FILES, FALLBACK_WEIGHTS]
        folder = snapshot_download(repo_id, allow_patterns=bins, ignore_patterns=top)
    return folder


# What a visitor may load: a size cap checked before any download, and an optional list of hub ids.
MAX_BYTES_ENV, MAX_BYTES = "EXPLORER_MAX_MODEL_BYTES", 4_000_000_000
ALLOWED_ENV = "EXPLORER_ALLOWED_MODELS"  # hub ids or fnmatch patterns, comma- or os.pathsep-separated
FileSizes = dict[str, int | None]  # a repo's files, relative to its top: name -> bytes (None: unknown)


class ModelRefused(ValueError):
    """A model the server does not load; `kind` is "not_listed", "too_big" or "unknown_size"."""

    def __init__(self, kind: str, name: str, size: int = 0, limit: int = 0) -> None:
        self.kind, self.name, self.size, self.limit = kind, name, size, limit
        super().__init__(f"{name}: refused ({kind}, {size:,} bytes, limit {limit:,})")


def max_model_bytes() -> int:
    """EXPLORER_MAX_MODEL_BYTES (bytes, 4e9 is fine); unset, not a number or not above 0: MAX_BYTES,
    as for the run limits (explorer/limits.py)."""
    try:
        value = float(os.environ.get(MAX_BYTES_ENV, "").strip())
    except ValueError:
        return MAX_BYTES
    return int(value) if 0 < value < math.inf else MAX_BYTES


def allowed_patterns() -> tuple[str, ...]:
    """EXPLORER_ALLOWED_MODELS as patterns; () when unset, which allows any hub id."""
    listed = re.split(rf"[,\s{re.escape(os.pathsep)}]+", os.environ.get(ALLOWED_ENV, ""))
    return tuple(p.lower() for p in listed if p)


def loaded_files(files: FileSizes) -> FileSizes:
    """The files fetch() downloads and from_pretrained reads: the top folder's small files and
    safetensors, or its PyTorch weights when it has no safetensors."""
    top = {name: size for name, size in files.items() if "/" not in name}
    weights = WEIGHTS if any(fnmatch.fnmatch(n, WEIGHTS) for n in top) else FALLBACK_WEIGHTS
    return {n: s for n, s in top.items() if any(fnmatch.fnmatch(n, p) for p in (*SMALL_FILES, weights))}


def folder_files(folder: str | Path) -> FileSizes:
    """A folder's top-level files and their sizes on disk (symlinks followed: the hub cache's blobs)."""
    return {entry.name: entry.stat().st_size for entry in Path(folder).iterdir() if entry.is_file()}


def hub_files(repo_id: str) -> FileSizes:
    """A hub repo's files and sizes from its metadata, without downloading any (one request)."""
    from huggingface_hub import HfApi

    info = HfApi().model_info(repo_id, files_metadata=True, timeout=10)
    return {sibling.rfilename: sibling.size for sibling in info.siblings or ()}


def cached_folder(repo_id: str) -> Path | None:
    """The hub cache's snapshot of `repo_id` on this machine, if it holds one (no network)."""
    from huggingface_hub import try_to_load_from_cache

    config = try_to_load_from_cache(repo_id, "config.json")
    return Path(config).parent if isinstance(config, str) else None


@functools.lru_cache(maxsize=256)
def _listed(repo_id: str, files_of: Callable[[str], FileSizes]) -> tuple[tuple[str, int | None], ...]:
    """files_of(repo_id), kept for the process: every rerun of a page checks its model field again.
    A lookup that fails raises and is not kept."""
    return tuple(files_of(repo_id).items())


@functools.cache
def default_ids() -> frozenset[str]:
    """The hub ids the pages use when nobody types anything: always allowed, never looked up."""
    from explorer import registry

    names = {family.hub_id for family in registry.FAMILIES.values()}
    return frozenset(names | {name for choice in registry.TOKENIZER_CHOICES for name in choice.alternatives})


def check_model(
    name: str, folder: Path | None = None, files_of: Callable[[str], FileSizes] | None = None
) -> None:
    """Raise ModelRefused unless the server allows loading `name` (a hub id, or `folder` on disk).

    A folder is measured on disk. A hub id must match EXPLORER_ALLOWED_MODELS (when set) and is
    measured from `files_of` (default hub_files: the hub's metadata) before anything downloads; when
    the hub cannot be reached nothing downloads, so only a copy already in the hub cache is measured
    (on disk). The pages' defaults pass unchecked.
    """
    if folder is None and name in default_ids():
        return
    patterns = allowed_patterns()
    if folder is None and patterns and not any(fnmatch.fnmatch(name.lower(), p) for p in patterns):
        raise ModelRefused("not_listed", name)
    sizes = folder_files(folder) if folder is not None else _hub_sizes(name, files_of or hub_files)
    if sizes is None:
        return
    wanted = loaded_files(sizes)
    if any(size is None for size in wanted.values()):
        raise ModelRefused("unknown_size", name, limit=max_model_bytes())
    total = sum(wanted.values())
    if total > max_model_bytes():
        raise ModelRefused("too_big", name, total, max_model_bytes())


def _hub_sizes(name: str, files_of: Callable[[str], FileSizes]) -> FileSizes | None:
    """The repo's file sizes: from the hub when it answers, else from the hub cache on disk; None when
    neither has it (offline and not cached: nothing can be downloaded or loaded from the hub)."""
    if reachable():
        try:
            return dict(_listed(name, files_of))
        except Exception as err:  # not found, gated, private, a server error: its size is unknown
            if not is_network_error(err):
                raise ModelRefused("unknown_size", name, limit=max_model_bytes()) from err
            mark_unreachable(str(err)[:300])
    cached = cached_folder(name)
    return folder_files(cached) if cached is not None else None


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
