"""Fine-tune a question-answering head on SQuAD live: progress, exact match and F1, spans, own questions."""

import streamlit as st

from explorer.ui import results, runs
from explorer.ui.lang import t

st.title(t("page.squad"))
st.markdown(t("squad.intro"))
runs.device_note()
config = runs.render_settings("squad")
runs.render_launch(config, "squad")
runs.render_live("squad")
done = runs.finished("squad")
if done is not None:
    results.render_qa(*done)
