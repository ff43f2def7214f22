"""CoLA's and SQuAD's original formats, read from text and checked (CoLA's raw TSV or a TSV with a
sentence/label header; SQuAD v1.1 JSON) and written back; one record type per task."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path


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


def decode_text(payload: bytes, name: str) -> str:
    """The file's text (UTF-8, a byte-order mark dropped); a DataError when it is not text."""
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{name}: not UTF-8 text", "not_text", name=name) from None


def read_cola_tsv(path: Path) -> list[LabelledText]:
    """CoLA's raw TSV: source, label (1 acceptable / 0 not), original mark, sentence; no header."""
    return parse_cola(decode_text(path.read_bytes(), path.name), path.name)


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
    return parse_squad(decode_text(path.read_bytes(), path.name), path.name)


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
            f"{name}: not SQuAD v1.1 JSON (no {key!r} field)", "missing_key", name=name, field=key
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
