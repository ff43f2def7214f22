"""Figure 17's three encoders side by side: BERT-base, RoBERTa-base and DistilBERT.

What the papers report (size, data, hardware, GLUE) is text in assets/i18n; what this module gives is
what a device can measure of the same three architectures: their exact parameter counts (built on
the meta device, no weights) and the wall time of one pre-training step (forward and backward of
the masked-LM model, random weights and tokens, the same batch and length for all three).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from explorer import device, models
from explorer.families.distilbert.speed import PAPER_SPEEDUP
from explorer.mechanics import cost, params
from explorer.registry import REFERENCE_MODELS

CHECKPOINTS = {
    "bert": "bert-base-uncased",
    "roberta": "roberta-base",
    "distilbert": "distilbert-base-uncased",
}
LINES = tuple(CHECKPOINTS)
PAPER_PARAMS = {"bert": 110_000_000, "roberta": 125_000_000, "distilbert": 66_000_000}
MAX_TOKENS = 512
MASK_RATE = 0.15


@dataclass(frozen=True)
class Sizes:
    """The three encoders counted from their real configs (bare encoders: pooler in, MLM heads out)."""

    counts: tuple[params.ParamCount, ...]  # in LINES order
    vocab: tuple[int, ...]  # each config's vocabulary size, in LINES order

    def total(self, line: str) -> int:
        return self.counts[LINES.index(line)].total

    def part(self, line: str, component: str) -> int:
        return self.counts[LINES.index(line)].part(component)

    def vocab_of(self, line: str) -> int:
        return self.vocab[LINES.index(line)]


def sizes() -> Sizes:
    """Count the three architectures on the meta device: exact, instant, no memory."""
    references = [REFERENCE_MODELS[CHECKPOINTS[line]] for line in LINES]
    return Sizes(
        tuple(params.reference_count(r.name) for r in references),
        tuple(params.build(r).config.vocab_size for r in references),
    )


def build_mlm(line: str, where: str, seed: int = 0) -> torch.nn.Module:
    """The line's masked-LM model (encoder + MLM head) from its real config, random weights, train mode."""
    import transformers

    reference = REFERENCE_MODELS[CHECKPOINTS[line]]
    config = getattr(transformers, reference.config_class)(**reference.config, attn_implementation="sdpa")
    model_class = getattr(transformers, reference.model_class.replace("Model", "ForMaskedLM"))
    with models.exclusive(seed):
        model = model_class(config)
    return model.to(where).train()


def masked_batch(batch: int, length: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """(ids, labels), each (batch, length): random ids every vocabulary has, 15% of them as labels."""
    if not 1 <= length <= MAX_TOKENS:
        raise ValueError(f"sequence length must be between 1 and {MAX_TOKENS}")
    if batch < 1:
        raise ValueError("the batch needs at least one sequence")
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, 30000, (batch, length), generator=generator)  # below every vocab size
    chosen = torch.rand((batch, length), generator=generator) < MASK_RATE
    chosen[:, 0] = True  # at least one label per row, so the loss is never empty
    return ids, torch.where(chosen, ids, torch.full_like(ids, -100))


def training_step(model: torch.nn.Module, ids: torch.Tensor, labels: torch.Tensor) -> Callable[[], None]:
    """A no-argument call: one forward with the MLM loss and its backward; gradients are then dropped."""

    def call() -> None:
        model(input_ids=ids, labels=labels).loss.backward()
        model.zero_grad(set_to_none=True)

    return call


def step_times(
    batch: int,
    length: int,
    on_progress: Callable[[float, str, int], None] | None = None,
    seed: int = 0,
    repeat: int = 3,
) -> cost.Sweep:
    """Each line's median time of `repeat` training steps on this device (fp32), same batch and length.

    Each model is built just before its measurement and freed after it, so at most one is in memory.
    """
    where = device.pick_device()
    ids, labels = (t.to(where) for t in masked_batch(batch, length, seed))

    def make(line: str, _length: int) -> Callable[[], None]:
        return training_step(build_mlm(line, where, seed), ids, labels)

    label = f"{device.describe_device(where)}, fp32"
    return cost.sweep(
        LINES,
        (length,),
        make,
        where,
        label,
        batch=batch,
        repeat=repeat,
        memory=False,
        on_progress=on_progress,
    )


@dataclass(frozen=True)
class Speedups:
    """Measured step-time ratios against BERT-base, beside the paper's inference speed-up."""

    roberta: float | None  # BERT time / RoBERTa time (below 1: RoBERTa is slower)
    distilbert: float | None  # BERT time / DistilBERT time
    paper_distilbert: float = PAPER_SPEEDUP


def speedups(result: cost.Sweep) -> Speedups:
    """BERT's step time over each other line's, from one measured sweep (None where not measured)."""
    length = result.points[0].length if result.points else 0
    bert = result.value("bert", length)

    def ratio(line: str) -> float | None:
        other = result.value(line, length)
        return bert / other if bert and other else None

    return Speedups(ratio("roberta"), ratio("distilbert"))
