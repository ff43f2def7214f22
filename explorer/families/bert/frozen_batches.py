"""The batches that train BERT's offline heads on MiniLM: the frozen lower layers run once over a
batch of masked chunks or sentence pairs, and the trained top layers run on their output."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from explorer.families.bert import heads_data
from explorer.families.bert.top_layer import layer_at
from explorer.mechanics.pretraining import NspPair


@dataclass(frozen=True)
class Batch:
    """The frozen layers' output for a batch, with what the top layer is asked at."""

    hidden: torch.Tensor  # (B, T, D) input of the lowest trained layer, float16 to halve the memory
    mask: torch.Tensor  # (B, T) 1 on real tokens
    queries: torch.Tensor  # (B, M) positions: the masked tokens (MLM), or [CLS] alone (NSP)
    labels: torch.Tensor  # (B, M) original ids, -100 on padding (MLM); (B,) 0 = IsNext (NSP)


def _bias(mask: torch.Tensor) -> torch.Tensor:
    """(B, T) 1/0 mask -> (B, 1, 1, T) additive attention bias."""
    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


@torch.inference_mode()
def below(model, encoded: dict, frozen: int) -> torch.Tensor:
    """The input of the lowest trained layer (B, T, D): embeddings and the `frozen` layers below."""
    bert = model.bert
    hidden = bert.embeddings(input_ids=encoded["input_ids"], token_type_ids=encoded["token_type_ids"])
    bias = _bias(encoded["attention_mask"])
    for layer in bert.encoder.layer[:frozen]:
        hidden = layer(hidden, attention_mask=bias)
    return hidden.half()


def padded(rows: list[list[int]], fill: int) -> torch.Tensor:
    width = max(len(row) for row in rows)
    return torch.tensor([row + [fill] * (width - len(row)) for row in rows])


def _by_length(items: list, length, size: int) -> list[list]:
    """Batches of similar length (less padding), in a fixed order."""
    ordered = sorted(items, key=length)
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]


def mlm_batches(model, chunks: list[heads_data.MaskedChunk], size: int, frozen: int) -> list[Batch]:
    out = []
    for part in _by_length(chunks, lambda c: len(c.input_ids), size):
        ids = padded([list(c.input_ids) for c in part], 0)
        encoded = {
            "input_ids": ids,
            "token_type_ids": torch.zeros_like(ids),
            "attention_mask": (ids != 0).long(),
        }
        where = [[i for i, y in enumerate(c.labels) if y != -100] for c in part]
        labels = [[c.labels[i] for i in w] for c, w in zip(part, where, strict=True)]
        hidden = below(model, encoded, frozen)
        out.append(Batch(hidden, encoded["attention_mask"], padded(where, 0), padded(labels, -100)))
    return out


def encode_pairs(tokenizer, part: list[NspPair]):
    """A batch of sentence pairs as the model reads them: [CLS] A [SEP] B [SEP], padded."""
    return tokenizer(
        [p.first for p in part],
        [p.second for p in part],
        padding=True,
        truncation=True,
        max_length=heads_data.MAX_TOKENS,
        return_tensors="pt",
    )


def nsp_batches(model, tokenizer, pairs: list[NspPair], size: int, frozen: int) -> list[Batch]:
    out = []
    for part in _by_length(pairs, lambda p: len(p.first) + len(p.second), size):
        encoded = encode_pairs(tokenizer, part)
        labels = torch.tensor([0 if p.is_next else 1 for p in part])
        queries = torch.zeros(len(part), 1, dtype=torch.long)
        out.append(Batch(below(model, encoded, frozen), encoded["attention_mask"], queries, labels))
    return out


def on_top(model, batch: Batch, frozen: int) -> torch.Tensor:
    """The trained layers on a batch: in full up to the last, which runs at the queries. (B, M, D)"""
    layers = model.bert.encoder.layer
    hidden, bias = batch.hidden.float(), _bias(batch.mask)
    for layer in layers[frozen:-1]:
        hidden = layer(hidden, attention_mask=bias)
    return layer_at(layers[-1], hidden, batch.mask, batch.queries)
