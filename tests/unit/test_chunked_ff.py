"""Reformer's chunked feed-forward (figure 20c): the same output, a lower measured peak."""

import pytest
import torch

from explorer.families.reformer import chunked_ff
from explorer.mechanics import cost


@pytest.mark.parametrize(("length", "chunk"), [(1024, 64), (1000, 64), (7, 3), (64, 128)])
def test_chunked_feed_forward_equals_the_unchunked_one(length, chunk):
    block = chunked_ff.build(seed=1)
    x = torch.randn(length, block.hidden, generator=torch.Generator().manual_seed(2))
    whole, chunked = chunked_ff.apply(block, x), chunked_ff.apply_chunked(block, x, chunk)
    assert whole.shape == (length, block.hidden)
    torch.testing.assert_close(chunked, whole, atol=1e-5, rtol=0)


def test_chunked_feed_forward_peaks_lower():
    """Unchunked, the (T, d_ff) activation exists whole: 4096 x 512 x 4 bytes = 8 MiB on its own.
    Chunked by 64, it is 64 x 512 x 4 = 128 KiB; both write the same (T, d) output (4 MiB)."""
    block = chunked_ff.build()
    length, chunk = 4096, 64
    whole = cost.peak_memory(chunked_ff.call(block, "unchunked", length, chunk), "cpu")
    chunked = cost.peak_memory(chunked_ff.call(block, "chunked", length, chunk), "cpu")
    activation = length * chunked_ff.FEED_FORWARD * 4
    assert whole >= activation
    assert chunked < whole - activation // 2, (chunked, whole)


def test_a_sweep_measures_both_lines_at_every_length():
    result = chunked_ff.ff_memory((256, 512), 64)
    assert {(p.line, p.length) for p in result.points} == {
        (line, n) for line in chunked_ff.LINES for n in (256, 512)
    }
    assert result.value("chunked", 512, "peak_bytes") < result.value("unchunked", 512, "peak_bytes")
