"""Predictions of a fine-tuned model: dev-set evaluation for the fine-tune engine, and single inputs
(your own sentence, your own question about your own paragraph) for the pages."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from explorer.training import metrics, squad
from explorer.training.batching import collate
from explorer.training.data import Answer, LabelledText, QAExample


@dataclass(frozen=True)
class ClassifierReport:
    """A classifier's dev-set evaluation: its scores and every prediction behind them."""

    metrics: dict[str, float]  # mcc, accuracy, f1
    confusion: list[list[int]]  # (C, C): rows are true labels, columns predictions
    texts: list[str]
    labels: list[int]
    predicted: list[int]
    confidence: list[float]


@dataclass(frozen=True)
class QAReport:
    """A question-answering head's dev-set evaluation: EM and F1 (percent) and each predicted span."""

    metrics: dict[str, float]  # exact_match, f1
    spans: dict[str, squad.Span]  # question id -> predicted span


def _device(model) -> torch.device:
    return next(model.parameters()).device


@torch.inference_mode()
def _forward_sorted(model, rows: dict[str, list], pad_id: int, batch: int) -> list:
    """Model outputs per row, run in batches of similar length (little padding), in the rows' order."""
    model.eval()
    lengths = [len(ids) for ids in rows["input_ids"]]
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    out: list = [None] * len(order)
    for start in range(0, len(order), batch):
        index = order[start : start + batch]
        inputs = {k: v.to(_device(model)) for k, v in collate(rows, index, pad_id).items()}
        result = model(**inputs)
        for row, i in enumerate(index):
            out[i] = _row(result, row, lengths[i])
    return out


def _row(result, row: int, length: int):
    if hasattr(result, "start_logits"):
        return (
            result.start_logits[row, :length].float().cpu().numpy(),
            result.end_logits[row, :length].float().cpu().numpy(),
        )
    return result.logits[row].float().softmax(-1).cpu().numpy()


def _encode_pairs(tokenizer, records: list[LabelledText], max_length: int) -> dict:
    pairs = [r.text_pair for r in records] if records[0].text_pair is not None else None
    enc = tokenizer([r.text for r in records], pairs, truncation=True, max_length=max_length)
    return {k: enc[k] for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc}


def class_scores(
    model, tokenizer, records: list[LabelledText], max_length: int, batch: int = 64
) -> np.ndarray:
    """Class probabilities (N, C) for sentences or sentence pairs."""
    rows = _encode_pairs(tokenizer, records, max_length)
    return np.stack(_forward_sorted(model, rows, tokenizer.pad_token_id or 0, batch))


def evaluate_classifier(
    model, tokenizer, records: list[LabelledText], max_length: int, num_labels: int
) -> ClassifierReport:
    """MCC, accuracy, F1; the confusion matrix and every dev prediction."""
    return classifier_report(records, class_scores(model, tokenizer, records, max_length), num_labels)


def classifier_report(records: list[LabelledText], probs: np.ndarray, num_labels: int) -> ClassifierReport:
    """The report of class probabilities (N, C) for `records`, however they were computed."""
    predicted = probs.argmax(-1).tolist()
    labels = [r.label for r in records]
    scores = metrics.classification(labels, predicted, num_labels)
    return ClassifierReport(
        metrics={"mcc": scores.mcc, "accuracy": scores.accuracy, "f1": scores.f1},
        confusion=scores.confusion.tolist(),
        texts=[r.text for r in records],
        labels=labels,
        predicted=predicted,
        confidence=probs.max(-1).tolist(),
    )


def spans(model, tokenizer, examples: list[QAExample], max_length: int, stride: int, batch: int = 32) -> dict:
    """The best answer span for each question, over all windows of its context."""
    features = squad.eval_features(tokenizer, examples, max_length, stride, pad=False)
    rows = {k: features[k] for k in ("input_ids", "attention_mask", "token_type_ids") if k in features}
    logits = _forward_sorted(model, rows, tokenizer.pad_token_id or 0, batch)
    return squad.best_spans(examples, features, [s for s, _ in logits], [e for _, e in logits])


def evaluate_qa(model, tokenizer, examples: list[QAExample], max_length: int, stride: int) -> QAReport:
    """Exact match and F1 in percent, and the predicted span of every question."""
    return qa_report(examples, spans(model, tokenizer, examples, max_length, stride))


def qa_report(examples: list[QAExample], predicted: dict[str, squad.Span]) -> QAReport:
    """The report of one predicted span per question of `examples`, however they were found."""
    scores = metrics.squad_scores(
        {qid: span.text for qid, span in predicted.items()},
        {e.id: [a.text for a in e.answers] for e in examples},
    )
    return QAReport({"exact_match": scores.exact_match, "f1": scores.f1}, predicted)


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
