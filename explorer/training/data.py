"""Fine-tuning data with one record type per task, from the hub (`datasets`) or local files in the
original formats (CoLA's raw TSV, SQuAD v1.1 JSON), checked on the way in."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

from explorer import paths
from explorer.offline import ASSETS, cache_dir
from explorer.paths import DATA_ENV
from explorer.registry import TASKS

SPLIT_FILES = {
    "cola": {"train": "train.tsv", "dev": "dev.tsv"},
    "squad": {"train": "train.json", "dev": "dev.json"},
}
MAX_DATA_BYTES = 256 * 2**20  # a local split file; SQuAD v1.1's train set, the largest, is 30 MB
CACHED_BYTES = 8 * 2**20  # files up to this size stay read (CoLA's, SQuAD's dev set): pages reread them
SAMPLE_ROOT = ASSETS / "data"  # the small bundled samples (explorer/training/samples.py), a folder per task
SUFFIXES = {task: Path(files["train"]).suffix for task, files in SPLIT_FILES.items()}


class DataError(ValueError):
    """Data that cannot be used, with a message saying where and why. `kind` and `facts` name the
    problem for a page to say in its own language (assets/i18n/*/finetune.toml, [upload])."""

    def __init__(self, message: str, kind: str = "", **facts: object) -> None:
        super().__init__(message)
        self.kind = kind
        self.facts = facts


@dataclass(frozen=True)
class LabelledText:
    """A sentence (or pair) with a class label: CoLA and the other GLUE classification tasks."""

    text: str
    label: int
    text_pair: str | None = None


@dataclass(frozen=True)
class Answer:
    text: str
    start: int  # character offset into the context


@dataclass(frozen=True)
class QAExample:
    """A SQuAD question about a context, with its gold answers (1 to 5 in the dev set)."""

    id: str
    title: str
    context: str
    question: str
    answers: tuple[Answer, ...]


def _text(payload: bytes, name: str) -> str:
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{name}: not UTF-8 text", "not_text", name=name) from None


def read_cola_tsv(path: Path) -> list[LabelledText]:
    """CoLA's raw TSV: source, label (1 acceptable / 0 not), original mark, sentence; no header."""
    return parse_cola(_text(path.read_bytes(), path.name), path.name)


def parse_cola(text: str, name: str) -> list[LabelledText]:
    """CoLA's raw TSV (4 columns, no header: source, label, mark, sentence), or a TSV whose header
    names a `sentence` and a `label` column (GLUE's export); labels 0/1, no empty sentence."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    try:
        rows = [(n, row) for n, row in enumerate(reader, 1) if row]  # a blank line is no row
    except csv.Error as err:  # a field past csv's limit
        raise DataError(f"{name}: not CoLA's TSV ({err})", "not_tsv", name=name) from None
    if not rows:
        raise DataError(f"{name}: no sentences", "empty", name=name)
    header = [cell.strip().lower() for cell in rows[0][1]]
    sentence, label, width = 3, 1, 4
    if "sentence" in header and "label" in header:
        sentence, label, width = header.index("sentence"), header.index("label"), len(header)
        rows = rows[1:]
    if not rows:
        raise DataError(f"{name}: no sentences", "empty", name=name)
    return [_cola_row(row, name, n, width, sentence, label) for n, row in rows]


def _cola_row(row: list[str], name: str, line: int, width: int, sentence: int, label: int) -> LabelledText:
    where = f"{name} line {line}"
    if len(row) != width:
        raise DataError(
            f"{where}: expected {width} tab-separated columns, found {len(row)}",
            "columns",
            name=name,
            line=line,
            found=len(row),
            expected=width,
        )
    if row[label] not in {"0", "1"}:
        raise DataError(
            f"{where}: label {row[label]!r} is not 0 or 1 (CoLA has two classes)",
            "label",
            name=name,
            line=line,
            label=row[label][:20],
        )
    if not row[sentence].strip():
        raise DataError(f"{where}: the sentence is empty", "empty_sentence", name=name, line=line)
    return LabelledText(row[sentence], int(row[label]))


def _answers(record: dict, context: str, name: str, question: str) -> tuple[Answer, ...]:
    answers = []
    for answer in record.get("answers", []):
        text, start = answer["text"], int(answer["answer_start"])
        if context[start : start + len(text)] != text:
            raise DataError(
                f"{name}, question {question}: answer_start {start} does not point at {text!r} in its "
                "context",
                "answer_start",
                name=name,
                question=question,
                start=start,
                answer=text[:80],
            )
        answers.append(Answer(text, start))
    return tuple(answers)


def read_squad_json(path: Path) -> list[QAExample]:
    """SQuAD v1.1 JSON (data -> paragraphs -> qas -> answers); every answer_start is checked."""
    return parse_squad(_text(path.read_bytes(), path.name), path.name)


def parse_squad(text: str, name: str) -> list[QAExample]:
    """SQuAD v1.1 JSON from text: every field there, every answer_start on its answer's text, every
    question answered, at least one question."""
    try:
        body = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError(f"{name}: not JSON ({err})", "not_json", name=name, line=err.lineno) from None
    try:
        examples = _squad_examples(body, name)
    except DataError:
        raise
    except KeyError as err:
        key = str(err.args[0])[:40]
        raise DataError(
            f"{name}: not SQuAD v1.1 JSON (no {key!r} field)", "missing_key", name=name, key=key
        ) from None
    except (TypeError, ValueError, AttributeError) as err:  # a list where a dict belongs, say
        raise DataError(
            f"{name}: not SQuAD v1.1 JSON ({type(err).__name__}: {err})", "not_squad", name=name
        ) from None
    if not examples:
        raise DataError(f"{name}: no questions", "empty", name=name)
    return check_answered(examples, name)


def _squad_examples(body: dict, name: str) -> list[QAExample]:
    examples = []
    for article in body["data"]:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                answers = _answers(qa, context, name, str(qa["id"]))
                examples.append(
                    QAExample(qa["id"], article.get("title", ""), context, qa["question"], answers)
                )
    return examples


def check_answered(examples: list[QAExample], where: str) -> list[QAExample]:
    """`examples`, when every question has a gold answer (SQuAD v1.1 gives each 1 to 5); else a
    DataError that counts those without, before any training (SQuAD 2.0's unanswerable ones, say)."""
    unanswered = [ex.id for ex in examples if not ex.answers]
    if unanswered:
        raise DataError(
            f"{where}: {len(unanswered):,} of {len(examples):,} questions have no answer (SQuAD v1.1 "
            f"gives each at least one), e.g. {unanswered[0]!r}; remove them or use SQuAD v1.1",
            "unanswered",
            name=where,
            n=len(unanswered),
            total=len(examples),
        )
    return examples


def write_cola_tsv(rows: list[LabelledText], path: Path) -> None:
    """CoLA's raw TSV as read_cola_tsv reads it; the source column says the rows came from GLUE."""
    lines = []
    for row in rows:
        text = " ".join(row.text.split())  # a tab or newline inside a sentence would break the columns
        lines.append(f"glue\t{row.label}\t{'' if row.label else '*'}\t{text}\n")
    path.write_text("".join(lines), encoding="utf-8")


def write_squad_json(examples: list[QAExample], path: Path) -> None:
    """SQuAD v1.1 JSON as read_squad_json reads it: questions grouped by article, then by context."""
    articles: dict[str, dict[str, list]] = {}
    for ex in examples:
        qa = {
            "id": ex.id,
            "question": ex.question,
            "answers": [{"text": a.text, "answer_start": a.start} for a in ex.answers],
        }
        articles.setdefault(ex.title, {}).setdefault(ex.context, []).append(qa)
    body = {
        "version": "1.1",
        "data": [
            {"title": title, "paragraphs": [{"context": c, "qas": qas} for c, qas in paragraphs.items()]}
            for title, paragraphs in articles.items()
        ],
    }
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")


WRITERS = {"cola": write_cola_tsv, "squad": write_squad_json}


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
    candidates = (
        [Path(os.environ[DATA_ENV]).expanduser() / TASKS[task].local_dir] if DATA_ENV in os.environ else []
    )
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
    text = _text(payload, name)
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
