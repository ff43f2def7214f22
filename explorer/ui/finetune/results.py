"""What a finished fine-tune shows: its task's own metric first, honest times, the dev predictions,
and boxes to try the trained model on your own sentence or question."""

from __future__ import annotations

import html
import json

import pandas as pd
import streamlit as st

from explorer import registry
from explorer.training import data, predict
from explorer.training.finetune import FinetuneResult
from explorer.ui import layout, projector
from explorer.ui.export import render_chart
from explorer.ui.finetune import jobs
from explorer.ui.lang import t
from explorer.ui.markdown import literal
from explorer.ui.tables import render_table
from explorer.views import charts, room

TABLE_PX = 420  # the misclassified sentences beside the confusion matrix at 1280 x 720

METRIC_LABELS = {"mcc": "MCC", "accuracy": "ft.accuracy", "f1": "F1", "exact_match": "ft.em"}


def metric_cards(task_key: str, scores: dict[str, float]) -> list[tuple[str, str]]:
    """(label key, shown value) per metric, the task's own metric (Task.metric) first."""
    own = registry.TASKS[task_key].metric
    order = [own, *(k for k in scores if k != own)]
    percent = task_key == "squad"  # SQuAD's scores are already percentages
    return [
        (
            METRIC_LABELS[k],
            f"{scores[k]:.1f}" if percent else f"{scores[k]:.1%}" if k == "accuracy" else f"{scores[k]:.3f}",
        )
        for k in order
        if k in scores
    ]


def _label(key: str) -> str:
    return t(key) if key.startswith("ft.") else key


def trained_class(job: jobs.Job) -> str:
    """The transformers class the run trained, as its saved config names it ("" when unknown)."""
    try:
        config = json.loads((job.folder / "model" / "config.json").read_text(encoding="utf-8"))
    except (OSError, TypeError, ValueError):
        return ""
    return (config.get("architectures") or [""])[0]


def render_header(result: FinetuneResult, job: jobs.Job) -> None:
    """Scores of the returned model, the model actually trained (and its class), and what each time
    includes."""
    st.subheader(t("ft.results"))
    st.caption(t("ft.from_model", source=layout.describe(result.source)))
    cls = trained_class(job)
    if cls:
        st.caption(t("ftdata.trained_class", cls=cls))
    if result.stopped:
        where = f"limits.ft_{result.limit}" if result.limit else "ft.stopped"
        st.warning(t(where, step=result.evaluations[-1].step, value=result.limit_value))
    cards = metric_cards(result.config.task, result.final)
    cols = st.columns(len(cards) + 2)
    for col, (label, value) in zip(cols, cards, strict=False):
        col.metric(_label(label), value)
    cols[-2].metric(t("ft.time"), f"{result.train_seconds:.0f} s", help=t("ft.time_help"))
    cols[-1].metric(t("ft.speed"), f"{result.samples_per_s:.1f}")
    st.caption(
        t(
            "ft.times",
            train=result.train_seconds,
            eval=result.eval_seconds,
            total=result.seconds,
            n=len(result.evaluations),
            device=result.device or "?",
        )
    )


def render_classification(result: FinetuneResult, job: jobs.Job, class_names: list[str]) -> None:
    """Scores, confusion matrix, misclassified dev sentences, and a box for your own sentence."""
    render_header(result, job)
    report = result.report
    frame = pd.DataFrame(
        [
            {"true": class_names[i], "predicted": class_names[j], "count": report.confusion[i][j]}
            for i in range(len(report.confusion))
            for j in range(len(report.confusion))
        ]
    )
    chart = charts.confusion_chart(frame, t("ft.predicted"), t("ft.true"), projector.scale())
    row = st.container(horizontal=True, gap="medium")  # the table below the matrix where both do not fit
    left, right = row.container(width=room.box_width(chart)), row.container(width=TABLE_PX)
    task = result.config.task
    render_chart(chart, f"{task}_confusion", t("notice.confusion"), where=left, width="content")
    wrong = [
        {
            t("ft.sentence"): text,
            t("ft.true"): class_names[y],
            t("ft.predicted"): class_names[p],
            t("ft.confidence"): round(c, 3),
        }
        for text, y, p, c in zip(
            report.texts, report.labels, report.predicted, report.confidence, strict=True
        )
        if y != p
    ]
    right.markdown(t("ft.misclassified", n=len(wrong), total=len(report.labels)))
    render_table(pd.DataFrame(wrong), hide_index=True, height=260, where=right)
    sentence = st.text_input(t("ft.own_sentence"), key="ft_own_sentence")
    if sentence.strip():
        model, tokenizer = job.trained()
        probs = predict.classify(model, tokenizer, sentence, result.config.max_length)
        bars = pd.DataFrame({"token": class_names, "probability": probs})
        chart = charts.probability_chart(bars, t("ft.probability"))
        render_chart(chart, f"{task}_own_sentence", t("notice.own_sentence"), width="stretch")


def highlight(context: str, start: int, end: int) -> str:
    """The context with [start, end) marked, every character escaped."""
    before, span, after = (html.escape(p) for p in (context[:start], context[start:end], context[end:]))
    return f'<div style="line-height:1.7">{before}<mark style="background:#ffe08a">{span}</mark>{after}</div>'


@st.cache_data(show_spinner=False, max_entries=4)
def get_dev(task: str, source: str, data_dir: str) -> list:
    """A task's dev records, read once per source (the hub's copy or a local folder)."""
    return data.load(task, "dev", source, data_dir or None)


def render_qa(result: FinetuneResult, job: jobs.Job) -> None:
    """Exact match and F1, a dev question's predicted span in its context beside the gold answers,
    and a box to ask your own question about your own paragraph."""
    render_header(result, job)
    examples = get_dev("squad", result.config.source, result.config.data_dir)
    spans = result.report.spans
    shown = [e for e in examples if e.id in spans][:300]
    pick = st.selectbox(
        t("ft.question"),
        range(len(shown)),
        format_func=lambda i: f"{shown[i].title} · {shown[i].question}",
        key="ft_q",
    )
    example, span = shown[pick], spans[shown[pick].id]
    left, right = st.columns([3, 1])
    left.html(highlight(example.context, span.start, span.end))
    right.markdown(t("ft.prediction", text=literal(span.text) or "∅"))
    right.markdown(t("ft.gold") + "\n" + "\n".join(f"- {literal(a.text)}" for a in example.answers))
    st.markdown(f"**{t('ft.own_title')}**")
    paragraph = st.text_area(t("ft.own_paragraph"), example.context, key="ft_own_paragraph", height=140)
    question = st.text_input(t("ft.own_question"), key="ft_own_question")
    if question.strip():
        model, tokenizer = job.trained()
        c = result.config
        try:
            own = predict.answer(model, tokenizer, question, paragraph, c.max_length, c.stride)
        except ValueError as err:
            st.info(literal(err))
        else:
            st.html(highlight(paragraph, own.start, own.end))
