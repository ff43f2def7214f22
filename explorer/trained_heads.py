"""BERT's masked-LM and NSP heads trained for this app on the packaged MiniLM encoder (assets/heads/):
their weights, added to a model that lacks them, and their held-out scores.

The file holds the heads and MiniLM's retrained top layer; the MLM decoder is tied to MiniLM's own
word embeddings, so nothing vocabulary-sized ships beyond the decoder's bias. How they were trained:
explorer/families/bert/train_heads.py, and the README beside the weights.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from explorer.offline import ASSETS

FOLDER = ASSETS / "heads" / "minilm-bert-heads"
WEIGHTS = "heads.safetensors"
SCORES = "scores.json"
NAME = "all-MiniLM-L6-v2 + heads trained for this app"


@dataclass(frozen=True)
class Scores:
    """How the heads did on held-out paragraphs (SQuAD dev articles the training never saw)."""

    top1: float  # masked pieces whose top guess is right
    top5: float  # masked pieces among the head's 5 guesses
    unigram_top5: float  # ... among the 5 most frequent training pieces: the baseline to beat
    nsp_accuracy: float  # sentence pairs classified right, half of them real next sentences
    masked: int  # masked pieces scored
    pairs: int  # sentence pairs scored
    train_seconds: float  # wall time of the training command that made the weights
    layers: int = 1  # MiniLM's top layers retrained and shipped with the heads
    data: str = ""  # what they were trained and scored on
    command: str = ""  # the command that made them
    curve: list = field(default_factory=list)  # [epoch, top-1, top-5, NSP] on a held-out sample


def read_scores(folder: Path = FOLDER) -> Scores | None:
    """The held-out scores written beside the weights, or None when no heads are shipped."""
    path = folder / SCORES
    return Scores(**json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else None


def write_scores(scores: Scores, folder: Path = FOLDER) -> None:
    (folder / SCORES).write_text(json.dumps(asdict(scores), indent=2) + "\n", encoding="utf-8")


def add_to(model, missing: tuple[str, ...], folder: Path = FOLDER) -> tuple[str, ...]:
    """Put the shipped weights into `model` when it lacks some of them (an MLM, NSP or pre-training
    head); returns the weights still missing. A model that lacks none (the plain encoder, or a
    fine-tune's new classifier) is left as it is, MiniLM's own top layer included."""
    path = folder / WEIGHTS
    if not missing or not path.is_file():
        return missing
    from safetensors.torch import load_file

    shipped = load_file(path)
    own = model.state_dict()
    if not set(missing) & set(shipped):
        return missing
    usable = {key: value.to(own[key].dtype) for key, value in shipped.items() if key in own}
    model.load_state_dict(usable, strict=False)
    tied = {"cls.predictions.decoder.bias"}  # the same tensor as cls.predictions.bias
    return tuple(key for key in missing if key not in usable and key not in tied)
