"""RoBERTa's four ways of packing a corpus into training inputs (Liu et al. 2019, section 4.2).

SEGMENT-PAIR+NSP  two segments of several sentences, B the true continuation half of the time
SENTENCE-PAIR+NSP two single sentences, B the true next sentence half of the time
FULL-SENTENCES    whole sentences packed up to the limit, crossing documents (a separator between)
DOC-SENTENCES     the same, but never crossing a document boundary
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch

from explorer.pretraining import split_sentences

FORMATS = ("segment_pair", "sentence_pair", "full_sentences", "doc_sentences")
PAIR_SPECIALS, SINGLE_SPECIALS = 4, 2  # <s> A </s></s> B </s>  and  <s> A </s>


@dataclass(frozen=True)
class Span:
    """One sentence (or its cut head) placed in a packed input."""

    document: int
    sentence: int
    segment: int  # 0 = A, 1 = B (pair formats); always 0 for the single-sequence formats
    start: int  # token offset inside the input, specials included
    length: int  # tokens of the sentence that fit
    cut: bool = False  # the sentence was longer than the room left and was cut


@dataclass(frozen=True)
class Packed:
    """One training input: its sentences in order, its length, and the NSP label if it has one."""

    spans: tuple[Span, ...]
    length: int  # tokens, specials and document separators included
    is_next: bool | None  # pair formats: whether B really followed A; None otherwise


def _place(spans: list[Span], doc: int, sent: int, segment: int, start: int, n: int, room: int) -> int:
    """Append a span (cut to `room`) and return the next offset."""
    take = min(n, room)
    spans.append(Span(doc, sent, segment, start, take, take < n))
    return start + take


def _pack_sentences(lengths: list[list[int]], limit: int, cross: bool) -> list[Packed]:
    """FULL-SENTENCES (cross=True) or DOC-SENTENCES: fill each input with whole sentences in order."""
    packed: list[Packed] = []
    spans: list[Span] = []
    used = 1  # <s> opens every input

    def flush() -> None:
        nonlocal spans, used
        packed.append(Packed(tuple(spans), used + 1, None))  # + the closing </s>
        spans, used = [], 1

    for doc, sentences in enumerate(lengths):
        if spans and not cross:
            flush()
        for sent, n in enumerate(sentences):
            separator = 1 if spans and sent == 0 else 0  # one token marks a document boundary
            if spans and used + separator + n + 1 > limit:
                flush()
                separator = 0
            used = _place(spans, doc, sent, 0, used + separator, n, limit - 1 - used - separator)
    if spans:
        flush()
    return packed


def _other_document(n_docs: int, doc: int, generator: torch.Generator) -> int:
    pick = int(torch.randint(n_docs - 1, (1,), generator=generator))
    return pick + (pick >= doc)


def _segment_end(sentences: list[int], start: int, room: int, whole_segments: bool) -> int:
    """Where segment A ends: one sentence, or as many as fit in `room` (leaving one for B)."""
    end = start + 1
    while whole_segments and end < len(sentences) - 1 and sum(sentences[start : end + 1]) <= room:
        end += 1
    return end


def _pack_pairs(lengths: list[list[int]], limit: int, generator, whole_segments: bool) -> list[Packed]:
    """SEGMENT-PAIR (several sentences a side) or SENTENCE-PAIR (one sentence a side), 50% true next."""
    packed, half = [], (limit - PAIR_SPECIALS) // 2
    for doc, sentences in enumerate(lengths):
        index = 0
        while index < len(sentences) - 1:
            a_end = _segment_end(sentences, index, half, whole_segments)
            is_next = bool(torch.rand(1, generator=generator) < 0.5)
            b_doc, b_start = (doc, a_end) if is_next else (_other_document(len(lengths), doc, generator), 0)
            spans: list[Span] = []
            used = 1
            for sent in range(index, a_end):
                used = _place(spans, doc, sent, 0, used, sentences[sent], 1 + half - used)
            used += 2  # </s></s> between A and B
            b_sentences = lengths[b_doc]
            b_end = len(b_sentences) if whole_segments else b_start + 1
            for sent in range(b_start, b_end):
                if used >= limit - 1:
                    break
                used = _place(spans, b_doc, sent, 1, used, b_sentences[sent], limit - 1 - used)
            packed.append(Packed(tuple(spans), used + 1, is_next))
            index = a_end
    return packed


def split_documents(text: str) -> list[list[str]]:
    """A corpus as documents (separated by blank lines), each a list of its sentences."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [sentences for block in blocks if (sentences := split_sentences(block))]


def sentence_lengths(tokenizer, documents: list[list[str]]) -> list[list[int]]:
    """Tokens per sentence, as met in running text (a leading space, no special tokens)."""
    return [
        [len(tokenizer(" " + s, add_special_tokens=False)["input_ids"]) for s in sentences]
        for sentences in documents
    ]


def pack(lengths: list[list[int]], fmt: str, limit: int, generator: torch.Generator) -> list[Packed]:
    """Pack documents (each a list of sentence lengths in tokens) into inputs of at most `limit` tokens."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not 16 <= limit <= 4096:
        raise ValueError(f"the length limit must be between 16 and 4096 tokens, not {limit}")
    lengths = [[n for n in doc if n > 0] for doc in lengths]
    lengths = [doc for doc in lengths if doc]
    if not lengths:
        raise ValueError("the corpus has no sentences")
    if fmt in {"full_sentences", "doc_sentences"}:
        return _pack_sentences(lengths, limit, cross=fmt == "full_sentences")
    if len(lengths) < 2:
        raise ValueError("next-sentence pairs need at least two documents to draw a random sentence from")
    if all(len(doc) < 2 for doc in lengths):
        raise ValueError("next-sentence pairs need a document of at least two sentences")
    return _pack_pairs(lengths, limit, generator, whole_segments=fmt == "segment_pair")
