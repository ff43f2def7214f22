"""Print the hostile catalogue's seed at the end of a run that included it, so a failure can be rerun."""

import sys


def pytest_terminal_summary(terminalreporter) -> None:
    if any(name.endswith("test_hostile") for name in sys.modules):
        from tests.app.hostile_sample import describe

        terminalreporter.write_line(describe())
