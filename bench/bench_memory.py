"""Peak memory of one server after a visitor opens every page with its defaults, against the bound.

The server is started fresh, offline, and a headless Chromium opens each page of layout.PAGES in
turn, waiting until its script has finished. The peak resident set (VmHWM, from /proc) of the
server and any child process it started is compared with MEMORY_BOUND_MB.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.harness import Comparison, sized
from explorer.ui.layout import PAGES
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, running_server, wait_until_idle

# What the bound allows for: Python, torch, transformers and Streamlit; the models the default
# pages use (SmolLM2-135M with and without its LM head in float32, ~1.1 GB; MiniLM and tiny ones);
# attention maps of the short default texts. Measured: 1,400 MB (2 CPUs, offline, Nov 2026). More
# visitors with long texts add at most EXPLORER_ATTENTION_CACHE_MB of cached maps, and other
# models at most EXPLORER_MAX_MODELS resident.
MEMORY_BOUND_MB = 2048


def _peak_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a process and its children, in MB."""
    import psutil

    total = 0
    for proc in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
        except OSError:
            continue
        line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
        total += int(line.split()[1])  # kB
    return total / 1024


def visit_every_page(url: str, browser) -> list[str]:
    """Open each page with its defaults in one browser session; returns the pages visited."""
    context = browser.new_context(viewport={"width": 1500, "height": 2200}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(300_000)
    for spec in sized(PAGES, PAGES[:1]):
        page.goto(f"{url}/{spec.key}?lang=en")
        page.locator("h1").first.wait_for()
        wait_until_idle(page)
    context.close()
    return [spec.key for spec in sized(PAGES, PAGES[:1])]


def main() -> list[Comparison]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with running_server(Path(tmp) / "streamlit.log") as (url, server):
            start = _peak_mb(server.pid)
            visited = visit_every_page(url, browser)
            peak = _peak_mb(server.pid)
        browser.close()
    pages = ", ".join(visited)
    print(f"server at start {start:.0f} MB; after {len(visited)} pages ({pages}) peak {peak:.0f} MB")
    return [
        Comparison(
            "peak memory after every page with defaults",
            "server peak RSS",
            "bound",
            peak,
            MEMORY_BOUND_MB,
            target=1.0,
            unit="MB",
        )
    ]
