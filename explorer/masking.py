"""BERT's masking: 15% of tokens chosen, of those 80% [MASK], 10% a random token, 10% unchanged."""

from __future__ import annotations

from dataclasses import dataclass

import torch

KEEP, MASK, RANDOM = "kept", "mask", "random"


@dataclass(frozen=True)
class Corruption:
    """One corrupted copy of a sequence and what happened at each position."""

    input_ids: tuple[int, ...]  # after corruption
    labels: tuple[int, ...]  # the original id where a token was chosen, -100 elsewhere (ignored by the loss)
    action: tuple[str | None, ...]  # None (not chosen), "mask", "random" or "kept"

    @property
    def chosen(self) -> int:
        return sum(a is not None for a in self.action)


def corrupt(
    ids: list[int],
    special: list[bool],
    mask_id: int,
    vocab_size: int,
    generator: torch.Generator,
    rate: float = 0.15,
    mask_share: float = 0.8,
    random_share: float = 0.1,
) -> Corruption:
    """Choose `rate` of the non-special tokens and corrupt them 80/10/10; special tokens never change."""
    original = torch.tensor(ids)
    candidates = ~torch.tensor(special, dtype=torch.bool)
    chosen = (torch.rand(len(ids), generator=generator) < rate) & candidates
    roll = torch.rand(len(ids), generator=generator)
    to_mask = chosen & (roll < mask_share)
    to_random = chosen & (roll >= mask_share) & (roll < mask_share + random_share)
    corrupted = original.clone()
    corrupted[to_mask] = mask_id
    corrupted[to_random] = torch.randint(vocab_size, (int(to_random.sum()),), generator=generator)
    labels = torch.where(chosen, original, torch.full_like(original, -100))
    action = [
        (MASK if m else RANDOM if r else KEEP) if c else None
        for c, m, r in zip(chosen.tolist(), to_mask.tolist(), to_random.tolist(), strict=True)
    ]
    return Corruption(tuple(corrupted.tolist()), tuple(labels.tolist()), tuple(action))
