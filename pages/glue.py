"""The nine GLUE tasks: what each tests, its size and metric; the runnable ones wired to the engine."""

import pandas as pd
import streamlit as st

from explorer import registry
from explorer.ui import finetune, layout
from explorer.ui.lang import t

GLUE = ("cola", "sst2", "mrpc", "stsb", "qqp", "mnli", "qnli", "rte", "wnli")

st.title(t("page.glue"))
st.markdown(t("glue.intro"))
rows = [
    {
        t("glue.col_task"): t(f"glue.{key}_name"),
        t("glue.col_tests"): t(f"glue.{key}_tests"),
        t("glue.col_size"): t(f"glue.{key}_size"),
        t("glue.col_metric"): t(f"glue.{key}_metric"),
        t("glue.col_here"): t(
            "glue.offline" if key == "cola" else "glue.hub" if key in registry.TASKS else "glue.not_wired"
        ),
    }
    for key in GLUE
]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
st.subheader(t("glue.run_title"))
runnable = [key for key in GLUE if key in registry.TASKS and (registry.TASKS[key].local or layout.online())]
task = st.selectbox(t("glue.pick"), runnable, format_func=lambda k: t(f"glue.{k}_name"), key="glue_task")
if not layout.online():
    st.caption(t("glue.offline_note"))
config = finetune.render_settings(task)
finetune.render_launch(config)
finetune.render_live()
result = finetune.finished()
if result is not None and result.config.task == task:
    names = [str(i) for i in range(registry.TASKS[task].num_labels)]
    finetune.render_classification(result, names)
