"""The admission queue: its limit, first come first served, leaving while queued, sessions that are
gone, and the estimated wait, on a clock the test moves by hand."""

import pytest

from explorer import jobqueue
from explorer.jobqueue import JobQueue, Ticket


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def tickets(queue: JobQueue, n: int, started: list | None = None, **kw) -> list[Ticket]:
    made = []
    for i in range(n):
        on_start = (lambda threads, i=i: started.append((i, threads))) if started is not None else None
        made.append(queue.submit(Ticket(f"session{i}", f"job{i}", on_start=on_start, **kw)))
    return made


def test_at_most_max_jobs_run_and_the_rest_wait_in_order():
    started = []
    queue = JobQueue(max_jobs=2, threads=3, clock=Clock())
    a, b, c, d = tickets(queue, 4, started)
    assert started == [(0, 3), (1, 3)]
    assert [t.state for t in (a, b, c, d)] == ["running", "running", "queued", "queued"]
    assert (queue.place(c), queue.place(d), queue.place(a)) == (1, 2, None)
    assert queue.load() == jobqueue.Load(running=2, queued=2, max_jobs=2, threads=3)


def test_a_freed_slot_starts_the_first_in_line_by_itself():
    started = []
    queue = JobQueue(max_jobs=1, clock=Clock())
    a, b, c = tickets(queue, 3, started)
    queue.finish(a)
    assert started == [(0, 1), (1, 1)] and b.state == "running" and queue.place(c) == 1
    queue.finish(b)
    assert started[-1][0] == 2 and c.state == "running"
    assert queue.load().running == 1 and queue.load().queued == 0


def test_stop_while_queued_leaves_the_queue_and_nothing_starts():
    started = []
    queue = JobQueue(max_jobs=1, clock=Clock())
    a, b, c = tickets(queue, 3, started)
    queue.cancel(b)
    assert b.state == "cancelled" and queue.place(c) == 1
    queue.finish(a)
    assert [i for i, _ in started] == [0, 2]  # b never started
    queue.cancel(b)  # twice is harmless
    assert queue.load().queued == 0


def test_a_queued_job_whose_session_is_gone_is_dropped_and_the_next_starts():
    clock = Clock()
    started = []
    queue = JobQueue(max_jobs=1, stale_s=30, clock=clock)
    a, b, c = tickets(queue, 3, started)
    clock.now += 20
    queue.touch("session2")  # c's session reran; b's did not
    clock.now += 20
    assert queue.load().queued == 1 and b.state == "dropped" and queue.place(c) == 1
    queue.finish(a)
    assert [i for i, _ in started] == [0, 2]


def test_a_running_resident_job_unseen_gives_back_its_slot_and_touch_does_not_keep_it():
    clock = Clock()
    queue = JobQueue(max_jobs=1, stale_s=30, clock=clock)
    live = queue.submit(Ticket("s", "live", resident=True))
    waiting = queue.submit(Ticket("t", "next"))
    clock.now += 31
    queue.touch("s")  # the session is there, on another page: the resident run is not advancing
    queue.touch("t")
    queue.sweep()
    assert live.state == "dropped" and waiting.state == "running"


def test_a_running_child_job_is_not_dropped_for_missing_beats():
    clock = Clock()
    queue = JobQueue(max_jobs=1, stale_s=30, clock=clock)
    (a,) = tickets(queue, 1)
    clock.now += 300
    queue.sweep()
    assert a.state == "running"  # a fine-tune's own watcher ends it when its session is gone


def test_estimated_wait_from_the_running_jobs_eta_and_a_typical_job():
    clock = Clock()
    queue = JobQueue(max_jobs=2, clock=clock)
    left = {"a": 100.0, "b": 40.0}
    queue.submit(Ticket("a", "a", eta=lambda: left["a"]))
    queue.submit(Ticket("b", "b", eta=lambda: left["b"]))
    c, d, e = tickets(queue, 3)
    assert queue.estimated_wait(c) == 40.0  # the first slot to free
    # each running job has run 0 s of a projected 100 / 40 s: a typical job takes 70 s
    assert queue.estimated_wait(d) == 100.0  # b's slot at 40 s goes to c; a's at 100 s to d
    assert queue.estimated_wait(e) == 110.0  # c ends at 40 + 70
    assert queue.estimated_wait(Ticket("x", "not queued")) is None


def test_estimated_wait_is_unknown_until_the_running_job_reports_its_speed():
    queue = JobQueue(max_jobs=1, clock=Clock())
    tickets(queue, 1)
    (waiting,) = tickets(queue, 1)
    assert queue.estimated_wait(waiting) is None


