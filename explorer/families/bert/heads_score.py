"""How BERT's offline heads do on held-out paragraphs (SQuAD dev articles the training never saw):
masked-word top-1 and top-5 and next-sentence accuracy, through the model's own forward pass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from explorer.families.bert import heads_data
from explorer.families.bert.frozen_batches import encode_pairs, padded
from explorer.mechanics.pretraining import NspPair


@dataclass(frozen=True)
class HeldOut:
    """The held-out examples: masked dev chunks and dev sentence pairs, drawn with fixed seeds."""

    chunks: list[heads_data.MaskedChunk]
    pairs: list[NspPair]

    def sample(self, chunk_step: int, pair_step: int) -> HeldOut:
        """Every chunk_step-th chunk and pair_step-th pair: spread over every dev article."""
        return HeldOut(self.chunks[::chunk_step], self.pairs[::pair_step])


def held_out(tokenizer, data: Path, seed: int = 1) -> HeldOut:
    articles = heads_data.read_articles(data / "dev.json")
    pieces = heads_data.chunks(tokenizer, articles)
    masked = heads_data.masked_chunks(tokenizer, pieces, torch.Generator().manual_seed(seed))
    return HeldOut(masked, heads_data.nsp_pairs(articles, torch.Generator().manual_seed(seed)))


@torch.inference_mode()
def score(model, tokenizer, examples: HeldOut, size: int = 32) -> tuple[float, float, float]:
    """(top-1, top-5, NSP accuracy) of a BertForPreTraining through its own forward pass."""
    hits1 = hits5 = count = right = 0
    for start in range(0, len(examples.chunks), size):
        part = examples.chunks[start : start + size]
        ids = padded([list(c.input_ids) for c in part], 0)
        labels = padded([list(c.labels) for c in part], -100)
        logits = model(input_ids=ids, attention_mask=(ids != 0).long()).prediction_logits
        keep = labels != -100
        top = logits[keep].topk(5, dim=-1).indices  # (N, 5)
        hits1 += int((top[:, 0] == labels[keep]).sum())
        hits5 += int((top == labels[keep][:, None]).any(-1).sum())
        count += int(keep.sum())
    for start in range(0, len(examples.pairs), size):
        part = examples.pairs[start : start + size]
        encoded = encode_pairs(tokenizer, part)
        guess = model(**encoded).seq_relationship_logits.argmax(-1)
        right += int((guess == torch.tensor([0 if p.is_next else 1 for p in part])).sum())
    return hits1 / count, hits5 / count, right / len(examples.pairs)
