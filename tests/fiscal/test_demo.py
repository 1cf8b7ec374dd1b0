"""The fiscal demo ledger tells the speech's story and agrees with the demo figures
(one test: loading the slice of figures is the expensive part)."""

from __future__ import annotations

import pytest

from diaodu.demo.figures import LAND_REVENUE_COMPLETION_OCT
from diaodu.engine.periods import schedule_share
from diaodu.fiscal import demo, services
from diaodu.fiscal.models import BudgetExecution, FiscalItem
from diaodu.indicators.models import Observation


def test_fiscal_demo_story(demo_slice, client):
    counts = demo.load_demo(demo_slice)
    assert counts["budget_lines"] == 10 * 7 * len(demo.MONTHS)
    rows = services.execution_table(2021, 10)
    whole, city = rows[0], rows[1]
    assert whole.label == "全市" and city.label == "市级"

    # 全市 (市级 + counties) equals 陇南's published figure, line by line
    for item in ("revenue_broad", "revenue_general", "revenue_tax", "expenditure_general", "land_revenue"):
        figure = Observation.objects.get(region_id="621200", indicator__code=item, year=2021, month=10)
        assert whole.cells[item].actual == pytest.approx(figure.published_value, abs=0.01), item
    # counties other than the city seat are exactly their figures
    for line in BudgetExecution.objects.filter(month=10, item="revenue_general").exclude(
            region_id__in=("621200", "621202")):
        figure = Observation.objects.get(region_id=line.region_id, indicator__code="revenue_general", year=2021,
                                         month=10)
        assert float(line.actual) == pytest.approx(figure.published_value, abs=1e-4)

    # land revenue: 全市 at the story's completion, 市级 far behind its budget and 序时进度
    land = whole.cells[FiscalItem.LAND_REVENUE]
    assert land.rate == pytest.approx(LAND_REVENUE_COMPLETION_OCT, abs=0.01)
    assert land.gap < 0
    city_land = city.cells[FiscalItem.LAND_REVENUE]
    assert city_land.rate < 0.25 < schedule_share(10)
    assert city_land.budget > 5
    # identities: tax + non-tax = general revenue, land within fund revenue
    for row in rows:
        cells = row.cells
        assert cells["revenue_tax"].actual + cells["revenue_nontax"].actual == pytest.approx(
            cells["revenue_general"].actual, abs=1e-3)
        assert cells["land_revenue"].actual <= cells["fund_revenue"].actual

    # 财力缺口: plausible, largest at 市级
    gap_rows, total = services.gaps(2021, 10)
    assert len(gap_rows) == 10 and gap_rows[0].label == "市级"
    city_gap = gap_rows[0].result.gap
    assert 5 < city_gap < 12 and 10 < total < 30
    assert city_gap == max(r.result.gap for r in gap_rows)

    # the page says it like the speech
    client.force_login(demo_slice["leader"])
    page = client.get("/fiscal/", {"period": "2021-10"}).content.decode()
    assert "市级仅入库" in page and f"{city_land.rate * 100:.1f}%" in page
    assert "全市财力缺口" in page
    for url in ("/fiscal/gap/", "/fiscal/parcels/?unpaid=1", "/fiscal/bonds/"):
        assert client.get(url).status_code == 200
