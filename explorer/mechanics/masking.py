"""BERT's masking: 15% of tokens chosen, of those 80% [MASK], 10% a random token, 10% unchanged;
and RoBERTa's question of when to draw the mask: once (static, K copies) or every epoch (dynamic)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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
    random_share: float | None = None,
) -> Corruption:
    """Choose `rate` of the non-special tokens and corrupt them 80/10/10; special tokens never change.

    At least one non-special token is chosen, as in BERT's data script (max(1, round(15% of the
    tokens))): a 6-token sentence at 15% would otherwise predict nothing for 38% of seeds.
    `random_share` defaults to half of what `mask_share` leaves (BERT's 10% random, 10% kept).
    """
    random_share = (1 - mask_share) / 2 if random_share is None else random_share
    original = torch.tensor(ids)
    candidates = ~torch.tensor(special, dtype=torch.bool)
    chosen = (torch.rand(len(ids), generator=generator) < rate) & candidates
    if not chosen.any() and candidates.any():  # a draw only then: other seeds keep their masks
        where = candidates.nonzero().flatten()
        chosen[where[torch.randint(len(where), (1,), generator=generator)]] = True
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


@dataclass(frozen=True)
class MaskedText:
    """A text as the model's ids and one corruption of them, every tuple one entry per token (T)."""

    ids: tuple[int, ...]  # the original ids, special tokens included, cut to the length asked for
    special: tuple[bool, ...]
    corruption: Corruption


def maskable(tokenizer, text: str, max_tokens: int) -> tuple[list[int], list[bool]]:
    """(ids, special flags) of `text` with its special tokens, cut to `max_tokens` keeping the last."""
    enc = tokenizer(text, truncation=True, max_length=max_tokens, return_special_tokens_mask=True)
    return enc["input_ids"], [bool(s) for s in enc["special_tokens_mask"]]


def corrupt_text(
    tokenizer,
    text: str,
    generator: torch.Generator,
    max_tokens: int,
    rate: float = 0.15,
    mask_share: float = 0.8,
) -> MaskedText:
    """Tokenize `text` and corrupt it with `corrupt` (80/10/10 by default; mask_share=1.0 masks every
    chosen token, as ELECTRA's generator input); ValueError when it has no token to mask."""
    ids, special = maskable(tokenizer, text, max_tokens)
    if all(special):
        raise ValueError("the text has no tokens to mask")
    out = corrupt(ids, special, tokenizer.mask_token_id, len(tokenizer), generator, rate, mask_share)
    return MaskedText(tuple(ids), tuple(special), out)


MAX_EPOCHS = 200  # a grid of epochs x tokens stays readable and quick to draw


@dataclass(frozen=True)
class MaskSchedule:
    """Which tokens are chosen for prediction in each epoch, under static or dynamic masking."""

    mode: str  # "static": K masked copies made once, reused in turn; "dynamic": a new mask every epoch
    copies: int  # K for static masking (1 copy = BERT's original single mask); 0 for dynamic
    chosen: np.ndarray  # (epochs, T) bool: the tokens whose label the loss reads in that epoch
    corruptions: tuple[Corruption, ...]  # the corrupted input of each epoch

    @property
    def distinct_masks(self) -> int:
        """How many different masks the sequence met over all epochs."""
        return len({row.tobytes() for row in self.chosen})

    def distinct_per_token(self) -> np.ndarray:
        """(T,) for each token: the number of different masks among the epochs that chose it."""
        counts = np.zeros(self.chosen.shape[1], dtype=int)
        for position in range(self.chosen.shape[1]):
            rows = self.chosen[self.chosen[:, position]]
            counts[position] = len({row.tobytes() for row in rows})
        return counts


def mask_schedule(
    ids: list[int],
    special: list[bool],
    mask_id: int,
    vocab_size: int,
    epochs: int,
    generator: torch.Generator,
    copies: int | None = None,
    rate: float = 0.15,
) -> MaskSchedule:
    """Masks over `epochs` epochs: static with `copies` copies (epoch e reads copy e mod K), or
    dynamic (copies=None), a fresh 80/10/10 corruption each time the sequence is fed."""
    if not 1 <= epochs <= MAX_EPOCHS:
        raise ValueError(f"epochs must be between 1 and {MAX_EPOCHS}, not {epochs}")
    if copies is not None and not 1 <= copies <= epochs:
        raise ValueError(f"copies must be between 1 and the number of epochs ({epochs}), not {copies}")
    made = copies if copies is not None else epochs
    drawn = [corrupt(ids, special, mask_id, vocab_size, generator, rate) for _ in range(made)]
    per_epoch = tuple(drawn[e % made] for e in range(epochs))
    chosen = np.array([[a is not None for a in c.action] for c in per_epoch], dtype=bool).reshape(epochs, -1)
    mode = "dynamic" if copies is None else "static"
    return MaskSchedule(mode, copies or 0, chosen, per_epoch)
