"""Report lines from the extractor tests in the terminal summary (visible without -s), and the
supervision personas: the office clerk and a task factory."""

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


# --- personas and tasks for the supervision tests --------------------------------

@pytest.fixture
def office(personas):
    """The supervising office's clerk (市政府办公室, 数据填报 role): assigns, reviews, closes."""
    from diaodu.org.models import Role
    from tests.helpers import make_user

    return make_user("ducha", "zfb", [Role.ENTER])


@pytest.fixture
def make_task(office):
    """make_task(leads=["武都区"], cos=[], assign=True, **fields) -> Task, created by the office."""
    import datetime as dt

    from diaodu.supervision import actions
    from diaodu.supervision.models import Task

    def make(leads=("武都区",), cos=(), *, assign=True, **fields):
        resolver = actions.UnitResolver()
        lead_units, missing = resolver.resolve_many(leads)
        co_units, missing_co = resolver.resolve_many(cos)
        assert not missing and not missing_co
        fields.setdefault("title", "加快灾后重建")
        fields.setdefault("content", "加快推动居民住房灾后重建，确保今年入冬前全部入住")
        fields.setdefault("start_date", dt.date(2021, 11, 5))
        fields.setdefault("deadline", dt.date(2021, 12, 31))
        return actions.create_task(office, Task(**fields), lead_units, co_units, assign=assign)

    return make