def test_finished_jobs_set_the_typical_time():
    clock = Clock()
    queue = JobQueue(max_jobs=1, clock=clock)
    a, b, c, d = tickets(queue, 4, eta=lambda: 10.0)
    clock.now += 20
    queue.finish(a)  # took 20 s
    assert queue.estimated_wait(c) == 10.0  # b, now running, has 10 s left
    assert queue.estimated_wait(d) == 30.0  # then c takes a typical 20 s


def test_a_start_that_fails_gives_its_slot_to_the_next():
    queue = JobQueue(max_jobs=1, clock=Clock())

    def broken(threads: int) -> None:
        raise OSError("no process")

    with pytest.raises(OSError):
        queue.submit(Ticket("s", "broken", on_start=broken))
    assert queue.load().running == 0


@pytest.mark.parametrize(
    ("cores", "gpu_gib", "expected"),
    [(1, 0, 1), (2, 0, 1), (16, 0, 8), (16, 80, 8), (16, 140, 14), (2, 80, 2), (8, 6, 1)],
)
def test_default_max_jobs_from_cores_and_gpu_memory(cores, gpu_gib, expected):
    assert jobqueue.default_max_jobs(cores, gpu_gib) == expected


def test_server_limits_read_the_environment(monkeypatch):
    monkeypatch.setenv("EXPLORER_MAX_JOBS", "3")
    monkeypatch.setattr(jobqueue, "_cores", lambda: 12)
    monkeypatch.delenv("EXPLORER_THREADS", raising=False)
    assert jobqueue.server_limits() == (3, 4)
    monkeypatch.setenv("EXPLORER_THREADS", "2")
    assert jobqueue.server_limits() == (3, 2)


def test_hole9_a_start_that_fails_leaks_no_slot_and_the_others_admitted_with_it_start():
    """Two slots free at once (two live runs' pages closed): the first start fails, the second still
    starts, the failed one's slot is free again, and the page whose sweep freed them is not told."""
    clock = Clock()
    queue = JobQueue(max_jobs=2, stale_s=30, clock=clock)
    started = []

    def broken(threads: int) -> None:
        raise OSError("no process")

    for owner in ("live1", "live2"):
        queue.submit(Ticket(owner, owner, resident=True))
    failing = queue.submit(Ticket("s", "broken", on_start=broken))
    fine = queue.submit(Ticket("t", "fine", on_start=started.append))
    third = queue.submit(Ticket("u", "third", on_start=started.append))
    clock.now += 31
    queue.touch("s"), queue.touch("t"), queue.touch("u")
    queue.sweep()  # the live runs are dropped: broken and fine are admitted together
    assert failing.state == "failed" and isinstance(failing.error, OSError)
    assert fine.state == "running" and third.state == "running" and started == [1, 1]
    assert queue.load() == jobqueue.Load(running=2, queued=0, max_jobs=2, threads=1)
    queue.finish(fine)
    queue.finish(third)
    assert queue.load().running == 0  # nothing left holding a slot


def test_hole4_one_client_holds_at_most_its_share_running_and_waiting():
    queue = JobQueue(max_jobs=3, clock=Clock(), per_client=2)
    tab1 = queue.submit(Ticket("tab1", "cola", client="browser A"))
    queue.submit(Ticket("tab2", "race", client="browser A", resident=True))
    with pytest.raises(jobqueue.ClientLimit, match="its share of the queue, 2 jobs running or waiting"):
        queue.submit(Ticket("tab3", "squad", client="browser A"))
    assert queue.load().running == 2 and queue.load().queued == 0  # the refused one holds nothing
    other = queue.submit(Ticket("tab4", "cola", client="browser B"))
    assert other.state == "running"  # another visitor still finds a slot
    queue.submit(Ticket("tab5", "cola", client="browser B"))  # B waits: every slot is taken
    queue.finish(tab1)
    assert queue.submit(Ticket("tab3", "squad", client="browser A")).state == "queued"
    with pytest.raises(jobqueue.ClientLimit):  # running and waiting both count
        queue.submit(Ticket("tab6", "squad", client="browser A"))


def test_hole4_the_shared_queue_takes_the_per_client_limit_from_the_environment(monkeypatch):
    monkeypatch.setenv("EXPLORER_MAX_JOBS_PER_CLIENT", "1")
    monkeypatch.setattr(jobqueue, "_shared", None)
    queue = jobqueue.shared()
    queue.submit(Ticket("a", "one", client="c"))
    try:
        with pytest.raises(jobqueue.ClientLimit, match="EXPLORER_MAX_JOBS_PER_CLIENT"):
            queue.submit(Ticket("b", "two", client="c"))
    finally:
        for ticket in [*queue._queued, *queue._running]:
            queue.cancel(ticket)
