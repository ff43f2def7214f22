"""The examples BERT's two pre-training heads are trained and scored on, built from SQuAD's paragraphs:
masked chunks for the MLM head, 50/50 sentence pairs for the NSP head, and a unigram baseline."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import torch

from explorer.mechanics import masking, pretraining

MAX_TOKENS = 128  # one chunk: [CLS] + up to 126 pieces + [SEP]


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class MaskedChunk:
    """One chunk of a paragraph with `rate` of its pieces replaced by [MASK] (all of them, as the page
    masks), and the labels: the original id where masked, -100 elsewhere."""

    input_ids: tuple[int, ...]  # (T,)
    labels: tuple[int, ...]  # (T,)


def read_articles(path: Path) -> list[Article]:
    """SQuAD v1.1 JSON as its articles' paragraphs (the questions are not needed here)."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    return [Article(a.get("title", ""), tuple(p["context"] for p in a["paragraphs"])) for a in data]


def chunks(tokenizer, articles: list[Article], max_tokens: int = MAX_TOKENS) -> list[list[int]]:
    """Every paragraph's WordPiece ids cut into chunks of at most max_tokens - 2, without specials."""
    body = max_tokens - 2
    out = []
    for article in articles:
        for paragraph in article.paragraphs:
            ids = tokenizer(paragraph, add_special_tokens=False)["input_ids"]
            out += [ids[i : i + body] for i in range(0, len(ids), body) if ids[i : i + body]]
    return out


def masked_chunks(
    tokenizer, pieces: list[list[int]], generator: torch.Generator, rate: float = 0.15
) -> list[MaskedChunk]:
    """Each chunk between [CLS] and [SEP], with `rate` of its pieces masked (at least one)."""
    out = []
    for ids in pieces:
        full = [tokenizer.cls_token_id, *ids, tokenizer.sep_token_id]
        special = [True, *[False] * len(ids), True]
        done = masking.corrupt(full, special, tokenizer.mask_token_id, len(tokenizer), generator, rate, 1.0)
        out.append(MaskedChunk(done.input_ids, done.labels))
    return out


def nsp_pairs(articles: list[Article], generator: torch.Generator) -> list[pretraining.NspPair]:
    """BERT's pairs from every paragraph: 50% the real next sentence, 50% one from another article."""
    sentences = [[pretraining.split_sentences(p) for p in a.paragraphs] for a in articles]
    pairs = []
    for index, article in enumerate(sentences):
        other = [s for j, a in enumerate(sentences) if j != index for p in a for s in p]
        for document in article:
            if len(document) >= 2:
                pairs += pretraining.nsp_pairs(document, other, generator)
    return pairs


def most_frequent(pieces: list[list[int]], k: int = 5) -> list[int]:
    """The k most frequent piece ids: the unigram guess a head has to beat."""
    return [token for token, _ in Counter(i for ids in pieces for i in ids).most_common(k)]


def unigram_hit_rate(masked: list[MaskedChunk], guesses: list[int]) -> float:
    """The share of masked pieces that are among `guesses` (a unigram guess's top-k accuracy)."""
    labels = [y for chunk in masked for y in chunk.labels if y != -100]
    chosen = set(guesses)
    return sum(y in chosen for y in labels) / len(labels)
