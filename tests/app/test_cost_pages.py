"""BigBird and Reformer pages, and the DistilBERT speed section, under AppTest: one interaction each."""

import json
import threading
import time

import pytest
from streamlit.testing.v1 import AppTest

from explorer.i18n import translate
from tests.app import measuring
from tests.app.checks import assert_no_error_box
from tests.app.test_pages import TIMEOUT, open_page, show_tab, texts


def messages(at: AppTest) -> list[str]:
    return [e.value for kind in ("info", "warning", "error") for e in getattr(at, kind)]


def test_bigbird_page_builds_the_pattern_and_reads_the_real_map():
    at = open_page("bigbird", tab="bigbird_pattern")
    assert_no_error_box(at)
    assert [tab.label for tab in at.tabs][:3] == [
        "Pattern builder",
        "The real model's attention",
        "Latency vs length",
    ]
    assert "of the full T x T matrix" in texts(at)
    show_tab(at, "bigbird", "bigbird_real")
    assert_no_error_box(at)
    body = texts(at)
    assert "the model put weight on 58 of the pattern's 58 global and window blocks in every head" in body
    assert any("tiny random weights" in i for i in messages(at))
    at.radio(key="bigbird_m_mode").set_value("train").run()
    assert_no_error_box(at)
    assert "In training mode (random blocks on)" in texts(at)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("bigbird_p_len", 1000, "length 1000 is not a multiple of the block size 64; try 1024"),
        ("bigbird_p_window", 4, "it must be odd"),
        ("bigbird_p_len", 65_536, "1024 blocks a side is too many to draw"),
    ],
)
def test_bigbird_bad_pattern_settings_give_a_message(key, value, expected):
    at = open_page("bigbird")
    at.number_input(key=key).set_value(value).run()
    assert_no_error_box(at, expected)


@pytest.mark.parametrize(("buckets", "expected"), [(1, "buckets come in pairs"), (10_000, "more than 1,024")])
def test_reformer_bad_bucket_counts_give_a_message(buckets, expected):
    at = open_page("reformer", tab="lsh_pattern")
    assert_no_error_box(at)
    assert "sum to between 1.0000 and 1.0000" in texts(at)  # the reassembled real LSH map
    show_tab(at, "reformer", "lsh_steps")
    assert_no_error_box(at)
    at.number_input(key="reformer_s_buckets").set_value(buckets).run()
    assert_no_error_box(at, expected)


def test_a_hundred_thousand_characters_are_cut_to_the_chosen_length():
    at = open_page("reformer", tab="lsh_pattern")
    at.text_input(key="reformer_text").set_value("word " * 20_000).run()
    assert_no_error_box(at)
    assert "sum to between 1.0000 and 1.0000" in texts(at)


def test_reversible_memory_is_measured_after_asking():
    at = open_page("reformer", "ko", tab="reversible")
    at.multiselect(key="reformer_rev_depths").set_value([1]).run()
    assert_no_error_box(at)
    assert any("측정" in i for i in messages(at))
    measuring.measure(at, "reformer_rev_run")
    assert_no_error_box(at)
    assert "메모리를 가장 적게 씁니다" in texts(at)


def _distil_section() -> None:
    from explorer.ui.family import PageInput
    from explorer.ui.sections import SECTIONS

    SECTIONS["distil_speed"](PageInput("distilbert", "distilbert", "distilbert-base-uncased", "text"))


def test_distil_speed_counts_and_measures_both_models():
    at = AppTest.from_function(_distil_section, default_timeout=TIMEOUT)
    at.run()
    assert_no_error_box(at)
    assert [m.value for m in at.metric] == ["109,482,240", "66,362,880", "39.4%"]
    at.multiselect(key="distilbert_distil_batches").set_value([1]).run()
    at.multiselect(key="distilbert_distil_lens").set_value([32]).run()
    measuring.measure(at, "distilbert_distil_run")
    assert_no_error_box(at)
    assert "is the fastest" in texts(at)
    assert "60% faster" in texts(at)


@pytest.fixture
def fresh_measurements(tmp_path, monkeypatch):
    """A kept-results folder of the test's own and no measurement known to the process."""
    from explorer.measure import background, kept

    monkeypatch.setenv(kept.ENV_FOLDER, str(tmp_path))
    monkeypatch.setattr(background, "_jobs", {})
    monkeypatch.setattr(background, "_kept", {})
    return tmp_path


def _gated_reformer(monkeypatch, gate: threading.Event) -> None:
    """sweeps.reformer_memory with no model: each point a no-op, waiting for `gate` after each one."""
    from explorer.families.reformer import reversible
    from explorer.measure import sweeps
    from explorer.mechanics import cost

    def fake(axis, values, on_progress=None, length=1024, seed=0):
        def progress(done, line, value):
            on_progress(done, line, value)
            gate.wait(60)

        lines = reversible.ATTENTIONS if axis == "tokens" else reversible.RESIDUALS
        return cost.sweep(
            lines, values, lambda line, n: lambda: None, "cpu", "cpu, fp32", on_progress=progress
        )

    monkeypatch.setattr(sweeps, "reformer_memory", fake)


