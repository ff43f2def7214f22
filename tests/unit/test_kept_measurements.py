"""Measurements kept on disk per device and settings, run in the background with progress and a stop
(explorer/measure/kept.py, background.py), and a sweep stopped midway keeping its points."""

import threading
import time

import pytest

from explorer import jobqueue
from explorer.measure import background, kept
from explorer.mechanics import cost

SWEEP = cost.Sweep(
    "CPU, fp32",
    (cost.Point("lsh", 1024, 1, 0.5, 2_000_000), cost.Point("full_eager", 1024, 1, 0.7, None)),
    (("full_sdpa", 1024, "out of memory"),),
)


@pytest.fixture(autouse=True)
def fresh(tmp_path, monkeypatch):
    """A kept-results folder of the test's own, and no measurement known to the process."""
    monkeypatch.setenv(kept.ENV_FOLDER, str(tmp_path))
    monkeypatch.setattr(background, "_jobs", {})
    monkeypatch.setattr(background, "_kept", {})


def test_a_kept_sweep_reads_back_with_its_device_and_date_under_its_own_settings_only():
    saved = kept.save("reformer_memory", "CPU (x, 2 cores)", (1024,), SWEEP)
    found = kept.load("reformer_memory", "CPU (x, 2 cores)", (1024,))
    assert found == saved and found.sweep == SWEEP
    assert found.device == "CPU (x, 2 cores)" and found.date.endswith("UTC")
    assert kept.load("reformer_memory", "CPU (x, 2 cores)", (2048,)) is None  # other settings
    assert kept.load("reformer_memory", "cuda (NVIDIA H100)", (1024,)) is None  # other device
    assert kept.load("bigbird", "CPU (x, 2 cores)", (1024,)) is None  # another measurement
    assert (
        len({kept.path_of("a", "cpu", (1,)), kept.path_of("a", "cpu", (2,)), kept.path_of("a", "gpu", (1,))})
        == 3
    )


@pytest.mark.parametrize("text", ["", "{not json", '{"what": "reformer_memory"}', '{"sweep": [1, 2]}'])
def test_a_corrupt_kept_file_counts_as_not_kept_and_is_measured_again(text):
    index = ("reformer_memory", "cpu", (1024,))
    kept.path_of(*index).parent.mkdir(parents=True, exist_ok=True)
    kept.path_of(*index).write_text(text)
    assert kept.load(*index) is None
    job = background.start(index, lambda progress: SWEEP)
    _wait(job)
    assert job.state == background.DONE
    assert kept.load(*index).sweep == SWEEP  # the file was replaced by the new measurement


