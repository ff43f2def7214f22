"""A workshop room on one server: 30 browser sessions at once, then 10 CoLA fine-tunes launched together.

Part 1 starts a fresh offline server and opens BENCH_ROOM_SESSIONS (30) headless Chromium sessions
across every page within a few seconds, as a room does when the presenter says "open the app". It
prints how many sessions showed an error, the p50 / p95 time from opening to a rendered page (title
drawn, script idle), and the server's peak resident memory. It does so twice, each on a fresh server:
first one started as `make run` starts it and warmed before the room opens (explorer/ui/server/warm.py), then
a cold one (`streamlit run app.py`); each beside the hello app's floor, measured first in the same run.

Part 2: BENCH_ROOM_LAUNCHES (10) of them open the CoLA page and press Launch at the same moment. Each
launch must either run or show its place in the queue; the benchmark waits until every run has
finished and prints how many ran at once, how many queued, how many finished, and how long an idle
page (a fresh session on the home page) took to render while the runs went on. BENCH_ROOM_TRAIN_SIZE
shortens each run for a quick check (the README's figures use the default).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

from bench.bench_page import fill_sizes
from bench.harness import Measurement, sized
from explorer import i18n
from explorer.ui.layout import PAGES
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, running_server

ROOT = Path(__file__).resolve().parent.parent
DATA = os.environ.get("EXPLORER_DATA", str(ROOT.parent / "shared" / "data"))
ENV = {"EXPLORER_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "EXPLORER_DATA": DATA}
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"
RUNNING = "[data-testid='stStatusWidget']"
IDLE_TARGET_S = 10.0  # the room's p95 has no target in seconds: its floor, the hello app's, is above 20 s
PROGRESS = re.compile(r"Step \d+ of \d+")
REFUSED = i18n.texts("en")["limits.client"].split(":")[0]  # "Not started": the launch the server refused
SESSIONS, LAUNCHES = sized("30", "1"), sized("10", "1")  # BENCH_TINY: a room of one, one launch


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rendered(page) -> bool:
    """True when the page's heading is drawn and its script is not running."""
    if page.locator("h1").count() == 0:
        return False
    return page.locator(RUNNING).filter(has_text="Running").count() == 0


def open_room(
    browser, url: str, paths: list[str], deadline_s: float = 300, cpu: dict | None = None
) -> list[tuple[str, float, str]]:
    """Open every path in its own session at once; (path, seconds to rendered, error text) each.
    With `cpu`, it is filled with each Chromium process's CPU seconds before the sessions close."""
    pages = []
    for path in paths:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        page = context.new_page()
        pages.append((path, page, time.perf_counter()))
        page.goto(f"{url}/{path}?lang=en", wait_until="commit")  # path "" is the app's first page
    seen: dict[int, float] = {}
    quiet: dict[int, int] = {}
    end = time.perf_counter() + deadline_s
    while len(seen) < len(pages) and time.perf_counter() < end:
        for i, (_, page, start) in enumerate(pages):
            if i in seen:
                continue
            quiet[i] = quiet.get(i, 0) + 1 if rendered(page) else 0
            if quiet[i] >= 2:  # idle on two polls in a row: not between two reruns
                seen[i] = time.perf_counter() - start
        time.sleep(0.3)
    if cpu is not None:
        cpu.update(cpu_by_pid(browser_pids()))
    results = []
    for i, (path, page, _) in enumerate(pages):
        errors = page.locator(ERRORS).all_inner_texts() if i in seen else ["not rendered in time"]
        results.append((path, seen.get(i, float("inf")), "; ".join(errors)[:200]))
        page.context.close()
    return results


def idle_render_s(browser, url: str) -> float:
    """Seconds for a fresh session's home page to render."""
    ((_, seconds, _),) = open_room(browser, url, ["home"], deadline_s=120)
    return seconds


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (the ones still alive), in seconds."""
    return sum(cpu_by_pid(pids).values())


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """Each live process's user + system CPU seconds so far (a difference over time must be taken per
    process: one that ends in between takes its seconds with it)."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return seconds


