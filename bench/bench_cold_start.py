"""App cold start: `streamlit run app.py` to the Tokenization page drawn in Chromium, vs a hello app.

Both are started the same way (new process, same flags) and measured to their first visible
element, so the ratio is what our imports, model sources and page cost over Streamlit itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Comparison, alternate, sized
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port

ROOT = Path(__file__).resolve().parent.parent
HELLO = "import streamlit as st\nst.title('hello')\n"


def _first_paint(script: Path, path: str, selector: str, browser) -> float:
    """Seconds from process start until `selector` is visible at `path`."""
    port = _free_port()
    env = {**os.environ, "EXPLORER_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
    ]
    start = time.perf_counter()
    server = subprocess.Popen(
        cmd, cwd=script.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        page = browser.new_page()
        deadline = time.monotonic() + 120
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}{path}", timeout=5_000)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        page.locator(selector).first.wait_for(timeout=120_000)
        elapsed = time.perf_counter() - start
        page.close()
        return elapsed
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> list[Comparison]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        cand, base = alternate(
            lambda: _first_paint(ROOT / "app.py", "/tokenization", ".tfe-chip", browser),
            lambda: _first_paint(hello, "/", "h1", browser),
            runs=sized(3, 1),
        )
        browser.close()
    return [Comparison("cold start to first page", "Tokenization page", "hello-world app", cand, base)]
