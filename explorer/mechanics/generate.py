"""Causal language modelling: the causal mask, next-token distributions, sampling, per-token loss."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch


def causal_mask(length: int) -> np.ndarray:
    """(T, T) with 1 where query i may attend to key j (j <= i): the decoder's mask."""
    return np.tril(np.ones((length, length), dtype=np.int8))


@dataclass(frozen=True)
class NextToken:
    """The model's distribution over the next token after a prefix."""

    candidates: tuple[tuple[str, float], ...]  # top-k (readable token, probability)
    logits: torch.Tensor  # (V,) raw scores for the next position


def _device(model) -> torch.device:
    return next(model.parameters()).device


@torch.inference_mode()
def next_token(model, tokenizer, ids: list[int], k: int = 10) -> NextToken:
    """Top-k next tokens after `ids`, from the LM head."""
    if not ids:
        raise ValueError("the prefix is empty")
    logits = model(torch.tensor([ids], device=_device(model))).logits[0, -1].float().cpu()
    top = logits.softmax(-1).topk(k)
    words = [tokenizer.decode([i]) for i in top.indices.tolist()]
    return NextToken(tuple(zip(words, top.values.tolist(), strict=True)), logits)


def filtered_probs(logits: torch.Tensor, temperature: float, top_k: int, top_p: float) -> torch.Tensor:
    """Softmax(logits / T), then keep the top_k most likely and the smallest set reaching top_p."""
    if temperature <= 0:
        raise ValueError("temperature must be above 0")
    probs = (logits / temperature).softmax(-1)
    if 0 < top_k < probs.numel():
        probs = torch.where(probs >= probs.topk(top_k).values[-1], probs, torch.zeros_like(probs))
    if 0 < top_p < 1:
        ordered, order = probs.sort(descending=True)
        before = ordered.cumsum(-1) - ordered  # mass of the tokens ranked above each one
        ordered = torch.where(before < top_p * ordered.sum(), ordered, torch.zeros_like(ordered))
        probs = torch.zeros_like(probs).scatter(0, order, ordered)
    return probs / probs.sum()


def sample(
    logits: torch.Tensor, temperature: float, top_k: int, top_p: float, generator: torch.Generator
) -> int:
    """Draw one token id from the filtered distribution."""
    return int(torch.multinomial(filtered_probs(logits, temperature, top_k, top_p), 1, generator=generator))


@dataclass(frozen=True)
class TokenLoss:
    """The LM objective on a text: at each position, the loss of predicting the next token."""

    inputs: tuple[str, ...]  # token at position t
    targets: tuple[str, ...]  # token at t + 1: the label, shifted by one
    loss: tuple[float, ...]  # -log p(target | tokens up to t), in nats
    mean: float  # the model's loss on the text; exp(mean) is its perplexity


@torch.inference_mode()
def token_losses(model, tokenizer, text: str, max_tokens: int = 1024) -> TokenLoss:
    """Cross-entropy of each next token, with labels = inputs shifted left by one."""
    ids = tokenizer(text, truncation=True, max_length=max_tokens, return_tensors="pt")["input_ids"]
    if ids.shape[1] < 2:
        raise ValueError("need at least two tokens to predict one from the other")
    logits = model(ids.to(_device(model))).logits[0, :-1].float().cpu()
    targets = ids[0, 1:]
    loss = torch.nn.functional.cross_entropy(logits, targets, reduction="none")
    pieces = [tokenizer.decode([i]) for i in ids[0].tolist()]
    return TokenLoss(tuple(pieces[:-1]), tuple(pieces[1:]), tuple(loss.tolist()), float(loss.mean()))


@torch.inference_mode()
def last_row_attention(model, ids: list[int]) -> np.ndarray:
    """Where the last position (the one predicting the next token) looks: (L, H, T)."""
    out = model(torch.tensor([ids], device=_device(model)), output_attentions=True)
    return torch.stack([layer[0, :, -1] for layer in out.attentions]).float().cpu().numpy()
