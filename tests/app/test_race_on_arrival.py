"""ELECTRA's race (figure 15) ready on arrival: a kept race drawn at once with its device and date,
and the default race trained in the background on the first visit with its steps shown."""

import dataclasses
import threading
import time

import pytest

from tests.app import measuring
from tests.app.checks import assert_no_error_box
from tests.app.test_cost_pages import fresh_measurements  # noqa: F401 (a fixture)
from tests.app.test_pages import open_page, texts
from tests.unit.test_kept_race import RESULT

PROBE = "The same probe on each encoder"


@pytest.mark.usefixtures("fresh_measurements")
def test_a_kept_race_is_drawn_on_arrival_with_its_device_and_date():
    import json

    from explorer.measure import kept
    from explorer.training import race_measure

    where, settings = kept.this_cpu(), race_measure.default_settings()
    kept.save(race_measure.WHAT, where, settings, RESULT)
    path = kept.path_of(race_measure.WHAT, where, settings)
    path.write_text(json.dumps(json.loads(path.read_text()) | {"measured_at": "2026-01-02T03:04:00+00:00"}))
    at = open_page("electra", tab="rtd_race")  # nothing pressed
    assert_no_error_box(at)
    assert f"Measured on {where} on 2026-01-02 03:04 UTC" in texts(at)
    assert PROBE in [h.value for h in at.subheader]
    assert "at these settings" in texts(at) and not at.get("progress")


@pytest.mark.usefixtures("fresh_measurements")
def test_in_the_tour_the_kept_race_says_where_its_folded_start_is():
    """The tour folds the live run's Start with the page's inputs: the caption names that fold."""
    from explorer import registry
    from explorer.i18n import translate
    from explorer.measure import kept
    from explorer.training import race_measure

    kept.save(race_measure.WHAT, kept.this_cpu(), race_measure.default_settings(), RESULT)
    stop = next(s for s in registry.tour_stops() if s.figure == 15)
    for lang in ("en", "ko"):
        at = open_page("tour", lang, stop=str(stop.number))
        assert_no_error_box(at)
        where = translate(lang, "electra.race_start_tour", inputs=translate(lang, "family.inputs"))
        assert translate(lang, "electra.race_kept_again", start=where) in texts(at), lang


@pytest.mark.usefixtures("fresh_measurements")
def test_the_default_race_trains_in_the_background_on_arrival_and_a_stop_shows_its_steps(monkeypatch):
    from explorer.measure import background, kept
    from explorer.training import race_measure, rtd_race

    monkeypatch.setenv("EXPLORER_MEASURE_AHEAD", "1")
    tiny = dataclasses.make_dataclass(
        "Tiny",
        [("hidden", int, 16), ("steps", int, 3), ("batch_size", int, 4)],
        bases=(rtd_race.RaceConfig,),
        frozen=True,
    )
    monkeypatch.setattr(rtd_race, "RaceConfig", tiny)
    gate, train_step = threading.Event(), rtd_race.RtdRace.train_step

    def gated(run):
        if run.step >= 1:
            gate.wait(60)
        train_step(run)

    monkeypatch.setattr(rtd_race.RtdRace, "train_step", gated)
    at = open_page("electra", tab="rtd_race")  # the default race: nothing pressed
    index = (race_measure.WHAT, kept.this_cpu(), race_measure.default_settings())
    deadline = time.monotonic() + 120
    while (job := background.find(index)) is None or job.step < 1:
        assert time.monotonic() < deadline, "the background race did not start"
        time.sleep(0.05)
    at.run()
    assert_no_error_box(at)
    progress = " ".join(e.proto.text for e in at.get("progress"))
    assert "1 of 3 training steps done" in progress and "s left" in progress
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")  # the curves so far
    measuring.press(at, "electra_race_kept_stop")
    assert job.stopping
    gate.set()
    measuring.wait_measured(at)
    assert_no_error_box(at)
    assert any("Stopped after 2 of 3 steps" in w.value for w in at.warning)
    assert background.kept_result(index, race_measure.RaceResult) is None  # a stopped race is not kept
