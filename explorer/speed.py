"""DistilBERT against its teacher BERT-base: parameters from the real configs, latency measured here.

Both models are built from the real default configs (bert-base-uncased, distilbert-base-uncased) with
random weights: sizes and speed depend on the architecture only, not on what the weights learned.
"""

from __future__ import annotations

import torch

from explorer import models
from explorer.registry import REFERENCE_MODELS

CHECKPOINTS = {"teacher": "bert-base-uncased", "student": "distilbert-base-uncased"}
LINES = tuple(CHECKPOINTS)
PAPER_SMALLER = 0.40  # "40% smaller" (Sanh et al., 2019)
PAPER_FASTER = 0.60  # "60% faster"
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


def parameter_counts() -> dict[str, int]:
    """Parameters of the teacher and the student (109,482,240 and 66,362,880), from explorer.params."""
    from explorer.params import reference_count

    return {line: reference_count(name).total for line, name in CHECKPOINTS.items()}


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
