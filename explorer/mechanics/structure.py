"""The book's figure 1: one encoder body (embeddings -> N layers) under different heads, counted.

Each head's model is built from the loaded model's config on the meta device (real shapes, no
memory), so the body is the same by construction and what each head adds is counted exactly.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from explorer import models

# head -> transformers Auto class: pre-training (MLM + NSP), CoLA (a sentence class), SQuAD (a span)
HEADS = {
    "pretraining": "AutoModelForPreTraining",
    "cls": "AutoModelForSequenceClassification",
    "qa": "AutoModelForQuestionAnswering",
}
BODY, POOLER, HEAD = "body", "pooler", "head"


@dataclass(frozen=True)
class Block:
    """One block of the stack, bottom to top."""

    name: str  # "embeddings", "layer 0", ..., "pooler", or a head module's name
    part: str  # BODY, POOLER or HEAD
    params: int  # unique parameters (a tied weight counted where it first appears)


@dataclass(frozen=True)
class Structure:
    """One model: the shared body and what its head adds."""

    head: str  # a HEADS key
    blocks: tuple[Block, ...]  # embeddings, the layers, the pooler if any, the head's modules
    body: int  # embeddings + every encoder layer
    pooler: int  # 0 when the head does not use one (question answering)
    new: int  # parameters the head adds on top of the body and the pooler
    total: int  # unique parameters of the whole model


def _block_name(name: str, prefix: str) -> tuple[str, str]:
    """(block, part) of one parameter name such as 'bert.encoder.layer.3.output.dense.weight'."""
    parts = name.split(".")
    if parts[0] != prefix:
        return ".".join(parts[:-1][:3]), HEAD
    if parts[1] == "embeddings":
        return "embeddings", BODY
    if parts[1] == "encoder" and parts[2] == "layer":
        return f"layer {parts[3]}", BODY
    if parts[1] == "pooler":
        return "pooler", POOLER
    return ".".join(parts[1:-1][:2]), BODY  # a body part of another family (an embedding projection)


def structure_of(model, head: str) -> Structure:
    """Count a model's unique parameters block by block, in the order the input meets them."""
    counts: dict[tuple[str, str], int] = {}
    for name, param in model.named_parameters():  # a tied weight is yielded once
        key = _block_name(name, model.base_model_prefix)
        counts[key] = counts.get(key, 0) + param.numel()
    blocks = tuple(Block(name, part, n) for (name, part), n in counts.items())
    return Structure(
        head=head,
        blocks=blocks,
        body=sum(b.params for b in blocks if b.part == BODY),
        pooler=sum(b.params for b in blocks if b.part == POOLER),
        new=sum(b.params for b in blocks if b.part == HEAD),
        total=sum(b.params for b in blocks),
    )


def build_head(config, head: str):
    """The model for `head` from `config`, on the meta device: real shapes, no memory, no weights."""
    import torch
    import transformers

    config = copy.deepcopy(config)
    config.num_labels = 2  # CoLA: acceptable or not; SQuAD: a start and an end score per token
    auto = getattr(transformers, HEADS[head])
    with models.exclusive(0), torch.device("meta"):
        return auto.from_config(config)


def structures(config) -> tuple[Structure, ...]:
    """The same body under each head in HEADS, in order."""
    return tuple(structure_of(build_head(config, head), head) for head in HEADS)


def body_params(model) -> int:
    """The body of a loaded base model (embeddings + layers), to check the built ones against."""
    return sum(p.numel() for name, p in model.named_parameters() if not name.startswith("pooler."))
