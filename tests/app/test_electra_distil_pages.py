"""ELECTRA and DistilBERT pages: one interaction each, a live training started and stopped, bad input."""

from tests.app.checks import assert_no_error_box
from tests.app.test_pages import open_page, show_tab, texts


def _messages(at) -> list[str]:
    return [e.value for kind in ("info", "warning", "error") for e in getattr(at, kind)]


def _run_until(at, done, rounds: int = 30):
    for _ in range(rounds):
        if done(at):
            return
        at.run()
    raise AssertionError("the live training did not finish")


def test_electra_step_by_step_and_a_one_token_sentence():
    at = open_page("electra", tab="signal")
    assert_no_error_box(at)
    assert "tokens carry a loss" in texts(at)
    show_tab(at, "electra", "rtd")
    assert_no_error_box(at)
    assert [m.label for m in at.metric][:3] == [
        "Discriminator accuracy on this sentence",
        "Masked tokens",
        "Replaced tokens",
    ]
    at.text_input(key="electra_text").set_value("Hi").run()
    assert_no_error_box(at)
    assert at.metric[1].value == "1"  # a one-token sentence still has its one token to predict


def test_electra_live_experiment_runs_to_the_probe():
    at = open_page("electra", tab="rtd_race")
    at.number_input(key="electra_race_steps").set_value(3).run()
    at.number_input(key="electra_race_hidden").set_value(16).run()
    at.number_input(key="electra_race_batch").set_value(4).run()
    at.button(key="electra_race_start").click().run()
    assert_no_error_box(at)
    _run_until(at, lambda a: "The same probe on each encoder" in [h.value for h in a.subheader])
    assert_no_error_box(at)
    assert "at these settings" in texts(at)


def test_a_corpus_too_small_is_refused_clearly():
    at = open_page("electra", tab="rtd_race")
    at.radio(key="electra_race_corpus").set_value("own").run()
    at.text_area(key="electra_race_own").set_value("x" * 100_000).run()
    assert_no_error_box(at)
    assert any("Too small to train on" in m for m in _messages(at))
    assert at.button(key="electra_race_start").disabled


def test_distilbert_temperature_zero_gives_a_message():
    at = open_page("distilbert", tab="distil_speed")  # the page's last metric: 39.4% fewer parameters
    assert_no_error_box(at)
    assert at.metric[-1].value == "39.4%"
    show_tab(at, "distilbert", "distil_loss")
    assert_no_error_box(at)
    at.slider(key="distilbert_temperature").set_value(0.0).run()
    assert_no_error_box(at, "cannot be used")


def test_distilbert_live_distillation_started_and_stopped():
    at = open_page("distilbert", tab="distil_train")
    at.number_input(key="distilbert_run_temperature").set_value(1000.0).run()
    at.button(key="distil_run_start").click().run()
    assert_no_error_box(at, "Not started: temperature 1000")
    at.number_input(key="distilbert_run_temperature").set_value(2.0).run()
    at.number_input(key="distilbert_run_steps").set_value(500).run()
    at.number_input(key="distilbert_run_batch").set_value(2).run()
    at.button(key="distil_run_start").click().run()
    assert_no_error_box(at)
    at.button(key="distil_run_stop").click().run()
    _run_until(at, lambda a: "Teacher and student on one sentence" in [h.value for h in a.subheader])
    assert_no_error_box(at)
    assert any("Stopped after" in w.value for w in at.warning)
    assert "Mean cosine between the student" in texts(at)