def _wait(job: background.Measurement, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not job.finished:
        assert time.monotonic() < deadline, "the measurement did not finish"
        time.sleep(0.02)


def _gated_sweep(gate: threading.Event, values=(1, 2, 3)):
    """A runner over two lines and `values` that waits for `gate` after each point."""

    def runner(on_progress):
        def progress(done, line, value):
            on_progress(done, line, value)
            gate.wait(30)

        return cost.sweep(
            ("a", "b"), values, lambda line, n: lambda: None, "cpu", "test", on_progress=progress
        )

    return runner


def test_a_stopped_measurement_keeps_the_points_measured_so_far_and_is_not_kept():
    gate = threading.Event()
    index = ("gated", "cpu", (1, 2, 3))
    job = background.start(index, _gated_sweep(gate))
    while job.step < 1:
        time.sleep(0.01)
    assert job.total == 6 and (job.line, job.value) == ("a", 1) and job.left is not None
    assert background.start(index, _gated_sweep(gate)) is job  # a second visitor watches the same run
    job.stop()
    gate.set()
    _wait(job)
    assert job.state == background.STOPPED and job.step == 2
    assert [(p.line, p.length) for p in job.result.points] == [("a", 1), ("b", 1)]
    assert kept.load(*index) is None and background.kept_result(index) is None
    assert not background.busy()


def _until(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


def test_a_measurement_nobody_asked_for_gives_way_to_a_persons_job_and_then_starts_again(monkeypatch):
    queue = jobqueue.JobQueue(1)  # one slot, as on a 2-core server
    monkeypatch.setattr(jobqueue, "_shared", queue)
    gate = threading.Event()
    index = ("gated", "cpu", (1, 2))
    job = background.start(index, _gated_sweep(gate, (1, 2)), ahead=True)
    _until(lambda: job.step >= 1)
    person = queue.submit(jobqueue.Ticket("a visitor", "fine-tune CoLA", client="browser 1"))
    assert person.state == jobqueue.QUEUED  # the measurement holds the only slot
    gate.set()  # the point being measured ends: the measurement hands its slot over
    _until(lambda: person.state == jobqueue.RUNNING and job.gave_way == 1 and job.state == background.WAITING)
    assert job.step == 0 and job.result is None and kept.load(*index) is None  # nothing half-measured kept
    queue.finish(person)
    _wait(job)
    assert job.state == background.DONE and len(job.result.points) == 4  # every point, measured again
    assert kept.load(*index).sweep == job.result


def test_the_last_point_is_not_given_away(monkeypatch):
    """A run whose last point is measured is kept, even when someone's job waits by then."""
    queue = jobqueue.JobQueue(1)
    monkeypatch.setattr(jobqueue, "_shared", queue)
    gate = threading.Event()
    index = ("gated", "cpu", (1,))
    job = background.start(index, _gated_sweep(gate, (1,)), ahead=True)  # two points: a, b
    _until(lambda: job.step >= 1)
    person = queue.submit(jobqueue.Ticket("a visitor", "fine-tune CoLA", client="browser 1"))
    gate.set()
    _wait(job)
    assert job.state == background.DONE and job.gave_way == 0 and kept.load(*index).sweep == job.result
    assert person.state == jobqueue.RUNNING
    queue.finish(person)


def test_a_measurement_someone_asked_for_goes_before_those_measured_ahead(monkeypatch):
    monkeypatch.setattr(jobqueue, "_shared", jobqueue.JobQueue(1))
    gate = threading.Event()
    ahead = background.start(("gated", "cpu", (1, 2)), _gated_sweep(gate, (1, 2)), ahead=True)
    _until(lambda: ahead.step >= 1)
    asked = background.start(("asked", "cpu", ()), lambda progress: SWEEP)  # other settings, asked for
    gate.set()  # the ahead run's point ends: it lets the asked one measure first
    _wait(asked)
    assert asked.state == background.DONE and ahead.gave_way == 1 and not ahead.finished
    _wait(ahead)
    assert ahead.state == background.DONE and len(ahead.result.points) == 4


def test_a_measurement_a_person_asked_for_keeps_its_slot(monkeypatch):
    queue = jobqueue.JobQueue(1)
    monkeypatch.setattr(jobqueue, "_shared", queue)
    gate = threading.Event()
    index = ("gated", "cpu", (1,))
    job = background.start(index, _gated_sweep(gate, (1,)), ahead=True)
    _until(lambda: job.step >= 1)
    assert background.start(index, _gated_sweep(gate, (1,))) is job and not job.ahead  # asked: now theirs
    person = queue.submit(jobqueue.Ticket("a visitor", "fine-tune CoLA", client="browser 1"))
    gate.set()
    _wait(job)
    assert job.state == background.DONE and job.gave_way == 0 and len(job.result.points) == 2
    queue.cancel(person)


def test_a_waiting_measurement_asked_for_goes_before_the_ahead_one_that_runs(monkeypatch):
    """The waiting box's claim (start() on a run that waits for its turn) makes it an asked one: the
    ahead run measuring then gives way to it, as to any measurement someone asked for."""
    monkeypatch.setattr(jobqueue, "_shared", jobqueue.JobQueue(1))
    gate = threading.Event()
    running = background.start(("gated", "cpu", (1, 2)), _gated_sweep(gate, (1, 2)), ahead=True)
    _until(lambda: running.step >= 1)
    waiting = background.start(("waiting", "cpu", ()), lambda progress: SWEEP, ahead=True)
    assert waiting.state == background.WAITING
    assert background.start(waiting.index, waiting.runner) is waiting and not waiting.ahead  # claimed
    _until(lambda: background._asked == 1)  # counted while it waits
    gate.set()
    _wait(waiting)
    assert waiting.state == background.DONE and running.gave_way == 1
    _wait(running)
    assert running.state == background.DONE and background._asked == 0


def test_a_finished_measurement_is_kept_and_read_by_the_next_visitor():
    gate = threading.Event()
    gate.set()
    index = ("gated", "cpu", (1,))
    job = background.start(index, _gated_sweep(gate, (1,)))
    _wait(job)
    assert job.state == background.DONE and len(job.result.points) == 2
    assert background.kept_result(index).sweep == job.result
    assert kept.load(*index).sweep == job.result


def test_the_server_run_limit_stops_a_measurement(monkeypatch):
    monkeypatch.setenv("EXPLORER_MAX_RUN_SECONDS", "0.001")
    gate = threading.Event()
    gate.set()

    def slow(on_progress):
        return cost.sweep(
            ("a",), (1, 2), lambda line, n: lambda: time.sleep(0.01), "cpu", "t", on_progress=on_progress
        )

    job = background.start(("slow", "cpu", ()), slow)
    _wait(job)
    assert job.state == background.STOPPED and job.limit and len(job.result.points) == 1


def test_a_failing_measurement_says_why_instead_of_hanging():
    def refused(on_progress):
        raise ValueError("length 7 is not a multiple of the block size")

    job = background.start(("refused", "cpu", ()), refused)
    _wait(job)
    assert job.state == background.FAILED and "block size" in job.error


def test_the_defaults_not_kept_are_measured_ahead_and_only_those(monkeypatch):
    from explorer.measure import defaults

    every = defaults.every()
    first = every[0]
    kept.save(first.what, kept.this_device(), first.settings, SWEEP)
    started = []
    monkeypatch.setattr(background, "start", lambda index, run, ahead: started.append((index, ahead)))
    monkeypatch.setenv(background.ENV_AHEAD, "0")
    assert defaults.measure_ahead() == [] and started == []
    monkeypatch.setenv(background.ENV_AHEAD, "1")
    assert defaults.measure_ahead() == [d.what for d in every[1:]]
    assert started == [((d.what, kept.this_device(), d.settings), True) for d in every[1:]]


def test_the_pages_ask_for_the_defaults_under_the_same_settings():
    """What the server measures ahead is what the pages show: their first values are the defaults'."""
    from explorer.measure import defaults
    from explorer.ui.reformer import problems

    assert problems.ATTENTION_LENGTHS == defaults.REFORMER_LENGTHS
    assert problems.DEPTHS == defaults.REFORMER_DEPTHS
    assert (
        set(defaults.REFORMER_FF[0]) <= set(problems.FF_LENGTHS)
        and defaults.REFORMER_FF[1] in problems.FF_CHUNKS
    )
