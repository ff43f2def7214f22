"""Figure 25: LSH attention computed chunk by chunk equals the same attention computed whole."""

import numpy as np
import pytest
import torch

from explorer.families.reformer import lsh, lsh_chunks


def seeded(length: int, dim: int = 16, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(length, dim, generator=generator), torch.randn(length, dim, generator=generator)


@pytest.mark.parametrize("causal", [True, False])
@pytest.mark.parametrize("length,chunk", [(64, 16), (128, 32), (32, 16)])
def test_chunked_attention_reassembled_equals_the_unchunked_lsh_attention(length, chunk, causal):
    vectors, values = seeded(length)
    buckets = torch.from_numpy(lsh.hash_steps(vectors, 8, 1, chunk, causal).buckets[0])
    result = lsh_chunks.chunked_attention(vectors, values, buckets, chunk, causal)
    assert result.output.shape == (length, 16)
    assert np.allclose(result.output, result.unchunked, atol=1e-5)
    assert np.allclose(result.probs.sum(-1), 1, atol=1e-5)  # every chunk's rows are distributions


def test_each_chunk_looks_only_at_itself_and_the_chunk_before():
    vectors, values = seeded(64)
    buckets = torch.from_numpy(lsh.hash_steps(vectors, 4, 1, 16).buckets[0])
    result = lsh_chunks.chunked_attention(vectors, values, buckets, 16, causal=False)
    weights, computed = result.sorted_weights()
    assert computed.sum() == 64 * 32  # C blocks of (c, 2c), not T x T
    assert (weights[~computed] == 0).all()
    assert computed[16:32, 0:32].all() and not computed[16:32, 32:].any()  # chunk 1: chunks 0 and 1
    assert computed[0:16, 48:64].all()  # chunk 0 looks back at the last chunk, as the model does
    assert np.allclose(weights.sum(-1), 1, atol=1e-5)
    assert 0 < result.same_bucket_kept <= 1


def test_one_bucket_per_token_pair_is_kept_when_a_bucket_fits_in_a_chunk():
    vectors, values = seeded(32)
    buckets = torch.arange(32) // 8  # four buckets of 8 tokens, chunks of 8: each bucket is one chunk
    result = lsh_chunks.chunked_attention(vectors, values, buckets, 8)
    assert result.same_bucket_kept == 1.0


def test_one_chunk_is_refused():
    vectors, values = seeded(16)
    with pytest.raises(lsh.HashError, match="two chunks"):
        lsh_chunks.chunked_attention(vectors, values, torch.zeros(16, dtype=torch.long), 16)
