"""A live classroom on one server: a presenter and N headless Chromium followers (issue #28).

Part 1, the browsers. A fresh offline server; the presenter opens a room on the tour. First one lone
follower joins and the presenter moves BENCH_CLASSROOM_MOVES times: its browser's time to show each new
stop. Then N (BENCH_CLASSROOM_FOLLOWERS, 10) followers join by the link; after they settle, the server's
CPU over BENCH_CLASSROOM_IDLE_S (60) idle seconds, per follower; then the same moves. For each move the
server's own run log (EXPLORER_RUN_LOG: the presenter's "room_moved", each follower's "room_seen" just
before its page reruns at the new stop) gives the time until every follower's session had seen it, p50
and p95 over followers and moves; beside it the browsers' time to show the new stop (their drawing
shares this machine's cores with the server: see `bench room`'s floor; here they run at the lowest
CPU priority, as if on the visitors' own machines, so the server's figure is the design's).

Part 2, the store alone: 1,000 simulated followers (BENCH_CLASSROOM_SIMULATED) polling, on SQLite and on a
real redis-server: how many polls a second each serves from 4 threads, against the 1,000 a second that
1,000 followers polling every second ask for, and the p95 of one poll.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.bench_room import CHROMIUM, CHROMIUM_ARGS, ENV, cpu_seconds, percentile
from bench.harness import Measurement
from explorer import registry
from explorer.classroom.room import Limits
from explorer.classroom.session import Presenter, Visitor
from explorer.classroom.store import open_store
from tests.e2e.conftest import open_room, running_server
from tests.redis_server import REDIS, RedisServer

TINY = os.environ.get("BENCH_TINY") == "1"
FOLLOWERS = int(os.environ.get("BENCH_CLASSROOM_FOLLOWERS", 1 if TINY else 10))
MOVES = int(os.environ.get("BENCH_CLASSROOM_MOVES", 1 if TINY else 4))
IDLE_S = float(os.environ.get("BENCH_CLASSROOM_IDLE_S", 1 if TINY else 60))
SIMULATED = int(os.environ.get("BENCH_CLASSROOM_SIMULATED", 50 if TINY else 1000))
STORE_S = 1.0 if TINY else 5.0
SETTLE_S = 1.0 if TINY else 5.0  # after the followers joined, before the idle CPU is read
DRAW_S = 0.5 if TINY else 2.0  # after a move, before the next: every page finishes drawing
THREADS = 4
# CoLA and the stop after it (SQuAD): the presenter moves between two stops that draw without a model
FIRST = next(s.number for s in registry.tour_stops() if s.page == "cola")
DEADLINE_S = 180
SEEN_TARGET_S, CPU_TARGET = 2.0, 1.0  # issue #28's targets with 30 followers: p95 seconds; % of a core


def _median(values: list[float]) -> float:
    """The median, or inf when nothing was seen (a run that timed out still prints its lines)."""
    return statistics.median(values) if values else float("inf")


def _descendants(root: int) -> list[int]:
    """Every process under `root` (this benchmark's Playwright driver and its Chromium)."""
    parent = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, ppid in parent.items() if ppid in frontier]
        found += children
        frontier = children
    return found


def lower_browsers(server: int) -> None:
    """This run's browsers at the lowest CPU priority (nice 19, inherited by the renderers they start),
    the app's `server` process left as it is: in a room the browsers run on the visitors' laptops."""
    for pid in set(_descendants(os.getpid())) - {server, *_descendants(server)}:
        try:
            os.setpriority(os.PRIO_PROCESS, pid, 19)
        except OSError:
            continue


def _heading(page, number: int):
    title = registry.tour_stops()[number - 1].text("en", "title")
    return page.get_by_role("heading", name=title, exact=True)


def _wait_all(pages: list, number: int, start: float) -> list[float]:
    """Seconds from `start` until each page shows stop `number`'s title (inf past DEADLINE_S)."""
    shown: dict[int, float] = {}
    while len(shown) < len(pages) and time.time() - start < DEADLINE_S:
        for i, page in enumerate(pages):
            if i not in shown and _heading(page, number).count():
                shown[i] = time.time() - start
        time.sleep(0.05)
    return [shown.get(i, float("inf")) for i in range(len(pages))]


def _stop_of(host) -> int:
    return int(host.url.split("stop=")[1].split("&")[0])


def _move(host) -> tuple[int, float]:
    """The presenter moves between FIRST and FIRST + 1 (next or previous): the new stop, the click's time."""
    target = FIRST + 1 if _stop_of(host) == FIRST else FIRST
    start = time.time()
    host.get_by_role("button", name="Next" if target > FIRST else "Previous").click()
    _heading(host, target).wait_for(timeout=DEADLINE_S * 1000)
    return target, start


def _follower(browser, link: str):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    page = context.new_page()
    page.goto(link, wait_until="commit")
    return page


def _moves(host, pages: list) -> list[float]:
    """MOVES moves between FIRST and FIRST + 1; every page's seconds to show each new stop."""
    shown = []
    for _ in range(MOVES):
        target, start = _move(host)
        shown += _wait_all(pages, target, start)
        time.sleep(DRAW_S)
    return shown


