"""RoBERTa's four ways of packing a corpus into training inputs (Liu et al. 2019, section 4.2).

SEGMENT-PAIR+NSP  two segments of several sentences, B the true continuation half of the time
SENTENCE-PAIR+NSP two single sentences, B the true next sentence half of the time
FULL-SENTENCES    whole sentences packed up to the limit, crossing documents (a separator between)
DOC-SENTENCES     the same, but never crossing a document boundary

The pair formats read each sentence of a document once (a true B is not read again as the next A),
take a negative's B from a random place in another document, and cut a sentence longer than its
segment's room (as BERT's data script truncates). The packed formats carry the rest of a sentence
longer than the room left into the next input, so no text is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch

from explorer.mechanics.pretraining import split_sentences

FORMATS = ("segment_pair", "sentence_pair", "full_sentences", "doc_sentences")
PAIR_SPECIALS, SINGLE_SPECIALS = 4, 2  # <s> A </s></s> B </s>  and  <s> A </s>


@dataclass(frozen=True)
class Span:
    """One sentence (or its cut head) placed in a packed input."""

    document: int
    sentence: int
    segment: int  # 0 = A, 1 = B (pair formats); always 0 for the single-sequence formats
    start: int  # token offset inside the input, specials included
    length: int  # tokens of the sentence placed here
    cut: bool = False  # the sentence goes on past this span (in the next input, or cut off in a pair)
    offset: int = 0  # tokens of the sentence placed before this span (the rest of a carried sentence)


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
    """FULL-SENTENCES (cross=True) or DOC-SENTENCES: fill each input with whole sentences in order; a
    sentence longer than a whole input fills it and goes on in the next one."""
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
            done = 0
            while done < n:
                if used + separator + 1 >= limit:  # no room left for a single token: go on in the next
                    flush()
                    separator = 0
                take = min(n - done, limit - 1 - used - separator)
                spans.append(Span(doc, sent, 0, used + separator, take, done + take < n, done))
                used, done, separator = used + separator + take, done + take, 0
    if spans:
        flush()
    return packed


def _other_place(lengths: list[list[int]], doc: int, generator: torch.Generator) -> tuple[int, int]:
    """A random document other than `doc`, and a random sentence of it to start a negative's B."""
    pick = int(torch.randint(len(lengths) - 1, (1,), generator=generator))
    other = pick + (pick >= doc)
    return other, int(torch.randint(len(lengths[other]), (1,), generator=generator))


def _segment_end(sentences: list[int], start: int, room: int, whole_segments: bool, last: int) -> int:
    """Where a segment from `start` ends (exclusive): one sentence, or as many whole sentences as fit
    in `room`, ending by `last`; a first sentence longer than `room` is cut when placed."""
    end = start + 1
    while whole_segments and end < last and sum(sentences[start : end + 1]) <= room:
        end += 1
    return end


Segment = tuple[int, int, int]  # (document, first sentence, end sentence exclusive)


def _pair(lengths: list[list[int]], a: Segment, b: Segment, limit: int, is_next: bool) -> Packed:
    """One pair input: A's sentences then B's, each side cut to its room."""
    half = (limit - PAIR_SPECIALS) // 2
    spans: list[Span] = []
    used = 1
    for segment, (doc, first, end) in enumerate((a, b)):
        room_end = 1 + half if segment == 0 else limit - 1
        for sent in range(first, end):
            used = _place(spans, doc, sent, segment, used, lengths[doc][sent], room_end - used)
        used += 2 if segment == 0 else 0  # </s></s> between A and B
    return Packed(tuple(spans), used + 1, is_next)


def _pack_pairs(lengths: list[list[int]], limit: int, generator, whole_segments: bool) -> list[Packed]:
    """SEGMENT-PAIR (several sentences a side) or SENTENCE-PAIR (one sentence a side), 50% true next."""
    packed, half = [], (limit - PAIR_SPECIALS) // 2
    for doc, sentences in enumerate(lengths):
        index = 0
        while index < len(sentences) - 1:
            a_end = _segment_end(sentences, index, half, whole_segments, len(sentences) - 1)
            is_next = bool(torch.rand(1, generator=generator) < 0.5)
            b_doc, b_start = (doc, a_end) if is_next else _other_place(lengths, doc, generator)
            a_room = min(half, sum(sentences[index:a_end]))
            b_room = limit - PAIR_SPECIALS - a_room
            b_end = _segment_end(lengths[b_doc], b_start, b_room, whole_segments, len(lengths[b_doc]))
            packed.append(_pair(lengths, (doc, index, a_end), (b_doc, b_start, b_end), limit, is_next))
            index = b_end if is_next else a_end  # a true B is this document's text: not read again
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
