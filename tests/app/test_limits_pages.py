"""The server owner's limits on the pages (#27 hole 4): the fine-tune and live-run ranges follow
them, a run stopped at one says so, and a visitor past its share of the queue gets one message."""

import contextlib
import time

import pytest

from explorer import jobqueue, registry
from explorer.ui import queue_views
from tests.app.checks import assert_no_error_box, message
from tests.app.test_pages import open_page

pytestmark = pytest.mark.skipif(not registry.SHARED_DATA.is_dir(), reason="../shared/data is not present")


@pytest.fixture
def fresh_queue(monkeypatch):
    """The server's queue made afresh (with the environment's limits), emptied at the end."""
    monkeypatch.setattr(jobqueue, "_shared", None)
    yield
    queue = jobqueue._shared
    for ticket in [*queue._queued, *queue._running] if queue else []:
        queue.cancel(ticket)


def test_hole4_the_fine_tune_ranges_follow_the_servers_limits(monkeypatch):
    for name, value in (("BATCH", "16"), ("LENGTH", "100"), ("TRAIN_SIZE", "1000"), ("EPOCHS", "1.5")):
        monkeypatch.setenv(f"EXPLORER_MAX_{name}", value)
    monkeypatch.setenv("EXPLORER_MAX_RUN_STEPS", "300")
    at = open_page("cola")
    assert_no_error_box(at)
    batch, size, epochs = (at.number_input(key=k) for k in ("ft_b_cola", "ft_n_cola", "ft_ep_cola"))
    assert (batch.max, batch.value) == (16, 16)  # the default 32 is past the limit: the limit
    assert (size.max, size.value) == (1000, 1000)
    assert epochs.max == 1.5
    length = at.select_slider(key="ft_len_cola")
    assert [int(o) for o in length.options] == [32, 64] and length.value == 64
    captions = "\n".join(c.value for c in at.caption)
    assert "a run stops after 30 min or 300 steps" in captions and "batch size up to 16" in captions


def test_hole4_the_live_run_ranges_follow_the_servers_limits(monkeypatch):
    monkeypatch.setenv("EXPLORER_MAX_RUN_STEPS", "50")
    monkeypatch.setenv("EXPLORER_MAX_BATCH", "8")
    at = open_page("electra", tab="rtd_race")
    assert_no_error_box(at)
    steps, batch = at.number_input(key="electra_race_steps"), at.number_input(key="electra_race_batch")
    assert (steps.max, steps.value) == (50, 50) and (batch.max, batch.value) == (8, 8)
    at = open_page("distilbert", tab="distil_train")
    assert_no_error_box(at)
    assert at.number_input(key="distilbert_run_steps").max == 50
    assert at.number_input(key="distilbert_run_batch").max == 8


def test_hole4_a_visitor_past_its_share_of_the_queue_gets_one_message(monkeypatch, fresh_queue):
    monkeypatch.setenv("EXPLORER_MAX_JOBS_PER_CLIENT", "1")
    monkeypatch.setattr(queue_views, "client_id", lambda: "browser:one")  # every tab of one browser
    jobqueue.shared().submit(jobqueue.Ticket("another tab", "a fine-tune", client="browser:one"))
    at = open_page("cola")
    next(b for b in at.button if b.key == "ft_launch").click().run()
    assert_no_error_box(at, message("limits.client"))
    assert "finetune_job" not in at.session_state  # nothing launched, nothing queued
    at = open_page("electra", tab="rtd_race")
    at.number_input(key="electra_race_steps").set_value(3).run()
    at.button(key="electra_race_start").click().run()
    assert_no_error_box(at, message("limits.client"))
    assert "electra_race" not in at.session_state
    assert jobqueue.shared().load().running == 1 and jobqueue.shared().load().queued == 0


def test_hole4_a_fine_tune_stopped_at_the_step_limit_says_why_on_the_page(monkeypatch, fresh_queue):
    monkeypatch.setenv("EXPLORER_MAX_RUN_STEPS", "2")  # the child inherits the server's environment
    at = open_page("cola", "ko")
    at.number_input(key="ft_n_cola").set_value(96).run()  # 3 steps an epoch x 1.5: a plan of 4, cut at 2
    at.number_input(key="ft_e_cola").set_value(16).run()
    with launched_run(at) as job:
        assert job.error is None, job.error
        assert (job.result.limit, job.result.limit_value) == ("steps", 2.0)
        assert job.result.evaluations[-1].step == 2
        assert_no_error_box(at)
        assert any(message("limits.ft_steps", "ko").search(w.value) for w in at.warning)


@contextlib.contextmanager
def launched_run(at, seconds: int = 120):
    """Press Launch, wait up to `seconds` for the fine-tune to end, redraw the page and yield the job;
    whatever the test finds, the run and its child are ended afterwards."""
    next(b for b in at.button if b.key == "ft_launch").click().run()
    job = at.session_state["finetune_job"]
    try:
        for _ in range(seconds):
            if not job.running:
                break
            time.sleep(1)
        at.run()
        yield job
    finally:
        if job.running:
            job.stop()
        if job.child is not None:
            job.child.abort()
            job.reader.join(timeout=60)


def _xsrf_cookie(token: bytes, mask: bytes) -> str:
    """Streamlit's cookie value for `token`, masked as one page load masks it."""
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(token))
    return f"2|{mask.hex()}|{masked.hex()}|1700000000"


def test_hole4_every_tab_of_one_browser_is_one_visitor():
    token = bytes(range(16))
    tab1, tab2 = _xsrf_cookie(token, b"\x01\x02\x03\x04"), _xsrf_cookie(token, b"\xff\x00\xaa\x55")
    assert tab1 != tab2  # each page load masks the token anew
    assert queue_views.client_key(tab1, "10.0.0.7") == queue_views.client_key(tab2, None)
    assert queue_views.client_key(tab1, None) == f"browser:{token.hex()}"
    other = queue_views.client_key(_xsrf_cookie(bytes(16), b"\x01\x02\x03\x04"), "10.0.0.7")
    assert other != queue_views.client_key(tab1, "10.0.0.7")  # another browser behind the same address
    assert queue_views.client_key("", "10.0.0.7") == "address:10.0.0.7"  # XSRF protection off
    assert queue_views.client_key("2|zz|zz|1", None) == ""  # a cookie that reads as nothing: the session
