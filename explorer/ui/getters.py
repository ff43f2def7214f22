"""Cached getters: models and tokenizers with st.cache_resource, keyed by all that changes them."""

from __future__ import annotations

import os

import streamlit as st

from explorer import models, registry
from explorer.families.bigbird import sparse
from explorer.families.distilbert import speed
from explorer.families.reformer import lsh, lsh_reading, reversible
from explorer.lru import SizedLRU
from explorer.mechanics import attention
from explorer.tokens import bounded
from explorer.tokens.tokenize import TrainedTokenizer, max_length, train_tokenizer

# Memory bounds of one server, whatever the number of visitors (bench/bench_memory.py measures them).
MAX_MODELS = int(os.environ.get("EXPLORER_MAX_MODELS", "6"))  # resident models, least recently used out
ATTENTION_BYTES = int(float(os.environ.get("EXPLORER_ATTENTION_CACHE_MB", "1024")) * 2**20)
_ATTENTION: SizedLRU[attention.AttentionResult] = SizedLRU(ATTENTION_BYTES, lambda r: r.maps.nbytes)


@st.cache_resource(show_spinner=False, max_entries=16)
def get_tokenizer(family_key: str, model_id: str, online: bool) -> tuple[object, models.Source]:
    """A family's tokenizer, or the one at model_id (hub id or folder), and its source."""
    return models.load_tokenizer(registry.family(family_key), model_id or None, online)


@st.cache_resource(show_spinner=False, max_entries=24)
def get_trained(
    algorithm: str,
    corpus_name: str,
    lines: tuple[str, ...],
    vocab: int,
    _seconds: float | None = None,
    _threads: int = 0,
) -> TrainedTokenizer:
    """A tokenizer trained on a corpus; the same corpus and size are trained once per process.

    With `_seconds` it trains in a child process (on `_threads`, its slot's share of the cores) killed
    past that budget (TrainingStopped, not cached); the budget decides only whether a result comes,
    not which, so it is no part of the key.
    """
    if _seconds is None:
        return train_tokenizer(algorithm, lines, vocab, corpus_name)
    return bounded.train_bounded(algorithm, lines, vocab, corpus_name, _seconds, _threads)


@st.cache_resource(show_spinner=False, max_entries=MAX_MODELS)
def get_model(
    family_key: str, head: str, model_id: str, online: bool, device: str, finetuned: bool = False
) -> models.Loaded:
    """A model for inference, shared by every session: never train or modify it.

    Streamlit's resource cache is least-recently-used and computes a key once when sessions ask
    for it together, so a room opening the same page loads each model once. `finetuned`: model_id
    is the folder a session's fine-tune saved (explorer/ui/finetune/jobs.py), held in the same bound.
    """
    if finetuned:
        return models.load_finetuned(registry.family(family_key), head, device, model_id)
    return models.load(registry.family(family_key), head, device, model_id or None, online)


def get_attention(
    family_key: str, head: str, model_id: str, online: bool, device: str, text: str, pair: str | None
) -> attention.AttentionResult:
    """Attention maps for a text (pair); a repeated input is served from a cache bounded by bytes.

    Shared between sessions, not copied: BERT-base maps at 512 tokens are 150 MB. The arrays are
    read-only, so sharing them is safe.
    """

    def compute() -> attention.AttentionResult:
        loaded = get_model(family_key, head, model_id, online, device)
        limit = max_length(loaded.tokenizer, registry.family(family_key).max_positions)
        return attention.attention_maps(loaded.model, loaded.tokenizer, text, pair or None, limit)

    return _ATTENTION.get((family_key, head, model_id, online, device, text, pair), compute)


# The long-input and cost sections' getters (Reformer, BigBird, DistilBERT's size and speed).


@st.cache_resource(show_spinner=False, max_entries=8)
def get_lsh_reading(
    model_id: str, online: bool, device: str, text: str, length: int, layer: int, seed: int = 0
) -> tuple[lsh.LshReading, int]:
    """One LSH layer of the real Reformer on the text filled to `length` tokens, and the text's own
    token count; rotations from `seed` (read-only, shared by sessions)."""
    loaded = get_model("reformer", "base", model_id, online, device)
    ids = loaded.tokenizer(text, truncation=True, max_length=length)["input_ids"]
    return lsh_reading.read(loaded.model, sparse.fill_ids(ids, length), layer, seed), len(ids)


@st.cache_resource(show_spinner=False, max_entries=8)
def get_sparse_map(
    model_id: str, online: bool, device: str, text: str, length: int, layer: int, mode: str
) -> tuple[sparse.SparseMap, int]:
    """The real BigBird's map of one layer for the text filled to `length` tokens, and the text's own
    token count (read-only, shared by sessions)."""
    loaded = get_model("bigbird", "base", model_id, online, device)
    ids = loaded.tokenizer(text, add_special_tokens=True, truncation=True, max_length=length)["input_ids"]
    return sparse.sparse_map(loaded.model, sparse.fill_ids(ids, length), layer, mode), len(ids)


@st.cache_data(show_spinner=False)
def get_reconstruction() -> reversible.Reconstruction:
    """How exactly a reversible layer's inputs come back from its outputs (computed once per process)."""
    return reversible.reconstruction_check()


@st.cache_data(show_spinner=False)
def get_distil_sizes() -> speed.Sizes:
    """BERT-base and DistilBERT counted from their real configs (once per process)."""
    return speed.sizes()
