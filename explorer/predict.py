"""Predictions of a fine-tuned model: dev-set evaluation for the fine-tune engine, and single inputs
(your own sentence, your own question about your own paragraph) for the pages."""

from __future__ import annotations

import numpy as np
import torch

from explorer import metrics, squad
from explorer.data import Answer, LabelledText, QAExample


def _batches(columns: dict, size: int):
    length = len(next(iter(columns.values())))
    for start in range(0, length, size):
        yield {k: v[start : start + size] for k, v in columns.items()}


@torch.inference_mode()
def class_scores(
    model, tokenizer, records: list[LabelledText], max_length: int, batch: int = 64
) -> np.ndarray:
    """Class probabilities (N, C) for sentences or sentence pairs."""
    model.eval()
    device = next(model.parameters()).device
    out = []
    for chunk in (records[i : i + batch] for i in range(0, len(records), batch)):
        pairs = [r.text_pair for r in chunk] if chunk[0].text_pair is not None else None
        enc = tokenizer(
            [r.text for r in chunk],
            pairs,
            truncation=True,
            max_length=max_length,
            padding=True,
            return_tensors="pt",
        )
        out.append(
            model(**{k: v.to(device) for k, v in enc.items()}).logits.float().softmax(-1).cpu().numpy()
        )
    return np.concatenate(out)


def evaluate_classifier(
    model, tokenizer, records: list[LabelledText], max_length: int, num_labels: int
) -> tuple[dict, dict]:
    """(metrics, details): MCC, accuracy, F1; the confusion matrix and every dev prediction."""
    probs = class_scores(model, tokenizer, records, max_length)
    predicted = probs.argmax(-1).tolist()
    labels = [r.label for r in records]
    scores = metrics.classification(labels, predicted, num_labels)
    details = {
        "confusion": scores.confusion.tolist(),
        "predicted": predicted,
        "labels": labels,
        "texts": [r.text for r in records],
        "confidence": probs.max(-1).tolist(),
    }
    return {"mcc": scores.mcc, "accuracy": scores.accuracy, "f1": scores.f1}, details


@torch.inference_mode()
def spans(model, tokenizer, examples: list[QAExample], max_length: int, stride: int, batch: int = 32) -> dict:
    """The best answer span for each question, over all windows of its context."""
    model.eval()
    features = squad.eval_features(tokenizer, examples, max_length, stride)
    inputs = {k: features[k] for k in ("input_ids", "attention_mask", "token_type_ids") if k in features}
    device = next(model.parameters()).device
    starts, ends = [], []
    for chunk in _batches(inputs, batch):
        out = model(**{k: torch.tensor(v, device=device) for k, v in chunk.items()})
        starts.append(out.start_logits.float().cpu().numpy())
        ends.append(out.end_logits.float().cpu().numpy())
    return squad.best_spans(examples, features, np.concatenate(starts), np.concatenate(ends))


def evaluate_qa(
    model, tokenizer, examples: list[QAExample], max_length: int, stride: int
) -> tuple[dict, dict]:
    """(metrics, details): exact match and F1 in percent; the predicted span of every question."""
    predicted = spans(model, tokenizer, examples, max_length, stride)
    scores = metrics.squad_scores(
        {qid: span.text for qid, span in predicted.items()},
        {e.id: [a.text for a in e.answers] for e in examples},
    )
    return {"exact_match": scores.exact_match, "f1": scores.f1}, {"spans": predicted}


def classify(model, tokenizer, text: str, max_length: int, pair: str | None = None) -> np.ndarray:
    """Class probabilities for one sentence (or pair)."""
    if not text.strip():
        raise ValueError("the sentence is empty")
    return class_scores(model, tokenizer, [LabelledText(text, 0, pair)], max_length)[0]


def answer(model, tokenizer, question: str, context: str, max_length: int, stride: int) -> squad.Span:
    """The best span of `context` answering `question`."""
    if not question.strip() or not context.strip():
        raise ValueError("both a question and a paragraph are needed")
    example = QAExample("own", "", context, question, (Answer("", 0),))
    return spans(model, tokenizer, [example], max_length, stride)["own"]
