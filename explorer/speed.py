"""DistilBERT against its teacher BERT-base: parameters from the real configs, latency measured here.

Both models are built from the real default configs (bert-base-uncased, distilbert-base-uncased) with
random weights: sizes and speed depend on the architecture only, not on what the weights learned.
"""

from __future__ import annotations

import torch

from explorer.cost import count_parameters

LINES = ("teacher", "student")  # BertModel base, DistilBertModel base
PAPER_SMALLER = 0.40  # "40% smaller" (Sanh et al., 2019)
PAPER_FASTER = 0.60  # "60% faster"
MAX_TOKENS = 512


def build_pair(device: str = "cpu", seed: int = 0) -> dict[str, torch.nn.Module]:
    """Teacher (BertModel, bert-base-uncased's config) and student (DistilBertModel, distilbert-base's)."""
    from transformers import BertConfig, BertModel, DistilBertConfig, DistilBertModel

    dtype = torch.float16 if device == "cuda" else torch.float32
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        teacher = BertModel(BertConfig(attn_implementation="sdpa"))
        student = DistilBertModel(DistilBertConfig(attn_implementation="sdpa"))
    return {"teacher": teacher.to(device, dtype).eval(), "student": student.to(device, dtype).eval()}


def parameter_counts() -> dict[str, int]:
    """Parameters of the teacher and the student (109,482,240 and 66,362,880)."""
    return {name: count_parameters(model) for name, model in build_pair().items()}


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