def browser_pids() -> list[int]:
    """Every Chromium process on the machine (the benchmark's browser and its renderers)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if "chrom" in (entry / "comm").read_text():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# The floor of this machine: the same room on a Streamlit app that draws a title and a paragraph.
HELLO = "import streamlit as st\nst.title('hello')\nst.markdown('A page with nothing to compute.')\n"


def baseline(browser, tmp: Path) -> list[Measurement]:
    """The room opened on the hello app: what Streamlit and the browsers cost on these cores alone."""
    n = int(os.environ.get("BENCH_ROOM_SESSIONS", SESSIONS))
    script = tmp / "hello.py"
    script.write_text(HELLO)
    with running_server(tmp / "hello.log", script=str(script), **ENV) as (url, server):
        return room(browser, url, server.pid, [""] * n, "hello app")


def part_one(browser, url: str, pid: int, run_log: Path, what: str) -> list[Measurement]:
    n = int(os.environ.get("BENCH_ROOM_SESSIONS", SESSIONS))
    keys = [spec.key for spec in PAGES]
    run_log.write_text("")  # from here on: the room's runs only
    measured = room(browser, url, pid, [keys[i % len(keys)] for i in range(n)], what)
    return measured + server_side(run_log, what)


def wait_warm(log: Path, deadline_s: float = 600) -> float:
    """Wait until a server started warm says it is (explorer/ui/server/warm.py's log line); its seconds."""
    end = time.perf_counter() + deadline_s
    while time.perf_counter() < end:
        found = re.search(r"explorer: warm in ([\d.]+) s|warm-up stopped", log.read_text())
        if found:
            return float(found.group(1) or "nan")
        time.sleep(1)
    raise TimeoutError(f"the server did not say it was warm within {deadline_s:.0f} s")


def server_side(run_log: Path, what: str) -> list[Measurement]:
    """The server's part of each session's first page (explorer/ui/server/runlog.py): its script run, from
    start to end, with the waits for the 2 cores it shares with the browsers."""
    first: dict[str, dict] = {}
    for line in run_log.read_text().splitlines():
        run = json.loads(line)
        if run["session"] not in first or run["start"] < first[run["session"]]["start"]:
            first[run["session"]] = run
    seconds = [run["end"] - run["start"] for run in first.values()]
    slowest = sorted(first.values(), key=lambda run: run["start"] - run["end"])[:5]
    print("  slowest first runs: " + ", ".join(f"{r['page']} {r['end'] - r['start']:.1f} s" for r in slowest))
    return [
        Measurement(
            f"room ({what}): the server's script run of a first page, p50", statistics.median(seconds), "s"
        ),
        Measurement(
            f"room ({what}): the server's script run of a first page, p95",
            percentile(seconds, 0.95),
            "s",
            f"{len(seconds)} sessions; target <= 2 s warm",
        ),
    ]


def room(browser, url: str, pid: int, paths: list[str], what: str) -> list[Measurement]:
    """Open `paths` at once on the server at `url` (process `pid`); the room's measurements."""
    n = len(paths)
    server_before, browsers_before = cpu_seconds([pid]), cpu_by_pid(browser_pids())
    cpu: dict[int, float] = {}
    results = open_room(browser, url, paths, cpu=cpu)
    server_cpu = cpu_seconds([pid]) - server_before
    browsers_cpu = sum(now - browsers_before.get(p, 0.0) for p, now in cpu.items())
    bad = [(p, e) for p, _, e in results if e]
    for path, error in bad:
        print(f"  error on {path}: {error}", flush=True)
    times = [s for _, s, _ in results]
    return [
        Measurement(f"room ({what}): {n} sessions opened at once, with an error", len(bad), "sessions"),
        Measurement(f"room ({what}): time to a rendered page, p50", statistics.median(times), "s"),
        Measurement(
            f"room ({what}): time to a rendered page, p95",
            percentile(times, 0.95),
            "s",
        ),
        Measurement(f"room ({what}): server peak RSS after the room opened", peak_rss_mb(pid), "MB"),
        # Where the machine's time went while the room opened: the server's scripts, or the 30
        # browsers drawing the pages on the same cores (on a real room each has its own laptop).
        Measurement(f"room ({what}): server CPU time while the room opened", server_cpu, "s"),
        Measurement(f"room ({what}): the browsers' CPU time while the room opened", browsers_cpu, "s"),
    ]


def ratios(hello: list[Measurement], ours: list[Measurement], what: str) -> list[Measurement]:
    """This app over the hello app, in the same run (the same number of sessions): the room's p95 and
    the browsers' CPU for the first pages, what the pages add to the floor; #29's targets for a warm
    server are 1.4x and 1.5x."""

    def value(ms: list[Measurement], ending: str) -> float:
        return next(m.value for m in ms if m.title.endswith(ending))

    out = []
    for ending, name, target in (
        ("time to a rendered page, p95", "p95", 1.4),
        ("the browsers' CPU time while the room opened", "the browsers' CPU", 1.5),
    ):
        x = value(ours, ending) / value(hello, ending)
        title = f"room: {name} of {what} / {name} of the hello app"
        out.append(Measurement(title, x, "x", f"target <= {target:g}x warm"))
    return out


def launch_state(page) -> str:
    """'queued', 'running', 'done', 'refused' (the server would not take it: its client already held its
    share, limits.client's "Not started"), 'failed' (any other error box: the run itself broke) or ''
    (nothing yet) for a CoLA page after its Launch click."""
    if page.get_by_test_id("stMetricLabel").filter(has_text="MCC").count():
        return "done"
    errors = page.get_by_test_id("stAlertContentError")
    if errors.count():
        return "refused" if errors.filter(has_text=REFUSED).count() else "failed"
    if page.get_by_text("Waiting for a free slot").count():
        return "queued"
    if page.get_by_text("Preparing the data").count() or page.get_by_text(PROGRESS).count():
        return "running"
    return ""


def part_two(browser, url: str, pid: int) -> list[Measurement]:
    n = int(os.environ.get("BENCH_ROOM_LAUNCHES", LAUNCHES))
    size = os.environ.get("BENCH_ROOM_TRAIN_SIZE", sized("", "32"))
    pages = []
    for _ in range(n):
        page = browser.new_context(viewport={"width": 1280, "height": 1600}, locale="en-US").new_page()
        page.set_default_timeout(180_000)
        page.goto(f"{url}/cola?lang=en")
        pages.append(page)
    for page in pages:
        page.get_by_role("button", name="Launch fine-tune").wait_for()
        if size:  # a quick check: fewer training sentences than the default (BENCH_TINY: a few)
            fill_sizes(page, {"train_size": size, **sized({}, {"eval_size": "8", "epochs": "1"})})
    time.sleep(sized(3, 1))
    for page in pages:
        page.get_by_role("button", name="Launch fine-tune").click()
    first: list[str] = [""] * n
    deadline = time.perf_counter() + 60
    while not all(first) and time.perf_counter() < deadline:
        first = [f or launch_state(p) for f, p in zip(first, pages, strict=True)]
        time.sleep(1)
    idle: list[float] = []
    finished = refused = failed = 0
    end = time.perf_counter() + float(os.environ.get("BENCH_ROOM_DEADLINE_S", "3600"))
    next_idle = time.perf_counter()
    while time.perf_counter() < end:
        states = [launch_state(p) for p in pages]
        finished, refused, failed = (states.count(s) for s in ("done", "refused", "failed"))
        if finished + refused + failed == n:  # a refused or failed launch never finishes: not waited for
            break
        if time.perf_counter() >= next_idle:
            idle.append(idle_render_s(browser, url))
            print(f"  {finished} of {n} finished; an idle page rendered in {idle[-1]:.1f} s", flush=True)
            next_idle = time.perf_counter() + 30
        time.sleep(2)
    for page in pages:
        page.context.close()
    started = sum(f == "running" for f in first)
    queued = sum(f == "queued" for f in first)
    return [
        Measurement(f"room: {n} CoLA launches at once, running at first", started, "jobs"),
        Measurement("room: shown their place in the queue at first", queued, "jobs"),
        Measurement("room: neither running nor queued within 60 s", n - started - queued, "jobs"),
        Measurement("room: finished", finished, "jobs"),
        Measurement("room: refused (the client's share of the queue was full)", refused, "jobs"),
        Measurement("room: failed (an error box other than the refusal)", failed, "jobs"),
        Measurement("room: idle page render during the runs, median", statistics.median(idle), "s"),
        Measurement(
            "room: idle page render during the runs, worst", max(idle), "s", f"target <= {IDLE_TARGET_S:g} s"
        ),
        Measurement("room: server peak RSS over the whole benchmark", peak_rss_mb(pid), "MB"),
    ]


def main() -> list[Measurement]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results = baseline(browser, Path(tmp))
        for m in results:
            print(m.line(), flush=True)
        hello = list(results)
        run_log = Path(tmp) / "runs.jsonl"
        # The same room on a server warmed first (as make run starts it), then on a cold one; part two
        # on the last. BENCH_TINY: the warm server alone, its warm-up loading one model (a cold server
        # runs the same code as the hello app's, and a first page loads its own models).
        servers = sized(((True, "this app, warm"), (False, "this app, cold")), ((True, "this app, warm"),))
        for warm, what in servers:
            log = Path(tmp) / f"streamlit-{'warm' if warm else 'cold'}.log"
            env = {**ENV, "EXPLORER_RUN_LOG": str(run_log), **sized({}, {"EXPLORER_MAX_MODELS": "1"})}
            with running_server(log, warm=warm, **env) as (url, server):
                if warm:
                    print(f"  the server said it was warm after {wait_warm(log):.1f} s", flush=True)
                ours = part_one(browser, url, server.pid, run_log, what)
                ours += ratios(hello, ours, what)
                for m in ours:
                    print(m.line(), flush=True)
                results += ours
                if (warm, what) == servers[-1] and os.environ.get("BENCH_ROOM_LAUNCHES", LAUNCHES) != "0":
                    results += part_two(browser, url, server.pid)
        browser.close()
    return results
