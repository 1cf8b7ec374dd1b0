"""From a county's 固定资产投资 on the figures page to its projects behind plan, in Chromium;
and the demo ledgers agree with the demo figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from tests.browser.conftest import login, screenshot, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

COUNTY = "621224"  # 康县


def _demo_ledgers_agree_with_figures():
    from diaodu.engine.periods import Period
    from diaodu.indicators.models import Observation
    from diaodu.investment.models import FundsArrival
    from diaodu.projects import demo, queries
    from diaodu.projects.models import Project, StatsStatus

    oct2021 = Period(2021, 10)
    for code, share in demo.FAI_SHARE.items():
        fai = Observation.objects.get(region_id=code, indicator__code="fai", year=2021, month=10).published_value
        entered = queries.with_progress(Project.objects.filter(region_id=code, stats_status=StatsStatus.ENTERED),
                                        oct2021)
        ytd = sum((p.ytd for p in entered), Decimal("0"))
        assert ytd == (Decimal(str(fai)) * Decimal(str(share))).quantize(Decimal("0.0001")), code
        arrived = Observation.objects.get(region_id=code, indicator__code="investment_arrived", year=2021,
                                          month=10).published_value
        total = FundsArrival.objects.filter(region_id=code, year=2021, month__lte=10).aggregate(s=Sum("amount"))["s"]
        assert total == Decimal(str(arrived)), code
    assert 280 <= Project.objects.count() <= 320


def test_fai_cell_drills_down_to_projects_behind_plan(page, demo_server):
    from diaodu.engine.periods import Period
    from diaodu.projects import queries
    from diaodu.projects.models import Project

    _demo_ledgers_agree_with_figures()
    expected = [r.project.code for r in queries.behind_plan(Project.objects.filter(region_id=COUNTY),
                                                             Period(2021, 10))]
    assert expected, "the demo should have projects behind plan in 康县"

    login(page, demo_server, "leader")
    page.goto(f"{demo_server.url}/data/?region=621200&period=2021-10")
    link = page.locator(f"tr[data-indicator=fai] a[data-drill=behind][href*='region={COUNTY}']")
    assert link.count() == 1
    link.click()
    settle(page)
    assert f"/projects/behind/?region={COUNTY}&period=2021-10" in page.url
    assert "康县滞后序时进度的项目" in page.inner_text("h1")
    assert "2021年1-10月" in page.inner_text("h1")
    shown = page.locator("table#behind tbody tr[data-code]").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert shown == expected
    assert page.locator("#behind-count").inner_text() == str(len(expected))
    assert page.locator(".demo-badge").inner_text() == "演示数据"
    screenshot(page, "projects-behind-kangxian-2021-10")
