"""Fine-tuning data with one record type per task, from the hub (`datasets`) or local files in the
original formats (CoLA's raw TSV, SQuAD v1.1 JSON), checked on the way in."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from explorer import paths
from explorer.offline import ASSETS, cache_dir
from explorer.paths import DATA_ENV
from explorer.registry import TASKS
from explorer.training.formats import (  # the formats' names, for the callers that know them as data.*
    WRITERS,
    Answer,
    DataError,
    LabelledText,
    QAExample,
    check_answered,
    decode_text,
    parse_cola,
    parse_squad,
    read_cola_tsv,
    read_squad_json,
)

SPLIT_FILES = {
    "cola": {"train": "train.tsv", "dev": "dev.tsv"},
    "squad": {"train": "train.json", "dev": "dev.json"},
}
MAX_DATA_BYTES = 256 * 2**20  # a local split file; SQuAD v1.1's train set, the largest, is 30 MB
CACHED_BYTES = 8 * 2**20  # files up to this size stay read (CoLA's, SQuAD's dev set): pages reread them
SAMPLE_ROOT = ASSETS / "data"  # the small bundled samples (explorer/training/samples.py), a folder per task


def save_local(task: str, folder: Path | None = None, load=None) -> Path:
    """Write the task's hub train and dev splits in the original formats into `folder` (default: the
    prefetch folder), where default_dir finds them offline. Returns the folder."""
    folder = folder or prefetch_dir(task)
    folder.mkdir(parents=True, exist_ok=True)
    for split, name in SPLIT_FILES[task].items():
        WRITERS[task]((load or load_hub)(task, split), folder / name)
    return folder


def prefetch_dir(task: str) -> Path:
    """Where a prefetch of the task's data is kept for offline use: <cache>/data/<task>."""
    return cache_dir() / "data" / TASKS[task].local_dir


def default_dir(task: str) -> Path | None:
    """The first folder that holds the task's training file: $EXPLORER_DATA/<task>, then the prefetch
    folder; None when neither does (a path that does not exist is never offered as a default)."""
    if not TASKS[task].local:
        return None
    named = os.environ.get(DATA_ENV)  # read once: a check, then a read, can straddle another thread's change
    candidates = [Path(named).expanduser() / TASKS[task].local_dir] if named is not None else []
    for folder in [*candidates, prefetch_dir(task)]:
        if (folder / SPLIT_FILES[task]["train"]).is_file():
            return folder
    return None


def sample_dir(task: str) -> Path | None:
    """The bundled sample's folder (assets/data/<task>, see its README), None for a task without one."""
    folder = SAMPLE_ROOT / TASKS[task].local_dir if TASKS[task].local else None
    return folder if folder and (folder / SPLIT_FILES[task]["train"]).is_file() else None


def check_size(name: str, size: int, limit: int) -> None:
    """Refuse a file of more than `limit` bytes, before any of it is read."""
    if size > limit:
        raise DataError(
            f"{name}: {size:,} bytes; an upload here holds at most {limit:,}",
            "too_big",
            name=name,
            size=size,
            limit=limit,
        )


def read_upload(task: str, name: str, payload: bytes, limit: int) -> list:
    """The records of an uploaded file: at most `limit` bytes (checked before parsing), UTF-8 text,
    the task's original format, checked as a local file is."""
    check_size(name, len(payload), limit)
    text = decode_text(payload, name)
    return parse_cola(text, name) if task == "cola" else parse_squad(text, name)


def save_split(task: str, split: str, records: list, folder: Path) -> Path:
    """Write a split's records into `folder` in the task's original format, as load_local reads it."""
    path = folder / SPLIT_FILES[task][split]
    WRITERS[task](records, path)
    return path


def _local_file(task: str, split: str, data_dir: str | Path | None) -> Path:
    """The split's file: in a named folder (or that file) inside the allowed roots, checked down to the
    file itself (a symlink out raises PathNotAllowed), else in default_dir(task). A named file must be
    of the split's kind (its suffix) and at most MAX_DATA_BYTES, checked before it is opened."""
    folder = paths.resolve(data_dir) if data_dir else default_dir(task)
    if folder is None:
        raise DataError(f"no local {task} data: name a folder, or set {DATA_ENV}")
    expected = SPLIT_FILES[task][split]
    path = folder / expected if folder.is_dir() else folder
    if data_dir:
        path = paths.resolve(path)
    if not path.is_file():
        raise DataError(f"{path}: no {task} {split} file here (expected {expected})")
    if path.suffix.lower() != Path(expected).suffix:
        raise DataError(f"{path.name}: not a {task} file (expected {Path(expected).suffix}, like {expected})")
    if path.stat().st_size > MAX_DATA_BYTES:
        raise DataError(
            f"{path.name}: {path.stat().st_size:,} bytes; a {task} file here holds at most {MAX_DATA_BYTES:,}"
        )
    return path


def load_local(task: str, split: str, data_dir: str | Path | None = None) -> list:
    """A split from a local folder (default: default_dir(task)) or file in the original format; read
    again only when the file has changed (a page's reruns and a launch's check share one read)."""
    path = _local_file(task, split, data_dir)
    stat = path.stat()
    read = _read if stat.st_size <= CACHED_BYTES else _read.__wrapped__  # a big one: read per launch
    return list(read(task, path, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=4)
def _read(task: str, path: Path, mtime_ns: int, size: int) -> tuple:
    """The records of one file as it was at (mtime_ns, size)."""
    return tuple(read_cola_tsv(path) if task == "cola" else read_squad_json(path))


def load_hub(task: str, split: str) -> list:
    """The same records from the hub: GLUE cola (validation = dev) or squad; needs the network."""
    import datasets

    path, config = TASKS[task].hub_dataset
    name = {"train": "train", "dev": TASKS[task].dev_split}[split]
    try:
        rows = datasets.load_dataset(path, config or None, split=name)
    except Exception as err:  # datasets raises many types for network and naming problems
        raise DataError(f"{path}/{config}: could not load from the hub ({err})") from None
    if task == "squad":
        examples = [
            QAExample(
                r["id"],
                r["title"],
                r["context"],
                r["question"],
                tuple(
                    Answer(t, s)
                    for t, s in zip(r["answers"]["text"], r["answers"]["answer_start"], strict=True)
                ),
            )
            for r in rows
        ]
        return check_answered(examples, f"{path}/{config} {name}")
    fields = TASKS[task].text_fields
    return [
        LabelledText(r[fields[0]], int(r["label"]), r[fields[1]] if len(fields) > 1 else None) for r in rows
    ]


def load(task: str, split: str, source: str = "local", data_dir: str | Path | None = None) -> list:
    """Records of a task's split from "local" files or the "hub"."""
    if task not in TASKS:
        raise DataError(f"unknown task {task!r}; known: {', '.join(TASKS)}")
    return load_hub(task, split) if source == "hub" else load_local(task, split, data_dir)


def spread(records: list, n: int) -> list:
    """n records taken in turn from each group (a SQuAD article; one group otherwise), so a sample of
    the dev set covers every article instead of the first one; order within a group is kept."""
    groups: dict[str, list] = {}
    for record in records:
        groups.setdefault(getattr(record, "title", ""), []).append(record)
    picked, queues = [], [iter(g) for g in groups.values()]
    while len(picked) < min(n, len(records)):
        for queue in queues:
            record = next(queue, None)
            if record is not None and len(picked) < n:
                picked.append(record)
    return picked
