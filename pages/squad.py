"""Fine-tune a question-answering head on SQuAD live: progress, exact match and F1, spans, own questions."""

import streamlit as st

from explorer import data
from explorer.ui import finetune
from explorer.ui.lang import t

st.title(t("page.squad"))
st.markdown(t("squad.intro"))
finetune.device_note()
config = finetune.render_settings("squad")
finetune.render_launch(config)
finetune.render_live()
result = finetune.finished()
if result is not None and result.config.task == "squad":
    dev = data.load("squad", "dev", result.config.source, result.config.data_dir or None)
    finetune.render_qa(result, dev[: result.config.eval_size])
