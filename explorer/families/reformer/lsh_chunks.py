"""LSH attention chunk by chunk (the book's figure 25): sort by bucket, cut into chunks, attend in chunks.

After hashing, tokens are sorted by (bucket, position) and the sorted order is cut into chunks of c
tokens; each chunk's queries attend to the keys of their own chunk and of the chunk before it (the first
chunk's "before" is the last, as in ReformerModel). Only C small (c, 2c) weight blocks are computed.
The same attention written as one (T, T) softmax with a mask gives the same output; that is the check.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from explorer.families.reformer.lsh import HashError, sorted_order


@dataclass(frozen=True)
class ChunkedAttention:
    """One round of LSH attention computed in chunks, beside the same attention computed whole."""

    buckets: np.ndarray  # (T,) bucket of each token
    order: np.ndarray  # (T,) token positions sorted by (bucket, position)
    chunk: int
    probs: np.ndarray  # (C, c, 2c) each chunk's weights over (previous chunk, own chunk)
    output: np.ndarray  # (T, d) chunked attention, back in token order
    unchunked: np.ndarray  # (T, d) the same attention as one masked (T, T) softmax
    same_bucket_kept: float  # share of same-bucket (query, key) pairs the chunks let attend

    @property
    def gap(self) -> float:
        """Largest |chunked - unchunked| over every output value."""
        return float(np.abs(self.output - self.unchunked).max())

    @property
    def n_chunks(self) -> int:
        return len(self.order) // self.chunk

    def sorted_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """(T, T) weights, rows and columns in sorted order, and (T, T) bool: the blocks computed."""
        c, n = self.chunk, self.n_chunks
        weights = np.zeros((n * c, n * c), dtype=np.float32)
        computed = np.zeros_like(weights, dtype=bool)
        for i in range(n):
            rows, before = slice(i * c, (i + 1) * c), (i - 1) % n
            weights[rows, before * c : (before + 1) * c] = self.probs[i, :, :c]
            weights[rows, i * c : (i + 1) * c] += self.probs[i, :, c:]
            computed[rows, before * c : (before + 1) * c] = computed[rows, i * c : (i + 1) * c] = True
        return weights, computed


def _keys(vectors: torch.Tensor) -> torch.Tensor:
    """Reformer shares one projection for queries and keys; the keys are the unit-length queries."""
    return vectors / vectors.norm(dim=-1, keepdim=True).clamp_min(1e-6)


def _chunked(vectors, values, order, chunk: int, causal: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """(C, c, 2c) weights and the (T, d) output in token order, computed one chunk at a time."""
    queries = order.view(-1, chunk)  # (C, c) positions of each chunk's queries
    keys = torch.cat([queries.roll(1, dims=0), queries], dim=1)  # (C, 2c): previous chunk, own chunk
    scores = vectors[queries] @ _keys(vectors)[keys].transpose(1, 2) / vectors.shape[-1] ** 0.5
    if causal:
        scores = scores.masked_fill(keys[:, None, :] > queries[:, :, None], float("-inf"))
    probs = scores.softmax(-1)  # (C, c, 2c)
    output = torch.empty_like(values)
    output[queries.reshape(-1)] = (probs @ values[keys]).reshape(-1, values.shape[-1])
    return probs, output


def allowed_pairs(order: torch.Tensor, chunk: int, causal: bool) -> torch.Tensor:
    """(T, T) bool from the chunk numbers alone: key j is in query i's chunk or the one before."""
    n = len(order) // chunk
    rank = torch.empty_like(order)
    rank[order] = torch.arange(len(order))
    block = rank // chunk  # (T,) chunk of each token
    allowed = (block[None, :] == block[:, None]) | (block[None, :] == (block[:, None] - 1) % n)
    if causal:
        allowed &= torch.ones_like(allowed).tril()
    return allowed


def chunked_attention(
    vectors: torch.Tensor, values: torch.Tensor, buckets: torch.Tensor, chunk: int, causal: bool = True
) -> ChunkedAttention:
    """One round of LSH attention over (T, d) shared query/key vectors and (T, d_v) values, in chunks of
    `chunk` sorted tokens, and the same attention as one masked (T, T) softmax."""
    length = len(vectors)
    if chunk < 1 or length % chunk or length // chunk < 2:
        raise HashError(f"{length} tokens: use a multiple of the chunk length {chunk}, at least two chunks")
    vectors, values, buckets = vectors.float().cpu(), values.float().cpu(), buckets.cpu()
    order = sorted_order(buckets)
    probs, output = _chunked(vectors, values, order, chunk, causal)
    allowed = allowed_pairs(order, chunk, causal)
    scores = vectors @ _keys(vectors).T / vectors.shape[-1] ** 0.5  # (T, T)
    unchunked = scores.masked_fill(~allowed, float("-inf")).softmax(-1) @ values
    same = buckets[:, None] == buckets[None, :]
    if causal:
        same &= torch.ones_like(same).tril()
    kept = float((same & allowed).sum() / same.sum())
    return ChunkedAttention(
        buckets.numpy(), order.numpy(), chunk, probs.numpy(), output.numpy(), unchunked.numpy(), kept
    )
