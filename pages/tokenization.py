"""Tokenization: WordPiece, byte-level BPE and SentencePiece side by side; train one live."""

import pandas as pd
import streamlit as st

from explorer import charts, registry
from explorer.tokenize import max_length, tokenize
from explorer.ui import getters, inputs, layout, tokens, training
from explorer.ui.lang import t

ALGORITHM_OF = {"bert": "wordpiece", "gpt2": "bpe", "albert": "unigram"}

st.title(t("tok.title"))
st.markdown(t("tok.intro"))
text = inputs.render_text_input("tokenization", "tok_text")
report = inputs.render_text_report(text)

pretrained: dict[str, tuple] = {}
if report is not None:
    st.caption(t("tok.legend"))
    rows = []
    for column, choice in zip(st.columns(3), registry.TOKENIZER_CHOICES, strict=True):
        family = registry.family(choice.family)
        with column:
            st.subheader(choice.algorithm)
            model_id = st.text_input(
                t("tok.model_id"),
                value=family.hub_id,
                key=f"tok_model_{family.key}",
                help=t("tok.model_help", alternatives=", ".join(choice.alternatives)),
            )
            with st.spinner():
                tokenizer, source = getters.get_tokenizer(family.key, model_id.strip(), layout.online())
            layout.render_source(choice.algorithm, source)
            st.caption(layout.describe(source))
            if model_id.strip() not in {"", family.hub_id} and source.kind in {"packaged", "trained"}:
                st.warning(t("tok.load_error", name=model_id, error=source.reason.split("; ")[-1]))
            result = tokenize(tokenizer, text, max_length(tokenizer, family.max_positions))
            tokens.render_tokenization(choice.algorithm, tokenizer, result)
        pretrained[ALGORITHM_OF[family.key]] = (tokenizer, result, choice.algorithm)
        rows.append(
            {"tokenizer": choice.algorithm, "kind": t("tok.chart_tokens"), "tokens": len(result.tokens)}
        )
        rows.append(
            {"tokenizer": choice.algorithm, "kind": t("tok.chart_unknown"), "tokens": result.n_unknown}
        )
    st.subheader(t("tok.compare"))
    chart = charts.token_count_chart(pd.DataFrame(rows), t("tok.chart_tokens"), t("tok.chart_tokenizer"))
    st.altair_chart(chart, width="stretch")

st.divider()
training.render_training(text, pretrained)
