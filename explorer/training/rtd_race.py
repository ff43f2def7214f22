"""The chapter's RTD experiment in miniature: two encoders of equal size trained for the same steps on
the same text, one with masked-LM and one with ELECTRA's generator + discriminator, then the same probe.

The probe is word order: a logistic regression on each frozen encoder's mean-pooled vectors learns
to tell a corpus sentence from the same sentence with its tokens shuffled; its accuracy on held-out
sentences is compared with the untrained encoder's (the starting point both models share).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch

from explorer import limits, models, seeded
from explorer.families.electra import rtd
from explorer.training import mlm_data
from explorer.training.chunked import ChunkedRun, allowed_sizes

MAX_HIDDEN, MAX_LAYERS = 256, 6  # four encoders and their optimizer states stay well under 1 GB


@dataclass(frozen=True)
class RaceConfig:
    """Sizes and training settings; the same for both models."""

    hidden: int = 64
    layers: int = 2
    heads: int = 2
    generator_share: float = 0.5  # generator width / discriminator width (the paper: 1/4 to 1/2)
    steps: int = 200
    batch_size: int = 16
    max_length: int = 32
    learning_rate: float = 2e-3
    rtd_weight: float = 50.0  # lambda: the discriminator's loss weight (the paper's 50)
    seed: int = 0

    def validate(self, allowed: limits.Limits | None = None) -> None:
        """Raise ValueError with a message for a setting outside what a live run can do, or above
        the server's limits (`allowed`, else the environment's: explorer/limits.py)."""
        checks = [
            (
                8 <= self.hidden <= MAX_HIDDEN and self.hidden % self.heads == 0,
                f"hidden size 8-{MAX_HIDDEN}, a multiple of heads",
            ),
            (1 <= self.layers <= MAX_LAYERS, f"1 to {MAX_LAYERS} layers"),
            (1 <= self.steps <= 5000, "1 to 5,000 steps"),
            (1 <= self.batch_size <= 256, "batch size 1 to 256"),
            (8 <= self.max_length <= 512, "max length 8 to 512"),
            (0 < self.learning_rate <= 0.1, "learning rate above 0 and at most 0.1"),
            (0 < self.generator_share <= 1, "generator share above 0 and at most 1"),
        ]
        wrong = [say for ok, say in checks if not ok] + allowed_sizes(self, allowed or limits.current())
        if wrong:
            raise ValueError("settings outside the allowed range: " + "; ".join(wrong))


def generator_size(config: RaceConfig) -> tuple[int, int]:
    """(hidden, heads) of the generator: `generator_share` of the width in steps of 8, one head when
    narrower than the discriminator (the paper's best generators are 1/4 to 1/2 as wide)."""
    hidden = max(8, round(config.hidden * config.generator_share / 8) * 8)
    return (hidden, config.heads) if hidden == config.hidden else (hidden, 1)


@dataclass(frozen=True)
class RaceStep:
    """Losses after one training step of both models."""

    step: int
    mlm_loss: float  # the MLM model
    generator_loss: float  # ELECTRA's generator (an MLM loss too)
    discriminator_loss: float  # ELECTRA's discriminator, over every token
    discriminator_accuracy: float
    tokens: int = 0  # token positions each model read this step (batch x padded width), for compute


@dataclass(frozen=True)
class ProbeScores:
    """Word-order probe accuracy on held-out sentences (0.5 is chance)."""

    untrained: float
    mlm: float
    rtd: float
    n_train: int
    n_test: int


def _config(data: mlm_data.TokenRows, config: RaceConfig, hidden: int, heads: int):
    from transformers import ElectraConfig

    return ElectraConfig(
        vocab_size=data.vocab_size,
        embedding_size=config.hidden,
        hidden_size=hidden,
        num_hidden_layers=config.layers,
        num_attention_heads=heads,
        intermediate_size=4 * hidden,
        max_position_embeddings=max(config.max_length, 8),
        pad_token_id=data.pad_id,
        # ELECTRA's dropout (0.1), its masks drawn from each model's own generator (explorer.seeded) in
        # eager attention: SDPA's attention dropout would draw from torch's global RNG
        attn_implementation="eager",
    )


def build_models(data: mlm_data.TokenRows, config: RaceConfig):
    """(MLM model, generator, discriminator): MLM and discriminator start from the same encoder weights;
    the generator is narrower and shares the discriminator's token embeddings, as in the paper."""
    from transformers import ElectraForMaskedLM, ElectraForPreTraining

    with models.exclusive(config.seed):
        mlm = ElectraForMaskedLM(_config(data, config, config.hidden, config.heads))
        discriminator = ElectraForPreTraining(_config(data, config, config.hidden, config.heads))
        generator = ElectraForMaskedLM(_config(data, config, *generator_size(config)))
    discriminator.electra.load_state_dict(mlm.electra.state_dict())
    generator.electra.embeddings = discriminator.electra.embeddings
    generator.generator_lm_head.weight = discriminator.electra.embeddings.word_embeddings.weight
    return mlm, generator, discriminator


def _unique(*models) -> list[torch.nn.Parameter]:
    seen: dict[int, torch.nn.Parameter] = {}
    for model in models:
        for param in model.parameters():
            seen.setdefault(id(param), param)
    return list(seen.values())


class RtdRace(ChunkedRun):
    """Both trainings, one step of each per `train_step`; `probe` is set when the run finishes."""

    def __init__(
        self, data: mlm_data.TokenRows, config: RaceConfig, allowed: limits.Limits | None = None
    ) -> None:
        allowed = allowed or limits.current()
        config.validate(allowed)
        super().__init__(config.steps, allowed.run_seconds)
        self.data, self.config = data, config
        self.mlm, self.generator, self.discriminator = build_models(data, config)
        self.untrained = copy.deepcopy(self.mlm.electra)
        self.mlm_opt = torch.optim.AdamW(self.mlm.parameters(), lr=config.learning_rate)
        self.rtd_opt = torch.optim.AdamW(_unique(self.generator, self.discriminator), lr=config.learning_rate)
        # one stream draws each step's rows for both models; each model's masks (and ELECTRA's
        # samples) come from its own, so one model's draws never shift what the other reads
        self.rows_rng = torch.Generator().manual_seed(config.seed)
        self.mlm_rng = torch.Generator().manual_seed(config.seed + 1)
        self.rtd_rng = torch.Generator().manual_seed(config.seed + 2)
        self.mlm_dropout = torch.Generator().manual_seed(config.seed + 3)  # dropout masks, per model
        self.rtd_dropout = torch.Generator().manual_seed(config.seed + 4)
        self.history: list[RaceStep] = []
        self.probe: ProbeScores | None = None

    def train_step(self) -> None:
        picks = mlm_data.draw_rows(self.data, self.config.batch_size, self.rows_rng)
        batch = mlm_data.mask_rows(self.data, picks, self.mlm_rng)
        self.mlm.train()
        with seeded.draws(self.mlm_dropout):
            mlm_loss = self.mlm(
                input_ids=batch.input_ids, attention_mask=batch.attention_mask, labels=batch.labels
            ).loss
        self.mlm_opt.zero_grad()
        mlm_loss.backward()
        self.mlm_opt.step()
        gen_loss, disc_loss, accuracy = self._rtd_step(
            mlm_data.mask_rows(self.data, picks, self.rtd_rng, mask_share=1.0)
        )
        tokens = batch.input_ids.numel()
        self.history.append(
            RaceStep(self.step + 1, float(mlm_loss.detach()), gen_loss, disc_loss, accuracy, tokens)
        )

    def _rtd_step(self, batch: mlm_data.MaskedBatch) -> tuple[float, float, float]:
        self.generator.train()
        self.discriminator.train()
        with seeded.draws(self.rtd_dropout):
            gen = self.generator(
                input_ids=batch.input_ids, attention_mask=batch.attention_mask, labels=batch.labels
            )
        chosen = (batch.labels != -100).flatten()
        vocab = gen.logits.shape[-1]
        corrupted, _ = rtd.sample_replacements(
            gen.logits.detach().reshape(-1, vocab), batch.original.flatten(), chosen, self.rtd_rng
        )
        corrupted = corrupted.view_as(batch.original)
        labels = rtd.rtd_labels(batch.original, corrupted)
        with seeded.draws(self.rtd_dropout):
            disc = self.discriminator(input_ids=corrupted, attention_mask=batch.attention_mask, labels=labels)
        loss = gen.loss + self.config.rtd_weight * disc.loss
        self.rtd_opt.zero_grad()
        loss.backward()
        self.rtd_opt.step()
        real = batch.attention_mask.bool()
        right = ((disc.logits.detach() > 0).long() == labels)[real].float().mean()
        return float(gen.loss.detach()), float(disc.loss.detach()), float(right)

    def finish(self) -> None:
        self.probe = order_probe(
            self.data,
            {"untrained": self.untrained, "mlm": self.mlm.electra, "rtd": self.discriminator.electra},
            self.config.seed,
        )


def shuffled_pairs(
    data: mlm_data.TokenRows, generator: torch.Generator
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """(sentence, the same sentence with its inner tokens shuffled) for each row where that changes it."""
    pairs = []
    for row in data.rows:
        inner = list(row[1:-1])
        order = torch.randperm(len(inner), generator=generator).tolist()
        shuffled = (row[0], *(inner[i] for i in order), row[-1])
        if shuffled != row:
            pairs.append((row, shuffled))
    return pairs


@torch.no_grad()
def pooled(encoder, rows: list[tuple[int, ...]], pad_id: int) -> torch.Tensor:
    """Mean of the last hidden states over each row's tokens: (N, H)."""
    encoder.eval()
    width = max(len(r) for r in rows)
    ids = torch.tensor([list(r) + [pad_id] * (width - len(r)) for r in rows])
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
    hidden = encoder(input_ids=ids, attention_mask=mask).last_hidden_state  # (N, T, H)
    return (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)


def probe_accuracy(train_x, train_y, test_x, test_y, steps: int = 300) -> float:
    """A logistic regression on standardised features; accuracy on the test set."""
    mean, std = train_x.mean(0), train_x.std(0) + 1e-6
    train_x, test_x = (train_x - mean) / std, (test_x - mean) / std
    weight = torch.zeros(train_x.shape[1], requires_grad=True)
    bias = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adam([weight, bias], lr=0.05)
    for _ in range(steps):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(train_x @ weight + bias, train_y)
        loss = loss + 1e-3 * weight.square().sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return float((((test_x @ weight + bias) > 0).float() == test_y).float().mean())


def order_probe(data: mlm_data.TokenRows, encoders: dict, seed: int) -> ProbeScores:
    """The word-order probe for each encoder; both versions of a sentence fall in the same split."""
    pairs = shuffled_pairs(data, torch.Generator().manual_seed(seed + 1))
    half = len(pairs) // 2
    splits = (pairs[:half], pairs[half:])
    rows = [[r for pair in part for r in pair] for part in splits]
    labels = [torch.tensor([0.0, 1.0] * len(part)) for part in splits]
    scores = {}
    for name, encoder in encoders.items():
        train_x, test_x = (pooled(encoder, r, data.pad_id) for r in rows)
        scores[name] = probe_accuracy(train_x, labels[0], test_x, labels[1])
    return ProbeScores(scores["untrained"], scores["mlm"], scores["rtd"], len(rows[0]), len(rows[1]))
