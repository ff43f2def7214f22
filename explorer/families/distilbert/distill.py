"""Knowledge distillation as DistilBERT does it: soft targets at a temperature, the masked-LM loss and
the cosine between hidden states, weighted and summed; and a student cut from its teacher's layers.

Sanh et al. (2019): L = a_ce * L_ce + a_mlm * L_mlm + a_cos * L_cos. The released training command
weights them 5 : 2 : 1 at temperature 2, and computes L_ce over every token of the input.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from explorer.mechanics import masking, params

TEMPERATURE_RANGE = (0.05, 100.0)  # above ~100 both distributions are uniform to float precision
MAX_TOKENS = 128


@dataclass(frozen=True)
class Weights:
    """Weights of the three terms (the released DistilBERT command: 5, 2, 1)."""

    ce: float = 5.0
    mlm: float = 2.0
    cos: float = 1.0


PAPER_WEIGHTS = Weights()
# A bare encoder teacher (the offline MiniLM) gives no soft targets, and the student's new MLM head
# starts random: its loss (about ln 30,522 = 10.3) would swamp the cosine term, so by default the
# student learns the hidden states alone. The page says so; a user can set the MLM weight back.
ENCODER_TEACHER_WEIGHTS = Weights(ce=0.0, mlm=0.0, cos=1.0)


@dataclass(frozen=True)
class LossTerms:
    """The three terms on one input; a term the models cannot give (no teacher logits, widths that
    differ) is None and left out of the sum."""

    ce: float | None  # soft-target cross-entropy, times T^2
    mlm: float  # the student's masked-LM cross-entropy on the masked tokens
    cos: float | None  # 1 - cosine between student and teacher last hidden states, mean over tokens
    weights: Weights

    @property
    def total(self) -> float:
        w = self.weights
        parts = [(w.ce, self.ce), (w.mlm, self.mlm), (w.cos, self.cos)]
        return sum(weight * value for weight, value in parts if value is not None)


def check_temperature(temperature: float) -> None:
    low, high = TEMPERATURE_RANGE
    if not low <= temperature <= high:
        raise ValueError(f"temperature {temperature:g} is outside {low:g} to {high:g}")


def soften(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """softmax(logits / T): T = 1 is the plain softmax, a larger T flattens the distribution."""
    check_temperature(temperature)
    return (logits.float() / temperature).softmax(-1)


def soft_cross_entropy(student: torch.Tensor, teacher: torch.Tensor, temperature: float) -> torch.Tensor:
    """T^2 * mean over rows of -sum_i t_i log s_i, with t and s softened at T; logits (N, V).

    T^2 keeps the gradient's scale comparable across temperatures (Hinton et al., 2015)."""
    targets = soften(teacher, temperature)
    log_student = F.log_softmax(student.float() / temperature, -1)
    return temperature**2 * -(targets * log_student).sum(-1).mean()


def cosine_loss(student: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
    """Mean of 1 - cos(student, teacher) over rows; hidden states (N, H) of equal width."""
    return (1 - F.cosine_similarity(student.float(), teacher.float(), dim=-1)).mean()


def loss_terms(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor | None,
    student_hidden: torch.Tensor,
    teacher_hidden: torch.Tensor,
    labels: torch.Tensor,
    temperature: float,
    weights: Weights,
) -> tuple[torch.Tensor, dict[str, torch.Tensor | None]]:
    """(weighted sum, each term) over the real tokens passed in: logits (N, V), hidden (N, H), labels (N,)."""
    terms: dict[str, torch.Tensor | None] = {
        "ce": None
        if teacher_logits is None
        else soft_cross_entropy(student_logits, teacher_logits, temperature),
        "mlm": F.cross_entropy(student_logits.float(), labels, ignore_index=-100),
        "cos": None
        if student_hidden.shape[-1] != teacher_hidden.shape[-1]
        else cosine_loss(student_hidden, teacher_hidden),
    }
    scale = {"ce": weights.ce, "mlm": weights.mlm, "cos": weights.cos}
    total = sum(scale[name] * value for name, value in terms.items() if value is not None)
    return total, terms


def forward(model, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor | None, torch.Tensor]:
    """(logits (B, T, V) or None for a bare encoder, last hidden state (B, T, H))."""
    out = model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    return getattr(out, "logits", None), out.hidden_states[-1]


@dataclass(frozen=True)
class Objective:
    """One masked sentence through teacher and student at a temperature."""

    tokens: tuple[str, ...]  # the masked input both models read
    originals: tuple[str, ...]
    positions: tuple[int, ...]  # masked (chosen) positions
    teacher: tuple[tuple[tuple[str, float], ...], ...]  # per position: top-k (token, softened p)
    student: tuple[tuple[tuple[str, float], ...], ...]
    terms: LossTerms
    temperature: float


def top_k(probs: torch.Tensor, tokenizer, k: int) -> tuple[tuple[str, float], ...]:
    top = probs.topk(k)
    return tuple(zip(tokenizer.convert_ids_to_tokens(top.indices.tolist()), top.values.tolist(), strict=True))


@torch.no_grad()
def objective(
    teacher,
    student,
    tokenizer,
    text: str,
    generator: torch.Generator,
    temperature: float,
    weights: Weights,
    k=6,
) -> Objective:
    """Mask the sentence (80/10/10), run both models, compute the three terms and their sum."""
    check_temperature(temperature)
    masked = masking.corrupt_text(tokenizer, text, generator, MAX_TOKENS)
    ids, corrupted = list(masked.ids), masked.corruption
    device = next(student.parameters()).device
    batch = torch.tensor([corrupted.input_ids], device=device)
    mask = torch.ones_like(batch)
    t_logits, t_hidden = forward(teacher, batch, mask)
    s_logits, s_hidden = forward(student, batch, mask)
    labels = torch.tensor(corrupted.labels, device=device)
    _, terms = loss_terms(
        s_logits[0],
        None if t_logits is None else t_logits[0],
        s_hidden[0],
        t_hidden[0],
        labels,
        temperature,
        weights,
    )
    chosen = [i for i, a in enumerate(corrupted.action) if a is not None]
    pieces = tokenizer.convert_ids_to_tokens
    return Objective(
        tokens=tuple(pieces(list(corrupted.input_ids))),
        originals=tuple(pieces(ids)),
        positions=tuple(chosen),
        teacher=tuple(top_k(soften(t_logits[0, i], temperature), tokenizer, k) for i in chosen)
        if t_logits is not None
        else (),
        student=tuple(top_k(soften(s_logits[0, i], temperature), tokenizer, k) for i in chosen),
        terms=LossTerms(*(None if v is None else float(v) for v in terms.values()), weights),
        temperature=temperature,
    )


def distilbert_params(vocab: int, dim: int, layers: int, hidden_dim: int, positions: int = 512) -> int:
    """DistilBertModel's closed form: (V + P) x H embeddings + LayerNorm, L layers; no segments or pooler."""
    return (vocab + positions) * dim + 2 * dim + layers * params.layer_params(dim, hidden_dim)
