"""BERT's two pre-training heads: masked-LM predictions and next-sentence prediction, and NSP pairs."""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch

from explorer.tokens.text import pair_to_cut


@dataclass(frozen=True)
class MaskPrediction:
    """The top-k fillers the MLM head proposes for one [MASK] position."""

    position: int
    candidates: tuple[tuple[str, float], ...]  # (token, probability), most likely first


@dataclass(frozen=True)
class MlmResult:
    tokens: tuple[str, ...]
    predictions: tuple[MaskPrediction, ...]
    logits_argmax: tuple[int, ...]  # argmax id at each masked position, for checking


def mask_positions(tokenizer, text: str, positions: list[int], max_tokens: int = 512) -> str:
    """The text with the tokens at `positions` (indices into its tokenization) replaced by [MASK]."""
    enc = tokenizer(text, truncation=True, max_length=max_tokens, return_offsets_mapping=True)
    spans = sorted((enc["offset_mapping"][p] for p in positions if p < len(enc["input_ids"])), reverse=True)
    for start, end in spans:
        if end > start:
            text = text[:start] + tokenizer.mask_token + text[end:]
    return text


@torch.inference_mode()
def predict_masks(model, tokenizer, text: str, k: int = 5, max_tokens: int = 512) -> MlmResult:
    """Top-k predictions with probabilities at every mask token of `text`."""
    if tokenizer.mask_token is None:
        raise ValueError("this tokenizer has no mask token")
    batch = tokenizer(text, truncation=True, max_length=max_tokens, return_tensors="pt")
    ids = batch["input_ids"][0]
    masked = (ids == tokenizer.mask_token_id).nonzero().flatten().tolist()
    if not masked:
        raise ValueError(f"no {tokenizer.mask_token} in the text")
    device = next(model.parameters()).device
    out = model(**{key: v.to(device) for key, v in batch.items()})
    logits = getattr(out, "prediction_logits", None)  # BertForPreTraining names its MLM scores so
    logits = (out.logits if logits is None else logits)[0]  # (T, V)
    if logits.ndim != 2 or logits.shape[-1] < len(tokenizer) // 2:
        raise ValueError("this model has no masked-LM head")
    probs = logits[masked].float().softmax(-1)
    top = probs.topk(k, dim=-1)
    predictions = tuple(
        MaskPrediction(pos, tuple(zip(tokenizer.convert_ids_to_tokens(i.tolist()), p.tolist(), strict=True)))
        for pos, p, i in zip(masked, top.values, top.indices, strict=True)
    )
    tokens = tuple(tokenizer.convert_ids_to_tokens(ids.tolist()))
    return MlmResult(tokens, predictions, tuple(logits[masked].argmax(-1).tolist()))


@torch.inference_mode()
def is_next_probability(
    model, tokenizer, first: str, second: str, logits_name: str = "seq_relationship_logits"
) -> float:
    """P(class 0) of the sentence-pair head: for NSP 'B follows A', for ALBERT's SOP 'A, B in order'.

    `logits_name` is the output field of the head (registry `Family.order_logits`)."""
    if not first.strip() or not second.strip():
        raise ValueError("both sentences are needed")
    first, second = pair_to_cut(first, second, 512)
    batch = tokenizer(first, second, truncation=True, max_length=512, return_tensors="pt")
    device = next(model.parameters()).device
    out = model(**{key: v.to(device) for key, v in batch.items()})
    logits = getattr(out, logits_name, None)
    logits = out.logits if logits is None else logits
    return float(logits[0].float().softmax(-1)[0])


def split_sentences(text: str) -> list[str]:
    """Sentences of a document: split after . ! ? 。 and Korean '다.' endings, and at line breaks."""
    parts = re.split(r"(?<=[.!?。])\s+|\n+", text)
    return [p.strip() for p in parts if p.strip()]


DOCUMENT_CHARS, DOCUMENT_SENTENCES = 20_000, 40  # of a typed document, what the pair pages build from


def document_sentences(text: str) -> list[str]:
    """The sentences a page builds its NSP or SOP pairs from: at most DOCUMENT_SENTENCES of the first
    DOCUMENT_CHARS characters (each pair is scored by the model: 100,000 characters made thousands)."""
    return split_sentences(text[:DOCUMENT_CHARS])[:DOCUMENT_SENTENCES]


@dataclass(frozen=True)
class NspPair:
    first: str
    second: str
    is_next: bool


def nsp_pairs(document: list[str], other: list[str], generator: torch.Generator) -> list[NspPair]:
    """Pairs as BERT builds them: for each sentence, 50% its real successor, 50% a random other sentence."""
    if len(document) < 2 or not other:
        raise ValueError("need a document of at least two sentences and other sentences to draw from")
    pairs = []
    for index in range(len(document) - 1):
        if torch.rand(1, generator=generator).item() < 0.5:
            pairs.append(NspPair(document[index], document[index + 1], True))
        else:
            pick = int(torch.randint(len(other), (1,), generator=generator))
            pairs.append(NspPair(document[index], other[pick], False))
    return pairs


@dataclass(frozen=True)
class SopPair:
    """A sentence-order prediction example: two consecutive segments, in order or swapped."""

    first: str
    second: str
    in_order: bool


def sop_pairs(document: list[str], generator: torch.Generator) -> list[SopPair]:
    """ALBERT's pairs: each two consecutive sentences of one document, swapped half of the time.

    Unlike NSP's random B, both orders use the same two sentences, so topic gives nothing away."""
    if len(document) < 2:
        raise ValueError("need a document of at least two sentences")
    pairs = []
    for first, second in zip(document[:-1], document[1:], strict=True):
        if torch.rand(1, generator=generator).item() < 0.5:
            pairs.append(SopPair(first, second, True))
        else:
            pairs.append(SopPair(second, first, False))
    return pairs