def _tables(at: AppTest) -> str:
    return "\n".join(frame.value.to_string() for frame in at.dataframe)


def _progress(at: AppTest) -> str:
    return " ".join(e.proto.text for e in at.get("progress"))


def _job_at_step(index, step: int = 1):
    from explorer.measure import background

    deadline = time.monotonic() + 60
    while (job := background.find(index)) is None or job.step < step:
        assert time.monotonic() < deadline, "the background measurement did not start"
        time.sleep(0.02)
    return job


def test_a_kept_measurement_is_shown_on_arrival_with_its_device_and_date_and_measured_again_on_request(
    fresh_measurements,
):
    from explorer.measure import kept
    from explorer.mechanics import cost

    where = kept.this_device()
    old = cost.Sweep(
        "cpu, fp32",
        (cost.Point("reversible", 1, 1, 0.1, 123_456_789), cost.Point("ordinary", 1, 1, 0.1, 234_567_891)),
    )
    kept.save("reversible", where, (1,), old)
    path = kept.path_of("reversible", where, (1,))
    data = json.loads(path.read_text())
    path.write_text(json.dumps(data | {"measured_at": "2026-01-02T03:04:00+00:00"}))
    at = open_page("reformer", tab="reversible")
    at.multiselect(key="reformer_rev_depths").set_value([1]).run()
    assert_no_error_box(at)
    assert f"Measured on {where} on 2026-01-02 03:04 UTC" in texts(at)  # no button pressed
    assert "reformer_rev_run" not in [b.key for b in at.button]
    assert "123.456789" in _tables(at)
    measuring.measure(at, "reformer_rev_again")
    assert_no_error_box(at)
    assert "2026-01-02" not in texts(at) and f"Measured on {where} on " in texts(at)
    assert "123.456789" not in _tables(at)
    assert "2026-01-02" not in path.read_text()


def test_default_depths_measured_in_the_background_count_layers_and_a_stop_keeps_their_points(
    fresh_measurements, monkeypatch
):
    from explorer.measure import kept

    monkeypatch.setenv("EXPLORER_MEASURE_AHEAD", "1")
    gate = threading.Event()
    _gated_reformer(monkeypatch, gate)
    at = open_page("reformer", tab="reversible")  # the default depths 2, 4, 8: nothing pressed
    job = _job_at_step(("reversible", kept.this_device(), (2, 4, 8)))
    at.run()
    assert_no_error_box(at)
    assert "1 of 6 points measured (last: reversible (Reformer), 2 layers)" in _progress(at)
    assert "s left" in _progress(at)
    measuring.press(at, "reformer_rev_stop")
    assert job.stopping
    gate.set()
    measuring.wait_measured(at)
    assert_no_error_box(at)
    assert any("Stopped after 2 of 6 points" in m for m in messages(at))
    assert at.dataframe[-1].value.shape[0] == 1  # depth 2, both residuals: the points measured
    assert "reformer_rev_run" in [b.key for b in at.button]  # measured again only when asked


def test_default_lengths_measured_in_the_background_count_tokens_and_greet_the_next_visitor_at_once(
    fresh_measurements, monkeypatch
):
    from explorer.measure import kept

    monkeypatch.setenv("EXPLORER_MEASURE_AHEAD", "1")
    gate = threading.Event()
    _gated_reformer(monkeypatch, gate)
    at = open_page("reformer", "ko", tab="lsh_memory")
    _job_at_step(("reformer_memory", kept.this_device(), (1024, 2048, 4096)))
    at.run()
    assert "9개 지점 중 1개 측정 (마지막: LSH, 1,024토큰)" in _progress(at)
    assert any("뒤에서 측정" in c.value for c in at.caption)
    gate.set()
    measuring.wait_measured(at)
    later = open_page("reformer", "ko", tab="lsh_memory")  # another visitor, later
    assert_no_error_box(later)
    assert not _progress(later) and "reformer_mem_run" not in [b.key for b in later.button]
    assert f"{kept.this_device()}에서 측정했습니다" in texts(later)


def _waiting_box() -> None:
    from explorer.measure import background
    from explorer.ui import cost_views

    cost_views.render_waiting(background.find(("gave way", "cpu", ())), "box")


def test_a_measurement_that_gave_way_can_be_asked_for_from_its_waiting_box(monkeypatch):
    from explorer.measure import background

    monkeypatch.setattr(background, "_jobs", {})
    index = ("gave way", "cpu", ())
    job = background.Measurement(index, lambda progress: None, ahead=True)
    job.gave_way = 1
    background._jobs[index] = job  # waiting for its turn again, as after giving way
    at = AppTest.from_function(_waiting_box, default_timeout=TIMEOUT).run()
    assert_no_error_box(at)
    at.button(key="box_claim").click().run()
    assert not job.ahead and background.find(index) is job  # the same run, now asked for: no more giving way
    assert_no_error_box(at)
    at.run()  # the box's next redraw (every second while it waits) still says it was asked for
    captions = [c.value for c in at.caption]
    assert translate("en", "cost.claimed") in captions and translate("en", "cost.gave_way") not in captions
    assert not [b for b in at.button if b.key == "box_claim"]
