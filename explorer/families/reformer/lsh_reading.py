"""A reading of the real Reformer's LSH layers whose random rotations come from the caller's seed.

ReformerModel draws each LSH layer's rotations from torch's process-wide RNG, so a reading would move
every other session's random stream, and two readings at once would take each other's draws. Here each
LSH layer is handed buckets hashed exactly as the model hashes (argmax over [xR; -xR], factorised
bucket counts, one offset per round) with rotations from a torch.Generator of the reading's own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import torch

from explorer.families.reformer import lsh

# Registering a hook changes a shared model's hook table: one reading at a time, so no forward of
# another reading walks the table while it changes. Model builds and loads do not wait on this.
_READING = threading.Lock()


def _bucket_sizes(attention) -> tuple[int, ...]:
    """The layer's bucket count as factors (an int is one factor), each even as the model requires."""
    sizes = attention.num_buckets
    if sizes is None:  # the model would pick a count from the length and write it into the shared config
        raise lsh.HashError("this model's config leaves num_buckets unset: set it to read the LSH layers")
    return (sizes,) if isinstance(sizes, int) else tuple(sizes)


def hash_buckets(
    attention,
    vectors: torch.Tensor,
    rounds: int,
    generator: torch.Generator,
    mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """(B, H, R*T) bucket ids with round offsets for (B, H, T, d) shared query/key vectors, as
    LSHSelfAttention._hash_vectors makes them (padding, where `mask` has any, in a bucket of its own).

    Rotations are drawn on the CPU from `generator` in float32, then moved to the vectors' device and
    dtype, so one seed gives the same rotations on every device.
    """
    heads, size = vectors.shape[1], vectors.shape[-1]
    sizes = _bucket_sizes(attention)
    rotations = torch.randn((heads, size, rounds, sum(sizes) // 2), generator=generator)
    rotations = rotations.to(vectors.device, vectors.dtype)
    rotated = torch.einsum("bmtd,mdhr->bmhtr", vectors.detach(), rotations)  # (B, H, R, T, sum/2)
    buckets, start, scale = torch.zeros_like(rotated[..., 0], dtype=torch.long), 0, 1
    for factor in sizes:
        part = rotated[..., start : start + factor // 2]
        buckets = buckets + scale * torch.cat([part, -part], dim=-1).argmax(-1)
        start, scale = start + factor // 2, scale * factor
    if mask is not None and not mask.bool().all():
        buckets = torch.where(mask.bool()[:, None, None, :], buckets, scale)  # the extra padding bucket
        scale += 1
    offsets = torch.arange(rounds, device=buckets.device).view(1, 1, -1, 1) * scale
    return (buckets + offsets).flatten(2)


@contextmanager
def own_rotations(model, seed: int) -> Iterator[None]:
    """While inside, this thread's forwards of `model` hash every LSH layer with rotations from `seed`."""
    generator = torch.Generator().manual_seed(seed)
    caller = threading.get_ident()

    def give_buckets(attention, args, kwargs):
        if threading.get_ident() != caller or kwargs.get("buckets") is not None:
            return None
        hidden = kwargs["hidden_states"]
        batch, length, _ = hidden.shape
        heads, size = attention.num_attention_heads, attention.attention_head_size
        vectors = attention.query_key(hidden).view(batch, length, heads, size).transpose(1, 2)
        rounds = kwargs.get("num_hashes") or attention.num_hashes
        buckets = hash_buckets(attention, vectors, rounds, generator, kwargs.get("attention_mask"))
        return args, {**kwargs, "buckets": buckets}

    layers = [model.encoder.layers[i].attention.self_attention for i in lsh.lsh_layers(model)]
    with _READING:
        handles = [a.register_forward_pre_hook(give_buckets, with_kwargs=True) for a in layers]
        try:
            yield
        finally:
            for handle in handles:
                handle.remove()


def read(model, input_ids: torch.Tensor, layer: int, seed: int = 0) -> lsh.LshReading:
    """lsh.read_lsh with every LSH layer's rotations drawn from `seed`: torch's global RNG is untouched."""
    with own_rotations(model, seed):
        return lsh.read_lsh(model, input_ids, layer)
