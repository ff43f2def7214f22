"""Measured sweeps kept on disk, one JSON file per measurement, device and settings, with their date.
Another kind of result (ELECTRA's race) is kept the same way when it has `to_json` and `from_json`.

A sweep that takes a minute is measured once per device and settings and read back on every later
visit, also after the server restarts: <cache>/measurements/<what>-<hash of device and settings>.json
(EXPLORER_MEASUREMENTS moves the folder). A file that cannot be read back (cut short, edited, from
an older version) counts as not kept: the sweep is measured again and the file replaced.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from explorer import device, offline
from explorer.mechanics import cost

ENV_FOLDER = "EXPLORER_MEASUREMENTS"
log = logging.getLogger("explorer.kept")


class Result(Protocol):
    """A kept result other than a sweep: it writes itself as JSON and reads itself back."""

    def to_json(self) -> dict: ...

    @classmethod
    def from_json(cls, data: dict) -> Any: ...


@dataclass(frozen=True)
class Kept:
    """A finished measurement (a sweep, or a Result), where it was measured (the device in words) and
    when (UTC)."""

    result: Any  # cost.Sweep, or the `kind` it was loaded as
    device: str
    measured_at: datetime

    @property
    def sweep(self) -> cost.Sweep:
        return self.result

    @property
    def date(self) -> str:
        return self.measured_at.strftime("%Y-%m-%d %H:%M UTC")


def folder() -> Path:
    """Where kept measurements live: EXPLORER_MEASUREMENTS, else the cache folder's measurements/."""
    return Path(os.environ.get(ENV_FOLDER) or offline.cache_dir() / "measurements")


def this_device() -> str:
    """The device measurements run on, in words: the accelerator's name, or the CPU's model and cores."""
    where = device.pick_device()
    return device.describe_device(where) if where != "cpu" else this_cpu()


def this_cpu() -> str:
    """This machine's CPU in words, its model and cores: where a CPU-only measurement runs."""
    model = ""
    try:
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        model = found.group(1).strip() if found else ""
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"CPU ({model}, {cores} cores)" if model else f"CPU ({cores} cores)"


def path_of(what: str, where: str, settings: tuple) -> Path:
    """The file of one measurement on one device with one set of settings."""
    digest = hashlib.sha256(repr((where, settings)).encode()).hexdigest()[:16]
    return folder() / f"{re.sub(r'[^A-Za-z0-9_]', '_', what)}-{digest}.json"


def load(what: str, where: str, settings: tuple, kind: type[Result] | None = None) -> Kept | None:
    """The kept measurement (a sweep, or a `kind`), or None when there is none or its file cannot be
    read back."""
    path = path_of(what, where, settings)
    try:
        data = json.loads(path.read_text())
        if data["what"] != what or data["where"] != where or data["settings"] != repr(settings):
            return None  # another measurement's file under this name: not ours
        result = kind.from_json(data["result"]) if kind is not None else _sweep(data["sweep"])
        return Kept(result, where, datetime.fromisoformat(data["measured_at"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as err:  # a cut or edited file: measure again
        log.warning("explorer: kept measurement %s unreadable (%s); it will be measured again", path, err)
        return None


def _sweep(data: dict) -> cost.Sweep:
    return cost.Sweep(
        data["device"],
        tuple(cost.Point(**point) for point in data["points"]),
        tuple((str(line), int(n), str(why)) for line, n, why in data["skipped"]),
    )


def save(what: str, where: str, settings: tuple, result: cost.Sweep | Result) -> Kept:
    """Keep a finished sweep or Result (written whole or not at all); a folder that cannot be written
    is logged."""
    kept = Kept(result, where, datetime.now(UTC))
    data = {
        "what": what,
        "where": where,
        "settings": repr(settings),
        "measured_at": kept.measured_at.isoformat(),
    }
    if isinstance(result, cost.Sweep):
        points = [asdict(point) for point in result.points]
        data["sweep"] = {"device": result.device, "points": points, "skipped": result.skipped}
    else:
        data["result"] = result.to_json()
    path = path_of(what, where, settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as out:
            json.dump(data, out, indent=1)
        os.replace(out.name, path)
    except OSError as err:
        log.warning("explorer: could not keep measurement %s (%s)", path, err)
    return kept
