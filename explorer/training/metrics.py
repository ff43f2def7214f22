"""Evaluation: Matthews correlation, accuracy and the confusion matrix (scikit-learn), and SQuAD v1.1's
exact match and F1 with the official answer normalisation."""

from __future__ import annotations

import collections
import re
import string
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Classification:
    """Scores of a classifier on a labelled set."""

    mcc: float
    accuracy: float
    f1: float
    confusion: np.ndarray  # (C, C): rows are true labels, columns predictions


def classification(labels: list[int], predictions: list[int], num_labels: int = 2) -> Classification:
    """MCC, accuracy, F1 (binary: of class 1; else macro) and the confusion matrix."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, matthews_corrcoef

    if not labels:
        raise ValueError("no labels to score")
    average = "binary" if num_labels == 2 else "macro"
    return Classification(
        mcc=float(matthews_corrcoef(labels, predictions)),
        accuracy=float(accuracy_score(labels, predictions)),
        f1=float(f1_score(labels, predictions, average=average, zero_division=0)),
        confusion=confusion_matrix(labels, predictions, labels=list(range(num_labels))),
    )


_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = set(string.punctuation)


def normalize_answer(text: str) -> str:
    """SQuAD v1.1's normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, gold: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(gold))


def f1(prediction: str, gold: str) -> float:
    """Token overlap F1 between normalised prediction and gold answer."""
    pred, true = normalize_answer(prediction).split(), normalize_answer(gold).split()
    common = sum((collections.Counter(pred) & collections.Counter(true)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(true)
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class SquadScores:
    exact_match: float  # percent, as the official script reports
    f1: float
    count: int


def _best(score: Callable[[str, str], float], prediction: str, gold: list[str]) -> float:
    """The prediction's best score over the gold answers; 0 when there are none."""
    return max((score(prediction, answer) for answer in gold), default=0.0)


def squad_scores(predictions: dict[str, str], golds: dict[str, list[str]]) -> SquadScores:
    """Each question scores its best match over its gold answers; averaged, in percent. A question
    without any (the readers refuse them) scores 0 rather than failing a finished run's evaluation."""
    if not golds:
        raise ValueError("no questions to score")
    em = sum(_best(exact_match, predictions.get(q, ""), gold) for q, gold in golds.items())
    f = sum(_best(f1, predictions.get(q, ""), gold) for q, gold in golds.items())
    return SquadScores(100 * em / len(golds), 100 * f / len(golds), len(golds))
