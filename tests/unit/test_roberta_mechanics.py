"""RoBERTa's mechanics: static masks repeat with period K, dynamic ones do not; packed inputs fit
their limit and keep each format's boundaries; its embedding sum is what its LayerNorm receives."""

import numpy as np
import pytest
import torch

from explorer import models, registry
from explorer.families.roberta import packing
from explorer.mechanics import embeddings, masking

IDS = list(range(1000, 1040))
SPECIAL = [True] + [False] * 38 + [True]


def schedule(seed: int, epochs: int, copies: int | None) -> masking.MaskSchedule:
    generator = torch.Generator().manual_seed(seed)
    return masking.mask_schedule(IDS, SPECIAL, 50264, 50265, epochs, generator, copies)


@pytest.mark.parametrize("copies", [1, 3, 10])
def test_static_masks_repeat_with_period_k(copies):
    for seed in range(50):
        result = schedule(seed, 40, copies)
        for epoch in range(copies, 40):
            assert np.array_equal(result.chosen[epoch], result.chosen[epoch - copies])
            assert result.corruptions[epoch] == result.corruptions[epoch - copies]
        assert result.distinct_masks <= copies


def test_dynamic_masks_do_not_repeat():
    repeats = 0
    for seed in range(50):
        result = schedule(seed, 40, None)
        repeats += 40 - result.distinct_masks
        assert not result.chosen[:, [0, -1]].any()  # special tokens are never chosen
    # Only chance repeats (mostly two empty masks: 0.85^38 = 0.2% each); static would give 50 x 30.
    assert repeats <= 5


def test_distinct_masks_per_token_are_bounded_by_k_under_static_masking():
    static, dynamic = schedule(0, 40, 4), schedule(0, 40, None)
    assert static.distinct_per_token().max() <= 4
    assert (dynamic.distinct_per_token() == dynamic.chosen.sum(0)).all()


@pytest.mark.parametrize(("epochs", "copies"), [(0, None), (10_000, None), (10, 0), (10, 10_000)])
def test_out_of_range_epochs_or_copies_are_refused(epochs, copies):
    with pytest.raises(ValueError):
        schedule(0, epochs, copies)


def corpus(seed: int) -> list[list[int]]:
    rng = np.random.default_rng(seed)
    return [list(rng.integers(1, 120, rng.integers(1, 9))) for _ in range(rng.integers(2, 7))]


@pytest.mark.parametrize("fmt", packing.FORMATS)
@pytest.mark.parametrize("limit", [32, 128, 512])
def test_packed_inputs_never_exceed_the_limit_and_keep_their_format(fmt, limit):
    for seed in range(30):
        lengths = corpus(seed)
        if fmt in {"segment_pair", "sentence_pair"} and all(len(d) < 2 for d in lengths):
            continue
        packed = packing.pack(lengths, fmt, limit, torch.Generator().manual_seed(seed))
        for item in packed:
            assert item.length <= limit
            assert all(s.length <= lengths[s.document][s.sentence] for s in item.spans)
            cut = [s for s in item.spans if s.cut]
            assert all(s.length < lengths[s.document][s.sentence] for s in cut)
            _check_format(fmt, item)


def _check_format(fmt: str, item: packing.Packed) -> None:
    docs = [s.document for s in item.spans]
    if fmt == "doc_sentences":
        assert len(set(docs)) == 1
    if fmt in {"full_sentences", "doc_sentences"}:
        assert item.is_next is None and {s.segment for s in item.spans} == {0}
        order = [(s.document, s.sentence) for s in item.spans]
        assert order == sorted(order)  # contiguous text, in corpus order
        return
    a = [s for s in item.spans if s.segment == 0]
    b = [s for s in item.spans if s.segment == 1]
    assert a and b and len({s.document for s in a}) == 1 and len({s.document for s in b}) == 1
    if fmt == "sentence_pair":
        assert len(a) == len(b) == 1
    if item.is_next:
        assert b[0].document == a[-1].document and b[0].sentence == a[-1].sentence + 1
    else:
        assert b[0].document != a[0].document


def test_full_sentences_cross_documents_and_doc_sentences_do_not():
    lengths = [[10, 10], [10, 10], [10]]
    full = packing.pack(lengths, "full_sentences", 512, torch.Generator())
    doc = packing.pack(lengths, "doc_sentences", 512, torch.Generator())
    assert len(full) == 1 and full[0].length == 1 + 50 + 2 + 1  # two separators between three documents
    assert len(doc) == 3


def test_pairs_need_two_documents_and_formats_are_checked():
    with pytest.raises(ValueError, match="two documents"):
        packing.pack([[10, 10, 10]], "sentence_pair", 128, torch.Generator())
    with pytest.raises(ValueError, match="no sentences"):
        packing.pack([[]], "full_sentences", 128, torch.Generator())
    with pytest.raises(ValueError, match="unknown format"):
        packing.pack([[10]], "nope", 128, torch.Generator())


def test_roberta_embedding_sum_is_what_its_layernorm_receives():
    loaded = models.load(registry.family("roberta"), "base", online=False)
    start = embeddings.first_position(loaded.model, registry.family("roberta").positions_after_padding)
    assert start == 2  # padding_idx 1, so the first real position id is 2
    parts = embeddings.input_embeddings(loaded.model, loaded.tokenizer, "The bank.", "A river.", start)
    own = embeddings.layernorm_input(loaded.model, loaded.tokenizer, "The bank.", "A river.")
    assert np.abs(parts.total - own).max() == 0.0
