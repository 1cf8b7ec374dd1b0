"""Report lines from the extractor tests in the terminal summary (visible without -s)."""

import pytest

_REPORT = pytest.StashKey[list]()


@pytest.fixture
def extract_report(request):
    """A list the tests append report lines to; printed at the end of the run."""
    return request.config.stash.setdefault(_REPORT, [])


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    lines = config.stash.get(_REPORT, [])
    if lines:
        terminalreporter.section("speech → draft tasks")
        for line in lines:
            terminalreporter.write_line(line)
