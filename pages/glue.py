"""The nine GLUE tasks: what each tests, its size and metric; the runnable ones wired to the engine."""

import pandas as pd
import streamlit as st

from explorer import registry
from explorer.ui import layout, results, runs
from explorer.ui.lang import t

GLUE = ("cola", "sst2", "mrpc", "stsb", "qqp", "mnli", "qnli", "rte", "wnli")


def where(key: str) -> str:
    """Where a task runs here: offline from local files, with the hub, or not at all."""
    task = registry.TASKS.get(key)
    return "glue.not_wired" if task is None else "glue.offline" if task.local else "glue.hub"


st.title(t("page.glue"))
st.markdown(t("glue.intro"))
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
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
st.subheader(t("glue.run_title"))
runnable = [key for key in GLUE if key in registry.TASKS and (registry.TASKS[key].local or layout.online())]
task = st.selectbox(t("glue.pick"), runnable, format_func=lambda k: t(f"glue.{k}_name"), key="glue_task")
if not layout.online():
    st.caption(t("glue.offline_note"))
config = runs.render_settings(task)
runs.render_launch(config, "glue")
runs.render_live("glue")
done = runs.finished("glue")
if done is not None and done[0].config.task == task:
    results.render_classification(*done, [str(i) for i in range(registry.TASKS[task].num_labels)])
