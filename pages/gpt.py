"""GPT: causal self-attention, next-token prediction, generation, the LM objective, BERT vs GPT."""

import streamlit as st

from explorer import registry
from explorer.ui import decoder, inputs, models
from explorer.ui.attention import render_attention
from explorer.ui.lang import t

st.title(t("page.gpt"))
st.markdown(t("gpt.intro"))
model_id = models.render_model_field("gpt2")
text = st.text_input(t("gpt.text"), inputs.example("gpt", "text"), key="gpt_text")
if inputs.render_text_report(text) is None:
    st.stop()

tabs = st.tabs([t(f"gpt.tab_{name}") for name in ("causal", "next", "generate", "loss", "versus")])
with tabs[0]:
    decoder.render_causal("gpt2", model_id, text)
    with st.expander(t("gpt.all_heads")):
        result = models.attention_for("gpt2", "base", model_id, text)
        if result is not None:
            render_attention(result, "gpt", bertviz=True)
with tabs[1]:
    decoder.render_next_token("gpt2", model_id, text)
with tabs[2]:
    prompt = st.text_input(t("gpt.prompt"), inputs.example("gpt", "prompt"), key="gpt_prompt")
    decoder.render_generation("gpt2", model_id, prompt)
with tabs[3]:
    decoder.render_loss("gpt2", model_id, text)
with tabs[4]:
    bert_id = st.session_state.get("model_bert", registry.family("bert").hub_id)
    decoder.render_bert_vs_gpt(bert_id, model_id, text)
