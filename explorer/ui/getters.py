"""Cached getters: models and tokenizers with st.cache_resource, keyed by all that changes them."""

from __future__ import annotations

import streamlit as st

from explorer import models, registry
from explorer.tokenize import TrainedTokenizer, train_tokenizer


@st.cache_resource(show_spinner=False, max_entries=16)
def get_tokenizer(family_key: str, model_id: str, online: bool) -> tuple[object, models.Source]:
    """A family's tokenizer, or the one at model_id (hub id or folder), and its source."""
    return models.load_tokenizer(registry.family(family_key), model_id or None, online)


@st.cache_resource(show_spinner=False, max_entries=24)
def get_trained(algorithm: str, corpus_name: str, lines: tuple[str, ...], vocab: int) -> TrainedTokenizer:
    """A tokenizer trained on a corpus; the same corpus and size are trained once per process."""
    return train_tokenizer(algorithm, lines, vocab, corpus_name)
