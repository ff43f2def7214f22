"""BERT's input embeddings (token + segment + position), contextual vectors, PCA, nearest neighbours."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from explorer.capture import capture
from explorer.tokens.text import pair_to_cut


@dataclass(frozen=True)
class InputEmbeddings:
    """The three embeddings the chapter adds up, their sum, and the layer-normalised result."""

    tokens: tuple[str, ...]
    segments: tuple[int, ...]
    token: np.ndarray  # (T, D) rows of the word-embedding matrix
    segment: np.ndarray  # (T, D) segment (token type) embeddings
    position: np.ndarray  # (T, D) position embeddings
    total: np.ndarray  # (T, D) token + segment + position: the input to LayerNorm
    normalized: np.ndarray  # (T, D) the embedding layer's output (LayerNorm; dropout is off in eval)


def _embeddings_module(model):
    embeddings = getattr(model.base_model, "embeddings", None)
    needed = ("word_embeddings", "position_embeddings", "token_type_embeddings", "LayerNorm")
    if embeddings is None or not all(hasattr(embeddings, name) for name in needed):
        raise ValueError(f"{type(model).__name__} has no BERT-style token/segment/position embeddings")
    return embeddings


def first_position(model, after_padding: bool) -> int:
    """The position id of the first token: 0, or padding_idx + 1 for RoBERTa-style position counting."""
    return int(model.config.pad_token_id) + 1 if after_padding else 0


@torch.inference_mode()
def input_embeddings(
    model,
    tokenizer,
    text: str,
    text_pair: str | None = None,
    position_start: int = 0,
    max_tokens: int = 512,
) -> InputEmbeddings:
    """Look up each of the three embeddings for every token of a sentence (pair), as the model does.

    `position_start` is the first position id of the unpadded input (see `first_position`)."""
    emb = _embeddings_module(model)
    text, text_pair = pair_to_cut(text, text_pair, max_tokens)
    batch = tokenizer(text, text_pair, truncation=True, max_length=max_tokens, return_tensors="pt")
    device = emb.word_embeddings.weight.device
    ids = batch["input_ids"].to(device)
    types = batch.get("token_type_ids", torch.zeros_like(ids)).to(device)
    positions = torch.arange(position_start, position_start + ids.shape[1], device=device)[None]
    parts = (
        emb.word_embeddings(ids)[0],
        emb.token_type_embeddings(types)[0],
        emb.position_embeddings(positions)[0],
    )
    total = parts[0] + parts[1] + parts[2]
    normalized = emb.LayerNorm(total)
    as_np = [p.float().cpu().numpy() for p in (*parts, total, normalized)]
    tokens = tuple(tokenizer.convert_ids_to_tokens(ids[0].tolist()))
    return InputEmbeddings(tokens, tuple(types[0].tolist()), *as_np)


@dataclass(frozen=True)
class TokenVectors:
    """Contextual vectors of every token of several sentences at one layer."""

    tokens: tuple[str, ...]
    sentence: tuple[int, ...]  # which input sentence each token came from
    vectors: np.ndarray  # (N, D)
    layer: int  # 0 = the embedding layer's output (static), L = the last layer


@torch.inference_mode()
def token_vectors(model, tokenizer, sentences: list[str], layer: int, max_tokens: int = 128) -> TokenVectors:
    """Hidden states at `layer` for the non-special tokens of each sentence."""
    tokens, owner, rows = [], [], []
    device = next(model.parameters()).device
    for index, sentence in enumerate(sentences):
        batch = tokenizer(
            sentence,
            truncation=True,
            max_length=max_tokens,
            return_tensors="pt",
            return_special_tokens_mask=True,
        )
        special = batch.pop("special_tokens_mask")[0].bool()
        out = model(**{k: v.to(device) for k, v in batch.items()}, output_hidden_states=True)
        hidden = out.hidden_states[layer][0][~special.to(device)]
        pieces = tokenizer.convert_ids_to_tokens(batch["input_ids"][0][~special].tolist())
        tokens += pieces
        owner += [index] * len(pieces)
        rows.append(hidden.float().cpu().numpy())
    vectors = np.concatenate(rows) if rows else np.zeros((0, 0), dtype=np.float32)
    return TokenVectors(tuple(tokens), tuple(owner), vectors, layer)


def pca_2d(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project rows onto their first two principal components; returns (N, 2) and explained ratios."""
    centered = vectors - vectors.mean(0, keepdims=True)
    if centered.shape[0] < 2:
        return np.zeros((centered.shape[0], 2)), np.zeros(2)
    _, singular, components = np.linalg.svd(centered, full_matrices=False)
    variance = singular**2
    ratios = variance[:2] / variance.sum() if variance.sum() else np.zeros(2)
    projected = centered @ components[:2].T
    if projected.shape[1] < 2:
        projected = np.pad(projected, ((0, 0), (0, 2 - projected.shape[1])))
    return projected, ratios


def cosine_neighbours(vectors: np.ndarray, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Indices of the k rows most similar to `query` by cosine, with their similarity."""
    norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(query) or 1.0)
    sims = vectors @ query / np.where(norms == 0, 1.0, norms)
    order = np.argsort(-sims)[:k]
    return [(int(i), float(sims[i])) for i in order]


@torch.inference_mode()
def layernorm_input(
    model, tokenizer, text: str, text_pair: str | None = None, max_tokens: int = 512
) -> np.ndarray:
    """What the model itself feeds its embedding LayerNorm, caught with a hook: (T, D)."""
    emb = _embeddings_module(model)
    text, text_pair = pair_to_cut(text, text_pair, max_tokens)
    batch = tokenizer(text, text_pair, truncation=True, max_length=max_tokens, return_tensors="pt")
    inputs = {k: v.to(emb.word_embeddings.weight.device) for k, v in batch.items()}
    calls = capture(model, [emb.LayerNorm], lambda m: m(**inputs))
    return calls[0].args[0][0].float().cpu().numpy()


def static_neighbours(model, tokenizer, word: str, k: int = 8) -> list[tuple[str, float]]:
    """Vocabulary tokens whose input embeddings are closest (cosine) to the word's first piece."""
    matrix = model.get_input_embeddings().weight.detach().float().cpu().numpy()
    ids = tokenizer(word, add_special_tokens=False)["input_ids"]
    if not ids:
        raise ValueError("the word has no tokens")
    found = cosine_neighbours(matrix, matrix[ids[0]], k + 1)
    return [(tokenizer.convert_ids_to_tokens(i), s) for i, s in found if i != ids[0]][:k]
