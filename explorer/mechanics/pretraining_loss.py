"""One BertForPreTraining input with both losses on it (the book's figure 5): [CLS] -> NSP, each masked
token -> MLM, and the total the model trains on, loss = MLM + NSP, checked against the model's own."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from explorer.mechanics import masking

IS_NEXT, NOT_NEXT = 0, 1  # BertForPreTraining's next_sentence_label: 0 = B follows A


@dataclass(frozen=True)
class MaskedToken:
    """What the MLM head does at one masked position."""

    position: int  # index into the input's tokens
    label: str  # the original token: the MLM label
    predicted: str  # the head's argmax
    label_prob: float  # P(label) under the head
    loss: float  # -log P(label)


@dataclass(frozen=True)
class PretrainingLoss:
    """Both pre-training losses on one sentence pair, by hand and as the model reports them."""

    tokens: tuple[str, ...]  # (T,) the input with [MASK] at the chosen positions
    segments: tuple[int, ...]  # (T,) 0 for [CLS] A [SEP], 1 for B [SEP]
    masked: tuple[MaskedToken, ...]  # one per masked position, in order
    nsp_logits: tuple[float, float]  # [CLS]'s two scores: IsNext, NotNext
    nsp_label: int  # IS_NEXT or NOT_NEXT
    nsp_prob: float  # P(the label) under the NSP head
    mlm_loss: float  # mean cross-entropy over the masked positions
    nsp_loss: float  # cross-entropy of the NSP label
    total: float  # mlm_loss + nsp_loss
    model_loss: float  # the model's own `loss` output for the same labels


def masked_pair(tokenizer, first: str, second: str, generator: torch.Generator, rate: float = 0.15):
    """The pair's encoding (a dict of (1, T) tensors) and its MLM labels (1, T), -100 where unmasked.

    Every chosen token becomes [MASK] (figure 5's picture); at least one is chosen."""
    if not first.strip() or not second.strip():
        raise ValueError("both sentences are needed")
    enc = tokenizer(first, second, truncation=True, max_length=512, return_special_tokens_mask=True)
    special = [bool(s) for s in enc.pop("special_tokens_mask")]
    out = masking.corrupt(
        enc["input_ids"], special, tokenizer.mask_token_id, len(tokenizer), generator, rate, mask_share=1.0
    )
    batch = {key: torch.tensor([value]) for key, value in enc.items()}
    batch["input_ids"] = torch.tensor([out.input_ids])
    return batch, torch.tensor([out.labels])


@torch.inference_mode()
def pretraining_loss(
    model, tokenizer, first: str, second: str, is_next: bool, generator: torch.Generator, rate: float = 0.15
) -> PretrainingLoss:
    """Mask the pair, run BertForPreTraining once with both labels, and split its loss by hand."""
    batch, labels = masked_pair(tokenizer, first, second, generator, rate)
    nsp_label = IS_NEXT if is_next else NOT_NEXT
    device = next(model.parameters()).device
    out = model(
        **{key: value.to(device) for key, value in batch.items()},
        labels=labels.to(device),
        next_sentence_label=torch.tensor([nsp_label], device=device),
    )
    scores = out.prediction_logits[0].float().log_softmax(-1)  # (T, V)
    where = (labels[0] != -100).nonzero().flatten().tolist()
    targets = labels[0, where].tolist()
    token_loss = [-float(scores[p, y]) for p, y in zip(where, targets, strict=True)]
    nsp = out.seq_relationship_logits[0].float()  # (2,)
    nsp_loss = -float(nsp.log_softmax(-1)[nsp_label])
    mlm_loss = sum(token_loss) / len(token_loss)
    masked = tuple(
        MaskedToken(
            p, tokenizer.convert_ids_to_tokens(y), _token(tokenizer, scores[p]), math.exp(-loss), loss
        )
        for p, y, loss in zip(where, targets, token_loss, strict=True)
    )
    return PretrainingLoss(
        tokens=tuple(tokenizer.convert_ids_to_tokens(batch["input_ids"][0].tolist())),
        segments=tuple(batch["token_type_ids"][0].tolist()) if "token_type_ids" in batch else (),
        masked=masked,
        nsp_logits=(float(nsp[0]), float(nsp[1])),
        nsp_label=nsp_label,
        nsp_prob=float(nsp.softmax(-1)[nsp_label]),
        mlm_loss=mlm_loss,
        nsp_loss=nsp_loss,
        total=mlm_loss + nsp_loss,
        model_loss=float(out.loss),
    )


def _token(tokenizer, scores: torch.Tensor) -> str:
    return tokenizer.convert_ids_to_tokens(int(scores.argmax()))
