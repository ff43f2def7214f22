"""ELECTRA's replaced token detection on one sentence: a generator fills the masked positions with
samples, a discriminator scores every token as original or replaced; and the learning signal of
each objective (masked-LM learns from the masked ~15%, RTD from every token)."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from explorer.mechanics import masking

MAX_TOKENS = 128  # one sentence step by step: longer inputs are cut here, and the page says so


@dataclass(frozen=True)
class Replacement:
    """One sentence through ELECTRA's pre-training step; every tuple has one entry per token (T)."""

    tokens: tuple[str, ...]  # the original pieces
    masked_tokens: tuple[str, ...]  # the generator's input: [MASK] where chosen
    corrupted_tokens: tuple[str, ...]  # the discriminator's input: samples where chosen
    chosen: tuple[bool, ...]  # masked positions
    sample_prob: tuple[float, ...]  # generator's probability of its sample (0 where not chosen)
    replaced: tuple[bool, ...]  # the label: the token differs from the original
    detected: tuple[float, ...]  # discriminator's P(replaced)
    mlm_loss: tuple[float | None, ...]  # generator's cross-entropy on the original token; None if unmasked
    rtd_loss: tuple[float, ...]  # discriminator's binary cross-entropy, at every token
    truncated: bool  # the sentence was longer than MAX_TOKENS

    @property
    def accuracy(self) -> float:
        """Share of tokens the discriminator labels right (P(replaced) > 0.5 means 'replaced')."""
        right = [(p > 0.5) == r for p, r in zip(self.detected, self.replaced, strict=True)]
        return sum(right) / len(right)


def sample_replacements(
    logits: torch.Tensor, original: torch.Tensor, chosen: torch.Tensor, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Sample a token from the generator's softmax at each chosen position; others stay as they were.

    logits (T, V), original (T,), chosen (T,) bool -> corrupted ids (T,), probability of each sample (T,).
    """
    probs = logits.float().softmax(-1)
    corrupted = original.clone()
    sample_prob = torch.zeros(len(original))
    where = chosen.nonzero().flatten()
    if len(where):
        picked = torch.multinomial(probs[where].cpu(), 1, generator=generator).flatten().to(original.device)
        corrupted[where] = picked
        sample_prob[where.cpu()] = probs[where, picked].cpu()
    return corrupted, sample_prob


def rtd_labels(original: torch.Tensor, corrupted: torch.Tensor) -> torch.Tensor:
    """1 where the token changed; a sample equal to the original counts as original (as in the paper)."""
    return (corrupted != original).long()


@torch.inference_mode()
def replace_and_detect(
    generator_model, discriminator, tokenizer, text: str, generator: torch.Generator, rate: float = 0.15
) -> Replacement:
    """Mask `rate` of the tokens, let the generator fill them, let the discriminator find them."""
    masked_text = masking.corrupt_text(tokenizer, text, generator, MAX_TOKENS, rate, mask_share=1.0)
    ids, masked = list(masked_text.ids), masked_text.corruption
    device = next(generator_model.parameters()).device
    original = torch.tensor(ids, device=device)
    chosen = torch.tensor([a is not None for a in masked.action], device=device)
    logits = generator_model(input_ids=torch.tensor([masked.input_ids], device=device)).logits[0]  # (T, V)
    corrupted, sample_prob = sample_replacements(logits, original, chosen, generator)
    labels = rtd_labels(original, corrupted)
    scores = discriminator(input_ids=corrupted[None]).logits[0].float()  # (T,)
    mlm = torch.nn.functional.cross_entropy(logits.float(), original, reduction="none")
    rtd = torch.nn.functional.binary_cross_entropy_with_logits(scores, labels.float(), reduction="none")
    pieces = tokenizer.convert_ids_to_tokens
    return Replacement(
        tokens=tuple(pieces(ids)),
        masked_tokens=tuple(pieces(list(masked.input_ids))),
        corrupted_tokens=tuple(pieces(corrupted.tolist())),
        chosen=tuple(chosen.tolist()),
        sample_prob=tuple(sample_prob.tolist()),
        replaced=tuple(bool(x) for x in labels.tolist()),
        detected=tuple(scores.sigmoid().tolist()),
        mlm_loss=tuple(float(v) if c else None for v, c in zip(mlm.tolist(), chosen.tolist(), strict=True)),
        rtd_loss=tuple(rtd.tolist()),
        truncated=len(tokenizer(text)["input_ids"]) > MAX_TOKENS,
    )
