"""Fine-tune a sentence classifier on CoLA live: progress, loss, MCC, confusion matrix, own sentences."""

import streamlit as st

from explorer.ui import results, runs
from explorer.ui.lang import t

st.title(t("page.cola"))
st.markdown(t("cola.intro"))
runs.device_note()
config = runs.render_settings("cola")
runs.render_launch(config, "cola")
runs.render_live("cola")
done = runs.finished("cola")
if done is not None:
    results.render_classification(*done, [t("cola.unacceptable"), t("cola.acceptable")])
