"""The server's job queue on the pages: with room for one job, a second session's CoLA launch waits
with its place shown, the sidebar says so, and Stop while waiting leaves the queue with nothing run;
a live ELECTRA run waits the same way and trains once the slot frees."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer import jobqueue, registry
from tests.app.checks import assert_no_error_box

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not registry.SHARED_DATA.is_dir(), reason="../shared/data is not present")


def cola_session() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("app_pages/cola.py").run()
    at.number_input(key="ft_n_cola").set_value(32).run()  # a short run, should it start
    at.number_input(key="ft_e_cola").set_value(16).run()
    return at


def sidebar_of_a_new_session() -> str:
    """The sidebar's captions as a new visitor's first page draws them (AppTest keeps the sidebar of
    a session's first run only, not of a page it switches to)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    return "\n".join(e.value for e in at.sidebar.caption)


def launch(at: AppTest) -> None:
    next(b for b in at.button if b.key == "ft_launch").click().run()
    assert_no_error_box(at)
    assert not at.error, [e.value for e in at.error]


def infos(at: AppTest) -> str:
    return "\n".join(e.value for e in at.info)


@pytest.fixture
def one_slot(monkeypatch):
    monkeypatch.setenv("EXPLORER_MAX_JOBS", "1")
    monkeypatch.setattr(jobqueue, "_shared", None)  # the server's queue, made afresh with that limit
    yield
    queue = jobqueue._shared
    assert queue is not None
    for ticket in [*queue._queued, *queue._running]:
        queue.cancel(ticket)


def test_a_second_launch_waits_in_the_queue_and_stop_takes_it_out(one_slot):
    first, second = cola_session(), cola_session()
    launch(first)
    running = first.session_state["finetune_job"]
    try:
        launch(second)
        assert "you are number 1 in the queue (1 of 1 jobs running" in infos(second)
        waiting = second.session_state["finetune_job"]
        assert running.ticket.state == "running" and running.child is not None
        assert waiting.queued and waiting.child is None
        assert "Server load: 1 of 1 job slots in use, 1 waiting." in sidebar_of_a_new_session()
        assert next(b for b in second.button if b.key == "ft_launch").disabled
        second.switch_page("app_pages/squad.py").run()
        assert "fine-tune of this session waits in the queue on another page" in infos(second)
        second.switch_page("app_pages/cola.py").run()

        next(b for b in second.button if b.key == "ft_stop").click().run()
        assert not second.exception, second.exception
        assert waiting.ticket.state == "cancelled" and waiting.child is None and not waiting.running
        assert "You left the queue: nothing was started." in infos(second)
        assert jobqueue.shared().load().queued == 0
        assert not next(b for b in second.button if b.key == "ft_launch").disabled
    finally:
        running.stop()
        if running.child is not None:
            running.child.abort()
            running.reader.join(timeout=60)  # before the test's end closes the child's files


def test_a_live_run_waits_for_a_slot_then_trains_when_it_frees(one_slot):
    from tests.app.test_pages import open_page

    other = jobqueue.shared().submit(jobqueue.Ticket("another session", "a fine-tune"))
    at = open_page("electra", tab="rtd_race")
    at.number_input(key="electra_race_steps").set_value(3).run()
    at.number_input(key="electra_race_hidden").set_value(16).run()
    at.button(key="electra_race_start").click().run()
    assert_no_error_box(at)
    assert "you are number 1 in the queue (1 of 1 jobs running" in infos(at)
    assert at.session_state["electra_race"].step == 0  # nothing trained while waiting
    jobqueue.shared().finish(other)
    for _ in range(30):
        at.run()
        if at.session_state["electra_race"].finished:
            break
    assert_no_error_box(at)
    assert at.session_state["electra_race"].step == 3
    assert jobqueue.shared().load().running == 0  # the finished run gave its slot back


def test_stop_while_a_live_run_waits_takes_it_out(one_slot):
    from tests.app.test_pages import open_page

    jobqueue.shared().submit(jobqueue.Ticket("another session", "a fine-tune"))
    at = open_page("electra", tab="rtd_race")
    at.button(key="electra_race_start").click().run()
    at.button(key="electra_race_stop").click().run()
    assert_no_error_box(at)
    assert "You left the queue: nothing was started." in infos(at)
    assert "electra_race" not in at.session_state and jobqueue.shared().load().queued == 0
