"""A page's measurement runs in a background thread (explorer/measure/background.py): a test presses
its button and reruns the page until the measurement is over, as the page's own refresh would."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from explorer.measure import background

WAIT_S = 300.0  # a hang fails here with a name instead of at the suite's own time limit


def wait_measured(at: AppTest, seconds: float = WAIT_S) -> AppTest:
    """Rerun the page once every measurement of this process is over; TimeoutError past `seconds`."""
    deadline = time.monotonic() + seconds
    while background.busy():
        if time.monotonic() > deadline:
            raise TimeoutError(f"a measurement still ran after {seconds:.0f} s")
        time.sleep(0.1)
    return at.run()


def press(at: AppTest, key: str) -> AppTest:
    """Click the button `key` (a measure, measure again or stop button) and rerun the page."""
    return next(b for b in at.button if b.key == key).click().run()


def measure(at: AppTest, key: str) -> AppTest:
    """Press the measure button `key` and rerun the page once its measurement is over."""
    return wait_measured(press(at, key))
