"""SQuAD features: question + context windows with a document stride (long contexts are not cut off),
token offsets back into the context, answer start/end labels, and spans back from the logits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.training.data import QAExample


def _context_range(sequence_ids: list[int | None]) -> tuple[int, int]:
    """First and last token index of the context (sequence 1) in a feature."""
    first = sequence_ids.index(1)
    last = len(sequence_ids) - 1 - sequence_ids[::-1].index(1)
    return first, last


def _encode(tokenizer, examples: list[QAExample], max_length: int, stride: int, pad: bool):
    """Windows of question + context; unpadded (pad=False) for batches padded to their own length."""
    if tokenizer.padding_side != "right":
        raise ValueError("SQuAD features expect the context after the question (right padding)")
    return tokenizer(
        [e.question.lstrip() for e in examples],
        [e.context for e in examples],
        truncation="only_second",
        max_length=max_length,
        stride=stride,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
        padding="max_length" if pad else False,
    )


def _answer_tokens(offsets, sequence_ids, start_char: int, end_char: int) -> tuple[int, int]:
    """Token indices of an answer span inside one window, or (0, 0) (the [CLS] token) if it is outside."""
    first, last = _context_range(sequence_ids)
    if offsets[first][0] > start_char or offsets[last][1] < end_char:
        return 0, 0
    start = first
    while start <= last and offsets[start][0] <= start_char:
        start += 1
    end = last
    while end >= first and offsets[end][1] >= end_char:
        end -= 1
    return start - 1, end + 1


def train_features(
    tokenizer, examples: list[QAExample], max_length: int = 384, stride: int = 128, pad: bool = True
) -> dict:
    """Model inputs with start_positions / end_positions for the first gold answer of each example."""
    enc = _encode(tokenizer, examples, max_length, stride, pad)
    starts, ends = [], []
    for i, offsets in enumerate(enc["offset_mapping"]):
        example = examples[enc["overflow_to_sample_mapping"][i]]
        if not example.answers:
            raise ValueError(f"question {example.id} has no answer to train on")
        answer = example.answers[0]
        span = _answer_tokens(offsets, enc.sequence_ids(i), answer.start, answer.start + len(answer.text))
        starts.append(span[0])
        ends.append(span[1])
    features = {k: enc[k] for k in enc if k not in {"offset_mapping", "overflow_to_sample_mapping"}}
    return {
        **features,
        "start_positions": starts,
        "end_positions": ends,
        "offset_mapping": enc["offset_mapping"],
        "example_index": enc["overflow_to_sample_mapping"],
    }


def eval_features(
    tokenizer, examples: list[QAExample], max_length: int = 384, stride: int = 128, pad: bool = True
) -> dict:
    """Model inputs plus, per feature, its example index and offsets (None outside the context)."""
    enc = _encode(tokenizer, examples, max_length, stride, pad)
    offsets = [
        [o if s == 1 else None for o, s in zip(enc["offset_mapping"][i], enc.sequence_ids(i), strict=True)]
        for i in range(len(enc["input_ids"]))
    ]
    features = {k: enc[k] for k in enc if k not in {"offset_mapping", "overflow_to_sample_mapping"}}
    return {**features, "offset_mapping": offsets, "example_index": enc["overflow_to_sample_mapping"]}


@dataclass(frozen=True)
class Span:
    """A predicted answer: its text and character span in the context, and its score."""

    text: str
    start: int
    end: int
    score: float


def best_spans(
    examples: list[QAExample],
    features: dict,
    start_logits: list[np.ndarray] | np.ndarray,  # per feature: one score per token of that feature
    end_logits: list[np.ndarray] | np.ndarray,
    n_best: int = 20,
    max_answer_tokens: int = 30,
) -> dict[str, Span]:
    """For each example, the best start <= end pair over all its windows (start + end logit)."""
    best: dict[int, Span] = {}
    for i, offsets in enumerate(features["offset_mapping"]):
        index = features["example_index"][i]
        context = examples[index].context
        starts = np.argsort(start_logits[i])[::-1][:n_best]
        ends = np.argsort(end_logits[i])[::-1][:n_best]
        for s in starts:
            for e in ends:
                if offsets[s] is None or offsets[e] is None or e < s or e - s + 1 > max_answer_tokens:
                    continue
                score = float(start_logits[i][s] + end_logits[i][e])
                if index not in best or score > best[index].score:
                    a, b = offsets[s][0], offsets[e][1]
                    best[index] = Span(context[a:b], a, b, score)
    return {examples[i].id: best.get(i, Span("", 0, 0, float("-inf"))) for i in range(len(examples))}
