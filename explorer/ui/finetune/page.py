"""One shape for every fine-tune page (CoLA, SQuAD, GLUE): title, intro, settings, launch, the run
live, then its results; the GLUE page adds its table of tasks and a task picker on top."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer import registry
from explorer.ui import layout
from explorer.ui.finetune import data_views, results, runs
from explorer.ui.lang import labels, t
from explorer.ui.tables import render_table

GLUE = ("cola", "sst2", "mrpc", "stsb", "qqp", "mnli", "qnli", "rte", "wnli")


def where(key: str) -> str:
    """Where a GLUE task runs here: offline from local files, with the hub, or not at all."""
    task = registry.TASKS.get(key)
    return "glue.not_wired" if task is None else "glue.offline" if task.local else "glue.hub"


def _pick_glue_task() -> str:
    """The nine GLUE tasks as a table, then a picker over the ones that can run here."""
    rows = [
        {
            t("glue.col_task"): t(f"glue.{key}_name"),
            t("glue.col_tests"): t(f"glue.{key}_tests"),
            t("glue.col_size"): t(f"glue.{key}_size"),
            t("glue.col_metric"): t(f"glue.{key}_metric"),
            t("glue.col_here"): t(where(key)),
        }
        for key in GLUE
    ]
    render_table(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.subheader(t("glue.run_title"))
    runnable = [k for k in GLUE if k in registry.TASKS and (registry.TASKS[k].local or layout.online())]
    names = labels("glue.{}_name", runnable)
    task = st.selectbox(t("glue.pick"), runnable, format_func=names, key="glue_task")
    if not layout.online():
        st.caption(t("glue.offline_note"))
    return task


def _class_names(task: str) -> list[str]:
    if task == "cola":
        return [t("cola.unacceptable"), t("cola.acceptable")]
    return [str(i) for i in range(registry.TASKS[task].num_labels)]


def render_finetune_page(page: str, heading: bool = True) -> None:
    """Draw a whole fine-tune page: `page` is a task key ("cola", "squad") or "glue" (task picked);
    without its title and intro when `heading` is False (in the tour)."""
    if heading:
        st.title(t(f"page.{page}"))
        st.markdown(t(f"{page}.intro"))
    if page == "glue":
        task = _pick_glue_task()
    else:
        runs.device_note()
        task = page
    figure = st.container()  # the training data at a glance, above the settings that choose it
    config = runs.render_settings(task)
    if config is not None and config.source == "local":
        with figure:
            data_views.render_preview(task, config.data_dir)
    runs.render_launch(config, page)
    runs.render_live(page)
    done = runs.finished(page)
    if done is None or done[0].config.task != task:
        return
    if task == "squad":
        results.render_qa(*done)
    else:
        results.render_classification(*done, _class_names(task))
