"""A live mini-distillation: a student cut from the teacher learns on a small corpus, a few steps per
chunk; and how far its predictions agree with the teacher's afterwards."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from explorer import limits, seeded
from explorer.families.distilbert import distill
from explorer.families.distilbert.student import student_from_teacher
from explorer.training import mlm_data
from explorer.training.chunked import ChunkedRun, allowed_sizes


@dataclass(frozen=True)
class DistillConfig:
    """Settings of one live distillation; student_layers 0 means half the teacher's (the paper)."""

    student_layers: int = 0
    steps: int = 60
    batch_size: int = 8
    max_length: int = 32
    learning_rate: float = 5e-4
    temperature: float = 2.0
    weights: distill.Weights = field(default_factory=distill.Weights)
    seed: int = 0

    def validate(self, allowed: limits.Limits | None = None) -> None:
        """Raise ValueError with a message for a setting outside what a live run can do, or above
        the server's limits (`allowed`, else the environment's: explorer/limits.py)."""
        distill.check_temperature(self.temperature)
        checks = [
            (1 <= self.steps <= 2000, "1 to 2,000 steps"),
            (1 <= self.batch_size <= 128, "batch size 1 to 128"),
            (8 <= self.max_length <= 512, "max length 8 to 512"),
            (0 < self.learning_rate <= 0.1, "learning rate above 0 and at most 0.1"),
            (min(vars(self.weights).values()) >= 0, "weights of at least 0"),
        ]
        wrong = [say for ok, say in checks if not ok] + allowed_sizes(self, allowed or limits.current())
        if wrong:
            raise ValueError("settings outside the allowed range: " + "; ".join(wrong))


@dataclass(frozen=True)
class DistillStep:
    """The terms after one step (None where the teacher cannot give one)."""

    step: int
    total: float
    ce: float | None
    mlm: float
    cos: float | None


class Distillation(ChunkedRun):
    """The student trains on its own copy of the weights; the teacher (a shared model) only reads."""

    def __init__(
        self,
        teacher,
        tokenizer,
        data: mlm_data.TokenRows,
        config: DistillConfig,
        allowed: limits.Limits | None = None,
    ) -> None:
        allowed = allowed or limits.current()
        config.validate(allowed)
        super().__init__(config.steps, allowed.run_seconds)
        layers = config.student_layers or max(1, teacher.config.num_hidden_layers // 2)
        self.teacher, self.tokenizer, self.data, self.config = teacher, tokenizer, data, config
        self.student = student_from_teacher(teacher, layers, config.seed)
        self.device = next(teacher.parameters()).device
        # the token matrix (tied to the output layer) stays the teacher's: a CPU step then updates
        # the layers, not 30,522 x H embedding rows most of which a small corpus never uses
        self.student.distilbert.embeddings.word_embeddings.weight.requires_grad_(False)
        trained = [p for p in self.student.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW(trained, lr=config.learning_rate, foreach=True)
        self.rng = torch.Generator().manual_seed(config.seed)
        self.dropout_rng = torch.Generator().manual_seed(config.seed + 1)  # the student's dropout masks
        self.history: list[DistillStep] = []

    def train_step(self) -> None:
        batch = mlm_data.masked_batch(self.data, self.config.batch_size, self.rng)
        ids, mask = batch.input_ids.to(self.device), batch.attention_mask.to(self.device)
        labels = batch.labels.to(self.device)
        real, chosen = mask.bool(), labels != -100
        with torch.no_grad():
            t_hidden = self.teacher.base_model(input_ids=ids, attention_mask=mask).last_hidden_state
            t_logits = self.teacher.cls(t_hidden[chosen]) if hasattr(self.teacher, "cls") else None
        self.student.train()
        with seeded.draws(self.dropout_rng):  # not torch's global RNG, which other sessions share
            s_hidden = self.student.distilbert(input_ids=ids, attention_mask=mask).last_hidden_state
        total, terms = distill.loss_terms(
            student_mlm_logits(self.student, s_hidden[chosen]),
            t_logits,
            s_hidden[real],
            t_hidden[real],
            labels[chosen],
            self.config.temperature,
            self.config.weights,
        )
        self.optimizer.zero_grad()
        total.backward()
        self.optimizer.step()
        self.student.eval()
        value = {k: None if v is None else float(v.detach()) for k, v in terms.items()}
        self.history.append(
            DistillStep(self.step + 1, float(total.detach()), value["ce"], value["mlm"], value["cos"])
        )


def student_mlm_logits(student, hidden: torch.Tensor) -> torch.Tensor:
    """DistilBertForMaskedLM's head on chosen rows only (N, H) -> (N, V): a CPU run cannot afford the
    30,522-way softmax at every token, so both soft targets and MLM use the masked tokens."""
    hidden = student.activation(student.vocab_transform(hidden))
    return student.vocab_projector(student.vocab_layer_norm(hidden))


@dataclass(frozen=True)
class Agreement:
    """Teacher and student on one sentence: hidden-state cosine per token, and [MASK] predictions."""

    tokens: tuple[str, ...]
    cosine: tuple[float, ...]  # per token, between last hidden states
    teacher: tuple[tuple[tuple[str, float], ...], ...]  # per [MASK]: top-k; () for a bare encoder
    student: tuple[tuple[tuple[str, float], ...], ...]


@torch.no_grad()
def agreement(teacher, student, tokenizer, text: str, k: int = 5) -> Agreement:
    """How close the student is to its teacher on `text`; predictions at each [MASK] of it."""
    enc = tokenizer(text, truncation=True, max_length=distill.MAX_TOKENS, return_tensors="pt")
    device = next(student.parameters()).device
    ids, mask = enc["input_ids"].to(device), enc["attention_mask"].to(device)
    t_logits, t_hidden = distill.forward(teacher, ids, mask)
    s_logits, s_hidden = distill.forward(student, ids, mask)
    cos = torch.nn.functional.cosine_similarity(s_hidden[0].float(), t_hidden[0].float(), dim=-1)
    where = (ids[0] == tokenizer.mask_token_id).nonzero().flatten().tolist()

    def top(logits):
        return tuple(distill.top_k(logits[0, i].float().softmax(-1), tokenizer, k) for i in where)

    return Agreement(
        tokens=tuple(tokenizer.convert_ids_to_tokens(ids[0].tolist())),
        cosine=tuple(cos.tolist()),
        teacher=() if t_logits is None else top(t_logits),
        student=top(s_logits),
    )
