"""Fine-tune a sentence classifier on CoLA live: progress, loss, MCC, confusion matrix, own sentences."""

import streamlit as st

from explorer.ui import finetune
from explorer.ui.lang import t

st.title(t("page.cola"))
st.markdown(t("cola.intro"))
finetune.device_note()
config = finetune.render_settings("cola")
finetune.render_launch(config)
finetune.render_live()
result = finetune.finished()
if result is not None and result.config.task == "cola":
    finetune.render_classification(result, [t("cola.unacceptable"), t("cola.acceptable")])
