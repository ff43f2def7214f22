"""The compute of one training step in the MLM-vs-RTD race (the book's figure 15 plots against it).

A step costs about 6 FLOPs per weight a token multiplies, per token (2 forward, 4 backward: the
usual C = 6ND). RTD pays for its generator's forward and backward on top of the discriminator's;
embedding lookups multiply nothing, and attention's T^2 terms are left out (small at these lengths).
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.training.rtd_race import RaceConfig, generator_size

FLOPS_PER_WEIGHT = 6  # per token and training step: forward 2 (a multiply and an add), backward 4


@dataclass(frozen=True)
class RaceCompute:
    """Weights each token meets in a multiplication, per model of the race (biases and lookups aside)."""

    mlm: int  # the MLM encoder and its vocabulary projection
    generator: int  # ELECTRA's narrower generator, with its own vocabulary projection
    discriminator: int  # the same encoder as MLM's, with a one-score head instead of the vocabulary

    @property
    def rtd(self) -> int:
        """One RTD step runs both: the generator's forward and backward are counted."""
        return self.generator + self.discriminator

    def step_flops(self, objective: str, tokens: int) -> int:
        """FLOPs of one training step of "mlm" or "rtd" that reads `tokens` token positions."""
        weights = self.mlm if objective == "mlm" else self.rtd
        return FLOPS_PER_WEIGHT * weights * tokens


def encoder_weights(hidden: int, layers: int, intermediate: int) -> int:
    """Q, K, V and output projections (4 H x H) and the feed-forward (2 H x I), per layer."""
    return layers * (4 * hidden * hidden + 2 * hidden * intermediate)


def race_compute(config: RaceConfig, vocab_size: int) -> RaceCompute:
    """Count from the race's configs (rtd_race._config): embedding size = the discriminator's width,
    feed-forward 4x wide, a projection from the embeddings where the generator is narrower."""
    embedding = config.hidden

    def body(width: int) -> int:
        project = embedding * width if width != embedding else 0
        return encoder_weights(width, config.layers, 4 * width) + project

    narrow, _ = generator_size(config)
    vocabulary = embedding * vocab_size
    return RaceCompute(
        mlm=body(config.hidden) + config.hidden * embedding + vocabulary,
        generator=body(narrow) + narrow * embedding + vocabulary,
        discriminator=body(config.hidden) + config.hidden * config.hidden + config.hidden,
    )
