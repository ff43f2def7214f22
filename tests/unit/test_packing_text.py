"""RoBERTa's packed inputs use the corpus as the paper describes: each sentence once, the rest of a cut
sentence carried on, NSP negatives half the pairs, their B from anywhere in another document."""

from collections import Counter

import numpy as np
import pytest
import torch

from explorer.families.roberta import packing

PAIRS = ("segment_pair", "sentence_pair")


def corpus(seed: int, docs: int = 6) -> list[list[int]]:
    rng = np.random.default_rng(seed)
    return [[int(n) for n in rng.integers(3, 30, rng.integers(3, 12))] for _ in range(docs)]


def own_text(item: packing.Packed) -> list[tuple[int, int]]:
    """The sentences an input takes from its own document: A, and B when it is the true next."""
    a_doc = item.spans[0].document
    return [
        (s.document, s.sentence) for s in item.spans if s.segment == 0 or item.is_next and s.document == a_doc
    ]


@pytest.mark.parametrize("fmt", PAIRS)
def test_pair_formats_read_each_sentence_of_a_document_once(fmt):
    for seed in range(20):
        packed = packing.pack(corpus(seed), fmt, 64, torch.Generator().manual_seed(seed))
        used = Counter(key for item in packed for key in own_text(item))
        assert max(used.values()) == 1, f"seed {seed}: {used.most_common(3)}"


@pytest.mark.parametrize("fmt", PAIRS)
def test_nsp_negatives_are_half_the_pairs_and_take_b_from_anywhere_in_another_document(fmt):
    negatives, firsts = 0, Counter()
    packed = [
        item
        for seed in range(40)
        for item in packing.pack(corpus(seed), fmt, 64, torch.Generator().manual_seed(seed))
    ]
    for item in packed:
        if item.is_next is False:
            a = [s for s in item.spans if s.segment == 0]
            b = [s for s in item.spans if s.segment == 1]
            assert {s.document for s in b} != {a[0].document} and len({s.document for s in b}) == 1
            negatives += 1
            firsts[b[0].sentence] += 1
    assert 0.4 < negatives / len(packed) < 0.6
    assert sum(n for sentence, n in firsts.items() if sentence > 0) > negatives / 2


@pytest.mark.parametrize("fmt", ("full_sentences", "doc_sentences"))
@pytest.mark.parametrize("limit", [32, 128])
def test_a_sentence_longer_than_the_room_left_goes_on_in_the_next_input(fmt, limit):
    lengths = [[10, 300, 12], [5, 70]]
    packed = packing.pack(lengths, fmt, limit, torch.Generator())
    placed = Counter()
    for item in packed:
        assert item.length <= limit
        for s in item.spans:
            placed[s.document, s.sentence] += s.length
    assert placed == {(d, i): n for d, doc in enumerate(lengths) for i, n in enumerate(doc)}
    order = [(s.document, s.sentence, s.offset) for item in packed for s in item.spans]
    assert order == sorted(order)  # the text in corpus order, each piece of a sentence after the last