def server_seen(run_log: Path, since: float) -> list[float]:
    """Seconds from each presenter's move to each follower session's first sight of it (run log)."""
    events = [json.loads(line) for line in run_log.read_text().splitlines()]
    events = [e for e in events if e.get("event") and e["time"] >= since]
    moves = [e for e in events if e["event"] == "room_moved"]
    delays = []
    for k, move in enumerate(moves):
        until = moves[k + 1]["time"] if k + 1 < len(moves) else float("inf")
        first: dict[str, float] = {}
        for e in events:
            if e["event"] == "room_seen" and e["stop"] == move["stop"] and move["time"] <= e["time"] < until:
                first.setdefault(e["session"], e["time"] - move["time"])
        delays += first.values()
    return delays


def browsers(browser, url: str, pid: int, run_log: Path) -> list[Measurement]:
    host = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US").new_page()
    host.goto(f"{url}/tour?lang=en&stop={FIRST}")
    _heading(host, FIRST).wait_for(timeout=DEADLINE_S * 1000)
    code = open_room(host, DEADLINE_S).replace("-", "")
    link = f"{url}/tour?room={code}&lang=en"
    lone = _follower(browser, link)
    _wait_all([lone], FIRST, time.time())
    lone_s = _moves(host, [lone])
    lone.context.close()
    pages = [_follower(browser, link) for _ in range(FOLLOWERS)]
    joined = _wait_all(pages, _stop_of(host), time.time())
    time.sleep(SETTLE_S)
    before, start = cpu_seconds([pid]), time.time()
    time.sleep(IDLE_S)
    idle = (cpu_seconds([pid]) - before) / (time.time() - start) / FOLLOWERS * 100
    since = time.time()
    shown = _moves(host, pages)
    seen = server_seen(run_log, since)
    for page in [host, *pages]:
        page.context.close()
    n = f"{FOLLOWERS} followers"
    return [
        Measurement(
            f"classroom, {n}: joined and drawn (link opened to stop shown), worst",
            max(joined, default=float("inf")),
            "s",
        ),
        Measurement(
            f"classroom, {n}: server, 'next' until every follower's session saw the stop, p50",
            _median(seen),
            "s",
        ),
        Measurement(
            f"classroom, {n}: server, 'next' until every follower's session saw the stop, p95",
            percentile(seen, 0.95) if seen else float("inf"),
            "s",
            f"{len(seen)} sightings of {MOVES * FOLLOWERS}; target with 30 followers <= {SEEN_TARGET_S:g} s",
        ),
        Measurement(f"classroom, {n}: browsers, 'next' until the new stop shown, p50", _median(shown), "s"),
        Measurement(
            f"classroom, {n}: browsers, 'next' until the new stop shown, p95",
            percentile(shown, 0.95) if shown else float("inf"),
            "s",
        ),
        Measurement(
            "classroom, a lone follower's browser (same run): 'next' until shown, median",
            _median(lone_s),
            "s",
        ),
        Measurement(
            f"classroom, {n}: idle server CPU per follower",
            idle,
            "% of a core",
            f"over {IDLE_S:g} s; target <= {CPU_TARGET:g}%",
        ),
    ]


def store_alone(url: str, label: str) -> list[Measurement]:
    """SIMULATED followers in one room, polled from THREADS threads for STORE_S seconds."""
    store = open_store(url)
    limits = Limits(3600, 10, SIMULATED + 1, 10**9, 10**9)
    now = time.time()
    code = Presenter.open(store, FIRST, limits, now).room.code
    followers = [Visitor.join(store, code, f"sim{i}", limits, now) for i in range(SIMULATED)]
    latencies: list[list[float]] = [[] for _ in range(THREADS)]
    end = time.perf_counter() + STORE_S

    def poll(share: list[Visitor], out: list[float]) -> None:
        i = 0
        while (start := time.perf_counter()) < end:
            share[i % len(share)].poll(store, limits, time.time())
            out.append(time.perf_counter() - start)
            i += 1

    threads = [
        threading.Thread(target=poll, args=(followers[k::THREADS], latencies[k])) for k in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    done = [x for part in latencies for x in part]
    rate = len(done) / STORE_S
    return [
        Measurement(
            f"classroom store alone ({label}): polls served per second, {THREADS} threads",
            rate,
            "polls/s",
            f"{rate / SIMULATED:.1f}x the {SIMULATED:,} a second as many followers polling each second ask",
        ),
        Measurement(f"classroom store alone ({label}): one poll, p95", percentile(done, 0.95) * 1000, "ms"),
    ]


def main() -> list[Measurement]:
    from playwright.sync_api import sync_playwright

    results: list[Measurement] = []
    with tempfile.TemporaryDirectory() as tmp:
        results += store_alone(f"sqlite:///{tmp}/alone.sqlite3", "SQLite, WAL")
        if REDIS is not None:
            server = RedisServer()
            server.start()
            try:
                results += store_alone(server.url, "Redis")
            finally:
                server.stop()
        run_log = Path(tmp) / "runs.jsonl"
        env = {
            **ENV,
            "EXPLORER_RUN_LOG": str(run_log),
            "EXPLORER_ROOM_STORE": f"sqlite:///{tmp}/rooms.sqlite3",
        }
        with (
            sync_playwright() as playwright,
            running_server(Path(tmp) / "streamlit.log", **env) as (url, server),
        ):
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            lower_browsers(server.pid)
            results += browsers(browser, url, server.pid, run_log)
            browser.close()
    return results
