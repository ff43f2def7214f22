"""The fine-tune pages' data: the uploader with its checks (one message per bad file, in the page's
language), and the training data at a glance before any run (a few rows and their counts), saying
where it comes from: a folder, an upload, or the small sample shipped in assets/data/."""

from __future__ import annotations

import math
import shutil
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from explorer import limits, offline, registry
from explorer.training import data
from explorer.training.finetune import folders
from explorer.ui.export import render_chart
from explorer.ui.finetune import jobs
from explorer.ui.lang import t
from explorer.ui.markdown import literal
from explorer.ui.tables import render_table
from explorer.views import datasets

UPLOADS = (
    "uploads"  # under the cache folder, an allowed root (explorer/paths.py): the run's child reads there
)
TYPES = {"cola": ["tsv", "txt"], "squad": ["json"]}
ROWS = 8  # rows of the training data shown before a run
WORDS = 8  # question words counted (SQuAD)


@dataclass(eq=False)
class Checked:
    """One session's upload of a task as checked: the files' ids, then either the messages for the
    bad files or the folder the run reads (removed when this is dropped)."""

    key: tuple[str, str]
    errors: list[str] = field(default_factory=list)
    folder: Path | None = None
    names: tuple[str, str] = ("", "")  # the uploaded train and dev files ("" = the sample's dev set)


def say(err: data.DataError) -> str:
    """A data error in the page's language: its kind's text, the user's text escaped; else its words."""
    if not err.kind:
        return literal(err)
    facts = {k: literal(v) if isinstance(v, str) else v for k, v in err.facts.items()}
    if err.kind == "too_big":
        facts.update(size=_mb(err.facts["size"]), limit=_mb(err.facts["limit"]))
    return t(f"ftdata.{err.kind}", **facts)


def _mb(n: object) -> str:
    return f"{int(n) / 2**20:,.1f}"


def render_upload(task: registry.Task) -> str | None:
    """A training file and an optional dev file, checked; the folder a run reads them from (in the
    task's original format), or None with one message per bad file."""
    limit = limits.current().upload_bytes
    kind = t(f"ftdata.kind_{task.key}")
    left, right = st.columns(2)
    help_text = t(f"ftdata.help_{task.key}", limit=_mb(limit))
    cap = max(1, math.ceil(limit / 2**20))  # the browser's own refusal, in whole MB; ours is to the byte
    train, dev = (
        where.file_uploader(
            t(f"ftdata.{split}_file", kind=kind),
            TYPES[task.key],
            key=f"ft_up_{split}_{task.key}",
            help=help_text,
            max_upload_size=cap,
        )
        for where, split in ((left, "train"), (right, "dev"))
    )
    if train is None:
        st.info(t("ftdata.none"))
        return None
    checked = _checked(task.key, train, dev, limit)
    for message in checked.errors:
        st.error(message)
    return None if checked.folder is None else str(checked.folder)


def _checked(task: str, train, dev, limit: int) -> Checked:
    """The upload checked once per pair of files (a rerun reuses it): each file's size before it is
    read, then its format; good files are written to a fresh folder under the cache folder."""
    key = (train.file_id, dev.file_id if dev is not None else "")
    held = st.session_state.get(f"ft_upload_{task}")
    if held is not None and held.key == key:
        return held
    checked, records = Checked(key), {}
    for split, file in (("train", train), ("dev", dev)):
        if file is None:
            continue
        try:
            data.check_size(file.name, file.size, limit)
            records[split] = data.read_upload(task, file.name, file.getvalue(), limit)
        except data.DataError as err:
            checked.errors.append(say(err))
    sample = data.sample_dir(task)
    if not checked.errors and "dev" not in records:
        if sample is None:
            checked.errors.append(t("ftdata.needs_dev"))
        else:
            records["dev"] = data.load_local(task, "dev", sample)
    if not checked.errors:
        checked.folder = folders.new_folder(under=offline.cache_dir() / UPLOADS)
        weakref.finalize(checked, shutil.rmtree, checked.folder, True)
        for split, rows in records.items():
            data.save_split(task, split, rows, checked.folder)
        checked.names = (train.name, dev.name if dev is not None else "")
    job = jobs.current()
    if held is not None and job is not None and job.running and job.config.data_dir == str(held.folder):
        st.session_state["ft_upload_in_use"] = held  # a run queued or under way still reads its files
    st.session_state[f"ft_upload_{task}"] = checked  # the one it replaces, and its folder, go
    return checked


def _origin(task: str, folder: str, train: list, dev: list) -> str:
    """Where the data shown comes from, in words: an upload, the bundled sample, or a folder."""
    unit = t(f"ftdata.unit_{task}")
    held = st.session_state.get(f"ft_upload_{task}")
    if held is not None and held.folder is not None and str(held.folder) == folder:
        name, dev_name = (literal(n) for n in held.names)
        dev_from = t("ftdata.dev_own", name=dev_name) if dev_name else t("ftdata.dev_sample")
        return t("ftdata.uploaded", name=name, train=len(train), dev=len(dev), unit=unit, dev_from=dev_from)
    sample = data.sample_dir(task)
    if sample is not None and Path(folder).resolve() == sample.resolve():
        return t("ftdata.sample", train=len(train), dev=len(dev), unit=unit, task=registry.TASKS[task].name)
    return t("ftdata.folder", train=len(train), dev=len(dev), unit=unit, folder=literal(folder))


def render_preview(task: str, folder: str) -> None:
    """The training data at a glance: where it comes from, its first rows, and its counts (labels, or
    the questions' first words) as a chart. Nothing when it cannot be read: the launch says why."""
    try:
        train, dev = (data.load_local(task, split, folder) for split in ("train", "dev"))
    except (data.DataError, ValueError, OSError):  # PathNotAllowed is a ValueError
        return
    st.subheader(t("ftdata.title"))
    st.caption(_origin(task, folder, train, dev))
    if task == "squad":
        rows = [{"title": e.title, "question": e.question, "answer": e.answers[0].text} for e in train[:ROWS]]
        frame = datasets.counts(datasets.first_words(e.question for e in train), top=WORDS)
        x_title = t("ftdata.questions")
    else:
        names = [t("cola.unacceptable"), t("cola.acceptable")]
        rows = [{"sentence": r.text, "label": names[r.label]} for r in train[:ROWS]]
        frame = datasets.counts(names[r.label] for r in train)
        x_title = t("ftdata.sentences")
    table = pd.DataFrame(rows).rename(columns=lambda c: t(f"ftdata.col_{c}"))
    left, right = st.columns([3, 2])
    render_table(table, hide_index=True, width="stretch", where=left)
    chart = datasets.count_chart(frame, x_title)
    render_chart(chart, f"{task}_data_counts", t(f"ftdata.notice_{task}"), where=right, width="stretch")
