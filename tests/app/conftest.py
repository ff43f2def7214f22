"""Print the hostile catalogue's seed at the end of a run that included it, so a failure can be rerun."""


def pytest_terminal_summary(terminalreporter) -> None:
    reports = [r for kind in terminalreporter.stats.values() for r in kind if hasattr(r, "nodeid")]
    if any("test_hostile.py::" in r.nodeid for r in reports):
        from tests.app.hostile_sample import describe

        terminalreporter.write_line(describe())
