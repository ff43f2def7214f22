"""BERT: input embeddings, attention heads, embedding projections, masked-LM and NSP."""

import streamlit as st

from explorer.ui import encoder, inputs, models
from explorer.ui.attention import render_attention
from explorer.ui.lang import t

st.title(t("page.bert"))
st.markdown(t("bert.intro"))
model_id = models.render_model_field("bert")
left, right = st.columns(2)
first = left.text_input(t("bert.sentence_a"), inputs.example("bert", "sentence_a"), key="bert_a")
second = right.text_input(t("bert.sentence_b"), inputs.example("bert", "sentence_b"), key="bert_b")
report = inputs.render_text_report(first)
if report is None:
    st.stop()
pair = second if second.strip() else None

tabs = st.tabs([t(f"bert.tab_{name}") for name in ("input", "attention", "embed", "mlm", "nsp")])
with tabs[0]:
    encoder.render_input_embeddings("bert", model_id, first, pair)
with tabs[1]:
    st.markdown(t("bert.attention_intro"))
    result = models.attention_for("bert", "base", model_id, first, pair)
    if result is not None:
        render_attention(result, "bert")
with tabs[2]:
    encoder.render_projection("bert", model_id)
with tabs[3]:
    encoder.render_mlm("bert", model_id)
with tabs[4]:
    encoder.render_nsp("bert", model_id, first, second)
