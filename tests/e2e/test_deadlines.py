"""Deadlines: a page that never goes idle fails with its address, and every test has a time limit.

No browser here: a stand-in page that is always running is enough to check the wait gives up.
"""

import time

import pytest

from tests.e2e.conftest import wait_until_idle


class _AlwaysRunning:
    """What wait_until_idle reads of a Playwright page, for a script that never finishes."""

    url = "http://127.0.0.1:1/stuck"

    def wait_for_timeout(self, ms: float) -> None:
        time.sleep(ms / 1000)

    def evaluate(self, _script: str) -> str:
        return "running"

    def get_by_test_id(self, _test_id: str):
        return self

    def filter(self, **_):
        return self

    def count(self) -> int:
        return 1


def test_a_page_that_never_goes_idle_fails_naming_it():
    page = _AlwaysRunning()
    page.wait_for_timeout = lambda ms: time.sleep(0.01)
    with pytest.raises(
        TimeoutError, match=r"http://127.0.0.1:1/stuck was still running its script after 0 s"
    ):
        wait_until_idle(page, seconds=0.05)


def test_every_test_has_a_time_limit(pytestconfig):
    assert float(pytestconfig.getini("timeout")) > 0  # pytest-timeout, set in pyproject.toml
