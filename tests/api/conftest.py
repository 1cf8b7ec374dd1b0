"""Fixtures of the API tests: the demo personas, their tokens, markers of
unpublished figures, and a case counter printed in the terminal summary."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from diaodu.api.models import ApiToken
from diaodu.indicators import actions
from diaodu.indicators.models import Observation

# Unpublished figures no other unit may read: a distinctive value and note per county.
MARKERS = {
    "621224": {"value": 918273.645, "texts": ("918273", "918,273", "MARK-KANGXIAN")},
    "621202": {"value": 827364.519, "texts": ("827364", "827,364", "MARK-WUDU")},
}
DEMO_PASSWORD = "Diaodu#2021"


def pytest_terminal_summary(terminalreporter):
    from tests.api.counts import COUNTS

    if COUNTS:
        terminalreporter.section("API test cases")
    for name, count in COUNTS.items():
        terminalreporter.write_line(f"{name}: {count}")
    web = sum(v for k, v in COUNTS.items() if k.startswith("permission matrix web"))
    api = sum(v for k, v in COUNTS.items() if k.startswith("permission matrix API"))
    if web or api:
        terminalreporter.write_line(f"permission matrix total: {web + api} ({web} web, {api} API)")


def demo_user(username: str):
    return get_user_model().objects.get(username=username)


def token_for(username: str) -> str:
    return ApiToken.issue(demo_user(username), name="tests")[1]


def add_markers() -> dict[str, list[int]]:
    """Each county clerk enters a new, unpublished revision of a published figure
    and a figure that was never published; returns their observation ids."""
    from diaodu.engine.periods import Period
    from diaodu.indicators.models import Indicator

    ids: dict[str, list[int]] = {}
    clerk = {"621224": "kangxian", "621202": "wudu"}
    gdp = Indicator.objects.get(code="gdp")
    for region, marker in MARKERS.items():
        published = (Observation.objects.filter(region_id=region, indicator=gdp, published_revision__isnull=False)
                     .order_by("-year", "-month").first())
        later = Period(2021, 3)
        rows = [
            actions.FigureInput(region, "gdp", published.year, published.month, marker["value"], 6.6,
                                marker["texts"][2]),
            actions.FigureInput(region, "gdp", later.year + 0, 12 if published.month != 12 else 3,
                                marker["value"], 6.7, marker["texts"][2]),
        ]
        # Markers are deliberately implausible (a county's GDP above the city's): they test who may
        # read them, not the validation rules, which the write path is told were already applied.
        actions.submit_figures(demo_user(clerk[region]), rows, source="test", reason=marker["texts"][2],
                               violations=[])
        ids[region] = list(Observation.objects.filter(region_id=region, note=marker["texts"][2])
                           .values_list("pk", flat=True))
    return ids


@pytest.fixture
def anyio_backend():
    return "asyncio"
