"""ELECTRA's race (figure 15) as a measurement that is kept: the race run whole in the background on
the bundled English corpus, and its result (loss history and probe scores) written to and read back
from the kept store (explorer/measure/kept.py), so the page draws it at once on later visits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, astuple, dataclass

from explorer import models, registry
from explorer.mechanics import cost
from explorer.tokens import corpus
from explorer.training import mlm_data, rtd_race
from explorer.training.rtd_race import ProbeScores, RaceConfig, RaceStep, RtdRace

WHAT = "electra_race"
FAMILY = "electra-discriminator"  # the ELECTRA page's family: its tokenizer cuts the corpus
CORPUS = "bundled_en"  # the only corpus a kept race reads: the same text on every server


@dataclass(frozen=True)
class RaceResult:
    """What the race's charts draw: the settings, each step's losses, the probe (None if stopped before)."""

    config: RaceConfig
    history: tuple[RaceStep, ...]
    probe: ProbeScores | None
    step: int
    seconds: float  # training time
    finished: bool
    lines: int  # corpus rows trained on
    vocab_size: int

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> RaceResult:
        probe = data["probe"]
        return cls(
            RaceConfig(**data["config"]),
            tuple(RaceStep(**step) for step in data["history"]),
            ProbeScores(**probe) if probe is not None else None,
            int(data["step"]),
            float(data["seconds"]),
            bool(data["finished"]),
            int(data["lines"]),
            int(data["vocab_size"]),
        )


def snapshot(run: RtdRace) -> RaceResult:
    """The run as it stands (it may still be training in another thread: its history is copied)."""
    data = run.data
    return RaceResult(
        run.config,
        tuple(run.history),
        run.probe,
        run.step,
        run.seconds,
        run.finished,
        len(data.rows),
        data.vocab_size,
    )


def settings(model_id: str, corpus_name: str, config: RaceConfig) -> tuple:
    """The kept store's settings of one race: its tokenizer, its corpus and every field of its config."""
    return (model_id, corpus_name, astuple(config))


def default_settings() -> tuple:
    """The race the page shows first: the family's model, the bundled corpus, RaceConfig's defaults."""
    return settings(registry.family(FAMILY).hub_id, CORPUS, rtd_race.RaceConfig())


class RaceMeasure:
    """A background runner (explorer/measure/background.py) of one race on the bundled corpus; `run` is
    the race while it trains, so a page can draw its curves so far."""

    def __init__(self, model_id: str, config: RaceConfig) -> None:
        self.model_id, self.config = model_id, config
        self.run: RtdRace | None = None

    def __call__(self, on_progress: Callable[[float, str, int], None]) -> RaceResult:
        tokenizer, _ = models.load_tokenizer(registry.family(FAMILY), self.model_id or None)
        lines = list(corpus.bundled("en").lines)
        rows = mlm_data.encode_corpus(tokenizer, lines, self.config.max_length, compact=True)
        run = self.run = RtdRace(rows, self.config)
        while not run.finished:
            run.advance(0.0)  # one step (and the probe after the last)
            if run.limit:
                raise cost.Stopped(snapshot(run), limit=True)  # not kept: the race did not finish
            try:
                on_progress(run.step / run.total_steps, "step", run.step)
            except cost.Stopped as stop:
                raise cost.Stopped(snapshot(run), stop.limit) from None
        return snapshot(run)
