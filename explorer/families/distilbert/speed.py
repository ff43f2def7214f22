"""DistilBERT against its teacher BERT-base: parameters from the real configs, latency measured here.

Both models are built from the real default configs (bert-base-uncased, distilbert-base-uncased) with
random weights: sizes and speed depend on the architecture only, not on what the weights learned.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from explorer import models
from explorer.families.distilbert import distill
from explorer.mechanics import params
from explorer.registry import REFERENCE_MODELS

CHECKPOINTS = {"teacher": "bert-base-uncased", "student": "distilbert-base-uncased"}
LINES = tuple(CHECKPOINTS)
PAPER_SMALLER = 0.40  # "40% smaller" (Sanh et al., 2019)
PAPER_FASTER = 0.60  # "60% faster"
PAPER_SPEEDUP = 668 / 410  # its Table 3: seconds for STS-B's inference on a CPU at batch 1, BERT / DistilBERT
MAX_TOKENS = 512


def build_pair(device: str = "cpu", seed: int = 0) -> dict[str, torch.nn.Module]:
    """Teacher (BertModel, bert-base-uncased's config) and student (DistilBertModel, distilbert-base's),
    random weights, SDPA attention (transformers' default for inference)."""
    import transformers

    dtype = torch.float16 if device == "cuda" else torch.float32
    pair = {}
    for line, name in CHECKPOINTS.items():
        reference = REFERENCE_MODELS[name]
        config = getattr(transformers, reference.config_class)(**reference.config, attn_implementation="sdpa")
        with models.exclusive(seed):
            model = getattr(transformers, reference.model_class)(config)
        pair[line] = model.to(device, dtype).eval()
    return pair


@dataclass(frozen=True)
class Sizes:
    """Teacher and student counted per component from their real configs, and their closed forms."""

    teacher: params.ParamCount  # bert-base-uncased: 109,482,240
    student: params.ParamCount  # distilbert-base-uncased: 66,362,880
    teacher_formula: int  # params.bert_params of the teacher's config: equals teacher.total
    student_formula: int  # distill.distilbert_params of the student's config: equals student.total

    @property
    def fewer(self) -> float:
        """The student's saving, as a share of the teacher's parameters (the paper: 40%)."""
        return 1 - self.student.total / self.teacher.total


def sizes() -> Sizes:
    """Count both models on the meta device (no weights in memory), with the closed forms beside."""
    bert = params.build(REFERENCE_MODELS[CHECKPOINTS["teacher"]]).config
    distil = params.build(REFERENCE_MODELS[CHECKPOINTS["student"]]).config
    return Sizes(
        params.reference_count(CHECKPOINTS["teacher"]),
        params.reference_count(CHECKPOINTS["student"]),
        params.bert_params(bert.vocab_size, bert.hidden_size, bert.num_hidden_layers, bert.intermediate_size),
        distill.distilbert_params(distil.vocab_size, distil.dim, distil.n_layers, distil.hidden_dim),
    )


def forward_call(model: torch.nn.Module, batch: int, length: int, device: str, seed: int = 0):
    """A no-argument call running one forward of a (batch, length) random-token batch."""
    if not 1 <= length <= MAX_TOKENS:
        raise ValueError(f"sequence length must be between 1 and {MAX_TOKENS}")
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, 30000, (batch, length), generator=generator).to(device)

    def call() -> None:
        with torch.inference_mode():
            model(input_ids=ids)

    return call
