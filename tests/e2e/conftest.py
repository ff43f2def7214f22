"""Start the real app on a free local port and a headless Debian Chromium to look at it."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Deadlines, each well above what a loaded 2-core CI machine needs, so a hang fails the test with a
# name instead of running into the CI's own time limit (pyproject.toml's per-test timeout is the last
# resort above these).
LOAD_MS = 90_000  # a page's first view: the first visitors of a model load it from disk
IDLE_S = 180  # wait_until_idle: a page whose script still runs after this is stuck
RUN_MS = 180_000  # a short live run (a few training steps, a stop, a measurement) shows its result
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Every request off this machine goes to a proxy that is not there, so it fails (loopback never goes
# through a proxy); local_context records each such request and fails its test. Refusing them here
# rather than by intercepting every request (playwright's route) keeps the browser's HTTP cache: a new
# tab reuses the app's scripts instead of fetching and compiling them again.
DEAD_PROXY = "--proxy-server=http://127.0.0.1:9"
CHROMIUM_ARGS = [
    "--no-sandbox",
    DEAD_PROXY,
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the app exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the app did not answer at {url} within {seconds} s")


# The app's own record of its script run ("running", "notRunning", ...), on its root element: set in
# every layout, where Streamlit's status widget is not drawn in all of them (the tour's, for one).
SCRIPT_STATE = "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"


def wait_until_idle(page, quiet_polls: int = 3, seconds: float = IDLE_S) -> None:
    """Wait until the script has stopped running for a few polls in a row (neither the app's script
    state nor its status widget says running); TimeoutError naming the page if it is still running
    after `seconds`."""
    deadline = time.monotonic() + seconds
    quiet = 0
    while quiet < quiet_polls:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{page.url} was still running its script after {seconds:.0f} s")
        page.wait_for_timeout(500)
        running = page.evaluate(SCRIPT_STATE) == "running"
        running = running or page.get_by_test_id("stStatusWidget").filter(has_text="Running").count()
        quiet = 0 if running else quiet + 1


def open_room(host, seconds: float = IDLE_S) -> str:
    """Open a live classroom from the presenter's tour stop; its code as shown (XXXX-XXXX). A click that
    lands while the script still draws the stop can be lost on a loaded machine (the code never came in
    180 s in one CI run): the script is let finish first, and the button clicked again while no code
    shows, until `seconds` have passed."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from explorer.i18n import translate

    deadline = time.monotonic() + seconds
    shown = host.locator(".st-key-room_code")
    button = host.get_by_role("button", name=translate("en", "room.open"), exact=True)
    while True:
        wait_until_idle(host)
        if shown.count():  # the room opened after all, late
            return shown.inner_text().strip()
        if not button.is_visible():
            host.get_by_text(translate("en", "room.panel")).click()
        button.click()
        try:
            return shown.inner_text(timeout=30_000).strip()
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise


@contextlib.contextmanager
def running_server(log_path: Path, script: str = "app.py", warm: bool = False, **env: str):
    """A freshly started app (or another Streamlit `script`) on a free port, offline; yields (URL,
    process) and stops it afterwards. `warm`: started as `make run` starts it
    (explorer/ui/server/serve.py)."""
    port = _free_port()
    env = {**os.environ, "EXPLORER_OFFLINE": "1", "HF_HUB_OFFLINE": "1", **env}
    entry = ["explorer.ui.server.serve"] if warm else ["streamlit", "run", script]
    cmd = [
        sys.executable,
        "-m",
        *entry,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]
    log = open(log_path, "w")  # noqa: SIM115 - kept open for the server's whole life
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server)
        yield url, server
        if server.poll() is not None:
            pytest.fail(f"the app died (exit {server.returncode}):\n{log_path.read_text()[-3000:]}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a loaded machine: a run's child still ending; not the test's
            server.kill()
            server.wait()
        log.close()


@contextlib.contextmanager
def running_app(log_path: Path, **env: str):
    """A freshly started app on a free port, offline; yields its URL and stops it afterwards."""
    with running_server(log_path, **env) as (url, _):
        yield url


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("app") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=LOAD_MS)  # the first page load reads tokenizers from disk

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def local_context(browser, **options):
    """A browser context whose every request off this machine fails (CHROMIUM_ARGS' dead proxy); fails
    if one was made."""
    options = {"viewport": {"width": 1500, "height": 2200}, "locale": "en-US", **options}  # a test's own win
    context = browser.new_context(**options)
    outside: list[str] = []

    def only_local(request):
        host = urllib.parse.urlsplit(request.url).hostname or ""
        local = host in {"127.0.0.1", "localhost"} or request.url.startswith(("data:", "blob:", "about:"))
        if not local:
            outside.append(request.url)

    context.on("request", only_local)
    try:
        yield context
    finally:
        context.close()
    assert not outside, f"the page asked for outside resources: {outside[:5]}"


@pytest.fixture
def page(browser):
    """A page whose every request off this machine is refused and recorded: the app must not need one."""
    with local_context(browser) as context:
        page = context.new_page()
        page.set_default_timeout(LOAD_MS)
        yield page
