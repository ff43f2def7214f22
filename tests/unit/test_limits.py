"""The server owner's limits (explorer/limits.py): safe defaults, read from the environment in one
place, a bad setting keeps its default, and each refusal names the setting that allows more."""

import re

import pytest

from explorer import limits
from explorer.training import distill_run, mlm_data, rtd_race
from explorer.training.chunked import ChunkedRun


def test_hole4_limits_have_safe_defaults_and_read_the_environment():
    assert limits.Limits.from_env({}) == limits.Limits()
    assert limits.Limits() == limits.Limits(1800.0, 5000, 2, 128, 512, 100_000, 10.0)
    environ = {
        "EXPLORER_MAX_RUN_SECONDS": "90.5",
        "EXPLORER_MAX_RUN_STEPS": "5",
        "EXPLORER_MAX_JOBS_PER_CLIENT": "1",
        "EXPLORER_MAX_BATCH": "16",
        "EXPLORER_MAX_LENGTH": " 64 ",
        "EXPLORER_MAX_TRAIN_SIZE": "1000",
        "EXPLORER_MAX_EPOCHS": "2",
    }
    assert limits.Limits.from_env(environ) == limits.Limits(90.5, 5, 1, 16, 64, 1000, 2.0)


def test_hole4_a_setting_that_is_not_a_positive_number_keeps_its_default():
    environ = {"EXPLORER_MAX_RUN_STEPS": "0", "EXPLORER_MAX_BATCH": "lots", "EXPLORER_MAX_EPOCHS": "inf"}
    assert limits.Limits.from_env(environ) == limits.Limits()
    assert limits.Limits.from_env({"EXPLORER_MAX_LENGTH": "2.5"}).length == 512  # a whole number only


def test_hole4_a_refusal_names_the_value_the_limit_and_its_setting():
    allowed = limits.Limits(batch=16)
    assert allowed.above("batch", 16, "batch size") is None
    assert allowed.above("batch", 17, "batch size") == (
        "batch size 17 is above this server's limit of 16 (EXPLORER_MAX_BATCH)"
    )
    assert limits.UNLIMITED.above("run_steps", 10**12, "steps") is None


class Counting(ChunkedRun):
    """A live run whose every step takes one second of a clock the test holds."""

    def __init__(self, total_steps: int, max_seconds: float) -> None:
        super().__init__(total_steps, max_seconds)
        self.now, self.finishes = 0.0, 0
        self.clock = lambda: self.now

    def train_step(self) -> None:
        self.now += 1.0

    def finish(self) -> None:
        self.finishes += 1


def test_hole4_a_live_run_past_its_seconds_stops_and_evaluates_what_it_learned():
    run = Counting(total_steps=100, max_seconds=5)
    run.advance(3.0)  # one page refresh: 3 s of training
    assert run.step == 3 and not run.stopped
    run.advance(3.0)
    assert run.step == 5 and run.stopped and run.limit == "seconds" and run.finished
    assert run.finishes == 1
    whole = Counting(total_steps=4, max_seconds=4)  # its last step at the limit: a whole run
    whole.advance(10.0)
    assert whole.step == 4 and not whole.stopped and whole.limit == "" and whole.finished


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            rtd_race.RaceConfig(steps=50),
            "steps 50 is above this server's limit of 20 (EXPLORER_MAX_RUN_STEPS)",
        ),
        (rtd_race.RaceConfig(batch_size=32), "batch size 32 is above this server's limit of 16"),
        (rtd_race.RaceConfig(max_length=64), "max length 64 is above this server's limit of 48"),
        (distill_run.DistillConfig(steps=21), "steps 21 is above this server's limit of 20"),
        (distill_run.DistillConfig(batch_size=17), "batch size 17 is above"),
    ],
)
def test_hole4_live_run_settings_past_a_limit_are_refused_before_work_starts(config, message, monkeypatch):
    allowed = limits.Limits(run_steps=20, batch=16, length=48)
    with pytest.raises(ValueError, match=re.escape(message)):
        config.validate(allowed)
    for name, value in (("run_steps", 20), ("batch", 16), ("length", 48)):
        monkeypatch.setenv(limits.ENV[name], str(value))
    with pytest.raises(ValueError, match=re.escape(message)):  # the run's own check, from the environment
        config.validate()
    rtd_race.RaceConfig(steps=20, batch_size=16).validate()  # at the limit: allowed


def test_hole4_a_live_run_takes_the_seconds_limit_of_the_environment(monkeypatch, bert_tokenizer):
    monkeypatch.setenv("EXPLORER_MAX_RUN_SECONDS", "42")
    rows = mlm_data.encode_corpus(bert_tokenizer, ["a short line of text here"] * 40, 32, compact=True)
    race = rtd_race.RtdRace(rows, rtd_race.RaceConfig(hidden=16, steps=2, batch_size=4))
    assert race.max_seconds == 42.0
