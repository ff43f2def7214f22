"""A small text corpus as token rows for live pre-training, and masked batches drawn from it.

Live trainings on a CPU can afford a vocabulary of the pieces the corpus uses, not 30,522: `compact`
maps those pieces (and the special tokens) to ids 0..n-1, so the softmax is over what can occur.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from explorer.mechanics import masking

MIN_ROWS, MIN_TOKENS = 8, 200  # below this a live training only memorises a handful of tokens


class CorpusTooSmall(ValueError):
    """A corpus too small to train on, with the numbers for the message."""


@dataclass(frozen=True)
class TokenRows:
    """Every line of a corpus as ids, [CLS] ... [SEP], at most `max_length` each."""

    rows: tuple[tuple[int, ...], ...]  # model ids (compact ids when vocab is set)
    vocab: tuple[int, ...] | None  # model id -> tokenizer id; None: the tokenizer's own ids
    vocab_size: int
    pad_id: int
    mask_id: int
    special: frozenset[int]  # model ids never masked: [CLS], [SEP], [PAD], [UNK]

    @property
    def n_tokens(self) -> int:
        return sum(len(r) for r in self.rows)


def encode_corpus(tokenizer, lines: list[str], max_length: int, compact: bool = False) -> TokenRows:
    """Tokenize each line; refuse a corpus too small to train on (CorpusTooSmall)."""
    rows = [tokenizer(line, truncation=True, max_length=max_length)["input_ids"] for line in lines]
    rows = [r for r in rows if len(r) > 2]
    tokens = sum(len(r) for r in rows)
    if len(rows) < MIN_ROWS or tokens < MIN_TOKENS:
        raise CorpusTooSmall(
            f"the corpus gives {len(rows)} lines and {tokens} tokens; "
            f"training needs at least {MIN_ROWS} lines and {MIN_TOKENS} tokens"
        )
    special_ids = [tokenizer.pad_token_id, tokenizer.mask_token_id, *tokenizer.all_special_ids]
    if not compact:
        lookup = {i: i for i in range(len(tokenizer))}
        vocab = None
    else:
        used = sorted(set(special_ids) | {i for r in rows for i in r})
        lookup = {tok_id: new for new, tok_id in enumerate(used)}
        vocab = tuple(used)
    return TokenRows(
        rows=tuple(tuple(lookup[i] for i in r) for r in rows),
        vocab=vocab,
        vocab_size=len(lookup),
        pad_id=lookup[tokenizer.pad_token_id],
        mask_id=lookup[tokenizer.mask_token_id],
        special=frozenset(lookup[i] for i in tokenizer.all_special_ids),
    )


def check_same_vocabulary(first, second) -> None:
    """Two models that must agree on token ids (teacher and student, generator and discriminator)."""
    if first.get_vocab() != second.get_vocab():
        raise ValueError(
            f"the two models use different vocabularies ({len(first):,} vs "
            f"{len(second):,} pieces); both must read the same token ids"
        )


@dataclass(frozen=True)
class MaskedBatch:
    """A padded batch: the corrupted input, the original, labels and the attention mask, all (B, T)."""

    input_ids: torch.Tensor
    original: torch.Tensor
    labels: torch.Tensor  # the original id where chosen, -100 elsewhere
    attention_mask: torch.Tensor


def draw_rows(data: TokenRows, size: int, generator: torch.Generator) -> list[int]:
    """`size` random row indices (with replacement)."""
    return torch.randint(len(data.rows), (size,), generator=generator).tolist()


def mask_rows(
    data: TokenRows, picks: list[int], generator: torch.Generator, rate: float = 0.15, mask_share: float = 0.8
) -> MaskedBatch:
    """The rows `picks`, each corrupted with masking.corrupt (80/10/10 by default), padded."""
    width = max(len(data.rows[i]) for i in picks)
    columns: dict[str, list[list[int]]] = {"input": [], "original": [], "labels": [], "mask": []}
    for i in picks:
        row = list(data.rows[i])
        special = [tok in data.special for tok in row]
        out = masking.corrupt(row, special, data.mask_id, data.vocab_size, generator, rate, mask_share)
        pad = width - len(row)
        columns["input"].append(list(out.input_ids) + [data.pad_id] * pad)
        columns["original"].append(row + [data.pad_id] * pad)
        columns["labels"].append(list(out.labels) + [-100] * pad)
        columns["mask"].append([1] * len(row) + [0] * pad)
    tensors = {k: torch.tensor(v) for k, v in columns.items()}
    return MaskedBatch(tensors["input"], tensors["original"], tensors["labels"], tensors["mask"])


def masked_batch(
    data: TokenRows, size: int, generator: torch.Generator, rate: float = 0.15, mask_share: float = 0.8
) -> MaskedBatch:
    """`size` random rows, masked: rows and masks from one stream."""
    return mask_rows(data, draw_rows(data, size, generator), generator, rate, mask_share)
