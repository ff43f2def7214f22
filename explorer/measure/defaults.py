"""The long measurements as the pages first show them (their default settings), in one place, so the
server can measure them ahead: at its start (explorer/ui/server/warm.py) or on a page's first visit.

A page passes the same (what, settings) to run_or_ask, so what is measured here is what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from explorer.families.distilbert import compare
from explorer.families.reformer import chunked_ff
from explorer.measure import background, kept, sweeps
from explorer.training import race_measure
from explorer.training.rtd_race import RaceConfig

COMPARE_STEP = (8, 128)  # figure 17: batch, length of one training step of each model
BIGBIRD_LATENCY = ((1024, 2048, 4096), 2, 1)  # figure 19: lengths, layers, batch
REFORMER_LENGTHS = (1024, 2048, 4096)  # figure 20 and the memory tab: LSH vs full attention
REFORMER_DEPTHS = (2, 4, 8)  # figure 20 and the reversible tab: reversible vs ordinary residuals
REFORMER_FF = ((1024, 4096), 64)  # figure 20: lengths, chunk of the feed-forward block
DISTIL_SPEED = ((1, 32), (64, 128))  # DistilBERT's speed: batches, lengths
RACE_KIND = (race_measure.RaceResult, kept.this_cpu)  # figure 15: its result, and its models' device


@dataclass(frozen=True)
class Default:
    """One page's measurement at its default settings: run_or_ask's `what` and `settings`, and its run
    (`kind`: what the run returns when it is not a sweep, as the kept store reads it back; `where`:
    the device it runs on, in words)."""

    what: str
    settings: tuple
    run: background.Runner
    kind: type[kept.Result] | None = None
    where: Callable[[], str] = kept.this_device


def every() -> tuple[Default, ...]:
    """Every default measurement: the tour's sweeps in its order (figures 17, 19, 20, DistilBERT's
    speed), then figure 15's race, the longest, so the quick ones are ready first."""
    lengths, depths, (ff_lengths, chunk) = REFORMER_LENGTHS, REFORMER_DEPTHS, REFORMER_FF
    race = race_measure.default_settings()
    return (
        Default("compare_steps", COMPARE_STEP, lambda p: compare.step_times(*COMPARE_STEP, p)),
        Default("bigbird", BIGBIRD_LATENCY, lambda p: sweeps.bigbird_latency(*BIGBIRD_LATENCY, p)),
        Default("reformer_memory", lengths, lambda p: sweeps.reformer_memory("tokens", lengths, p)),
        Default("reversible", depths, lambda p: sweeps.reformer_memory("layers", depths, p)),
        Default("reformer_ff", REFORMER_FF, lambda p: chunked_ff.ff_memory(ff_lengths, chunk, p)),
        Default("distil", DISTIL_SPEED, lambda p: sweeps.distil_latency(*DISTIL_SPEED, p)),
        Default(race_measure.WHAT, race, race_measure.RaceMeasure(race[0], RaceConfig()), *RACE_KIND),
    )


def measure_ahead() -> list[str]:
    """Start, in the background, every default not kept for this device (they run one at a time);
    returns what was started. Nothing under EXPLORER_MEASURE_AHEAD=0."""
    if not background.ahead():
        return []
    started = []
    for default in every():
        index = (default.what, default.where(), default.settings)
        if background.kept_result(index, default.kind) is None and background.find(index) is None:
            background.start(index, default.run, ahead=True)
            started.append(default.what)
    return started
