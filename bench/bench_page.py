"""The CoLA page's default fine-tune in a real browser against the command line's, alternating.

The page runs its fine-tune in a child process, as `python -m explorer.training.finetune --task cola` does;
the target is that a run from the page costs at most 10% more than the same run from the command
line. Both use this device's defaults. The page is a fresh offline server and a headless Chromium
that watches the run to its end, as a user's tab would.

The time compared is the engine's own clock of the whole run (data, model, training and
evaluations): the page shows it under its results and the command line prints it. Each pair
alternates which side runs first; the medians are compared, and each pair's ratio is printed,
because on a shared 2-core machine one run can be 10-20% slower than the next for no reason in it.
BENCH_PAIRS sets the number of pairs (default 3; a CoLA pair takes about 4 minutes on 2 cores);
BENCH_TASK=squad times SQuAD instead (about 13 minutes a pair).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Comparison, sized
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, running_server

ROOT = Path(__file__).resolve().parent.parent
DATA = os.environ.get("EXPLORER_DATA", str(ROOT.parent / "shared" / "data"))
ENV = {"EXPLORER_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "EXPLORER_DATA": DATA}
METRIC = {"cola": ("MCC", "mcc"), "squad": ("F1", "f1")}
# BENCH_TINY: one training step of one batch (32) and one evaluation each side
TINY_SIZES = sized({}, {"train_size": "32", "eval_size": "8", "epochs": "1"})
TARGET = 1.10
WHOLE_RUN = re.compile(r"whole run, with loading the data and the model, ([\d,.]+) s")


def command_line(task: str) -> tuple[float, float, float]:
    """(whole-run seconds as the engine counts them, seconds from process start to exit, metric)."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "explorer.training.finetune", "--task", task, *_flags(TINY_SIZES)],
        cwd=ROOT,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    return summary["seconds"], wall, summary["metrics"][METRIC[task][1]]


def _flags(sizes: dict[str, str]) -> list[str]:
    return [arg for name, value in sizes.items() for arg in (f"--{name.replace('_', '-')}", value)]


def fill_sizes(page, sizes: dict[str, str]) -> None:
    """Type the fine-tune's sizes (train_size, eval_size, epochs) into its page's fields, as a user does."""
    labels = {"train_size": "Training examples", "eval_size": "Evaluation examples (dev)", "epochs": "Epochs"}
    for name, value in sizes.items():
        field = page.get_by_label(labels[name])
        field.fill(value)
        field.press("Enter")


def page_run(task: str, url: str, browser) -> tuple[float, float, float]:
    """(whole-run seconds the page shows, seconds from the click to its results, metric)."""
    label = METRIC[task][0]
    context = browser.new_context(viewport={"width": 1400, "height": 2400}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(1_800_000)
    page.goto(f"{url}/{task}?lang=en")
    launch = page.get_by_role("button", name="Launch fine-tune")
    launch.wait_for()
    fill_sizes(page, TINY_SIZES)
    page.wait_for_timeout(2000)  # the first draw's charts settle before the clock starts
    start = time.perf_counter()
    launch.click()
    named = page.get_by_test_id("stMetricLabel").filter(has_text=label)
    metric = page.get_by_test_id("stMetric").filter(has=named)
    metric.first.wait_for()
    wall = time.perf_counter() - start
    times = page.get_by_text(WHOLE_RUN).first.inner_text()
    value = metric.first.get_by_test_id("stMetricValue").inner_text()
    context.close()
    return float(WHOLE_RUN.search(times).group(1).replace(",", "")), wall, float(value.rstrip("%"))


def main() -> list[Comparison]:
    from playwright.sync_api import sync_playwright

    task = os.environ.get("BENCH_TASK", "cola")
    pairs = int(os.environ.get("BENCH_PAIRS", sized("3", "1")))
    cli: list[tuple[float, float, float]] = []
    pages: list[tuple[float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with running_server(Path(tmp) / "streamlit.log", **ENV) as (url, _):
            for i in range(pairs):
                order = ("cli", "page") if i % 2 == 0 else ("page", "cli")
                for side in order:
                    if side == "cli":
                        cli.append(command_line(task))
                    else:
                        pages.append(page_run(task, url, browser))
                (c_run, c_wall, c_metric), (p_run, p_wall, p_metric) = cli[-1], pages[-1]
                print(
                    f"pair {i + 1} ({' first, '.join(order)} second): command line {c_run:.0f} s "
                    f"(process {c_wall:.0f} s, {METRIC[task][0]} {c_metric:.3f}); page {p_run:.0f} s "
                    f"(click to results {p_wall:.0f} s, {METRIC[task][0]} {p_metric:.3f}); "
                    f"ratio {p_run / c_run:.3f}x",
                    flush=True,
                )
        browser.close()
    title = f"{task} page defaults, whole run, {pairs} alternating pair(s), median"
    return [
        Comparison(
            title,
            "page",
            "command line",
            statistics.median(p[0] for p in pages),
            statistics.median(c[0] for c in cli),
            target=TARGET,
        ),
        Comparison(
            f"{task}: click to results vs process start to exit, median",
            "page",
            "command line",
            statistics.median(p[1] for p in pages),
            statistics.median(c[1] for c in cli),
        ),
    ]
