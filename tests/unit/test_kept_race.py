"""ELECTRA's race kept like the sweeps (explorer/training/race_measure.py): its result round-trips
through the kept store, and a tiny race measured in the background is kept with its probe."""

import time

from explorer.measure import background, defaults, kept
from explorer.training import race_measure
from explorer.training.race_measure import RaceResult
from explorer.training.rtd_race import ProbeScores, RaceConfig, RaceStep
from tests.unit.test_kept_measurements import fresh  # noqa: F401 (autouse: a folder of its own)

RESULT = RaceResult(
    RaceConfig(hidden=16, steps=2, batch_size=4),
    (RaceStep(1, 7.5, 7.4, 0.69, 0.5, 128), RaceStep(2, 7.25, 7.0, 0.6, 0.875, 128)),
    ProbeScores(0.5, 0.625, 0.75, 40, 40),
    2,
    1.5,
    True,
    80,
    30522,
)


def test_a_kept_race_reads_back_whole_and_only_as_a_race():
    settings = race_measure.default_settings()
    saved = kept.save(race_measure.WHAT, "CPU (x, 2 cores)", settings, RESULT)
    found = kept.load(race_measure.WHAT, "CPU (x, 2 cores)", settings, RaceResult)
    assert found == saved and found.result == RESULT
    assert RaceResult.from_json(RESULT.to_json()) == RESULT
    assert kept.load(race_measure.WHAT, "CPU (x, 2 cores)", settings) is None  # not a sweep: not kept


def test_the_warm_up_measures_the_default_race_last_on_the_cpu():
    first = defaults.every()[-1]
    assert (first.what, first.settings, first.kind) == (
        race_measure.WHAT,
        race_measure.default_settings(),
        RaceResult,
    )
    assert first.where() == kept.this_cpu()


def test_a_tiny_race_measured_in_the_background_is_kept_with_its_probe():
    config = RaceConfig(hidden=16, steps=2, batch_size=4)
    settings = race_measure.settings("google/electra-small-discriminator", race_measure.CORPUS, config)
    index = (race_measure.WHAT, kept.this_cpu(), settings)
    job = background.start(index, race_measure.RaceMeasure(settings[0], config))
    deadline = time.monotonic() + 120
    while not job.finished:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job.state == background.DONE, job.error
    assert job.total == 2 and [h.step for h in job.result.history] == [1, 2]
    background._kept.clear()
    found = background.kept_result(index, RaceResult)
    assert found.result == job.result and found.result.probe is not None
