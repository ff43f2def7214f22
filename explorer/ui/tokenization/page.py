"""The Tokenization page: WordPiece, byte-level BPE and SentencePiece side by side; train one live."""

from __future__ import annotations

import streamlit as st

from explorer import registry
from explorer.ui import inputs
from explorer.ui.family import folded
from explorer.ui.lang import t
from explorer.ui.tokenization import tokens, training


def render_tokenization_page(heading: bool = True, inputs_at=None) -> None:
    """Draw the whole page: the text, the three tokenizers on it, their comparison, live training;
    in the tour (`heading` False) without its title and intro, the text folded into `inputs_at`."""
    if heading:
        st.title(t("tok.title"))
        st.markdown(t("tok.intro"))
    top = st.container() if heading else folded(inputs_at)
    with top:  # in the tour the text and what is said about it are folded: the pieces come first
        text = inputs.render_text_input("tokenization", "tok_text")
        report = inputs.render_text_report(text)
        if report is not None:
            text = inputs.render_normalization(text, report)
            st.caption(t("tok.legend"))

    columns: dict[str, tuple] = {}
    if report is not None:
        for column, choice in zip(st.columns(3), registry.TOKENIZER_CHOICES, strict=True):
            with column:
                columns[choice.algorithm] = tokens.render_tokenizer_column(choice, text)
        tokens.render_comparison(columns)
        if report.has_hangul:
            tokens.render_hangul(columns)

    st.divider()
    training.render_training(text, columns)
