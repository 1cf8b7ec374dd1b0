"""From the overview's counties table (``/``) to the ledgers behind a county's figures, in Chromium:
its 固定资产投资 cell to its projects behind plan, its 规上工业增加值 cell to its stopped enterprises.
The rows the page shows are the ledger queries' rows for that county and period."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, screenshot, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PERIOD = "2021-10"
FAI_COUNTY = "621224"  # 康县: projects behind plan in the demo
INDUSTRY_COUNTY = "621227"  # 徽县: 规上工业 falls in the demo, with stopped enterprises


def _open_overview(page, server):
    login(page, server, "leader")
    page.goto(f"{server.url}/?period={PERIOD}")
    settle(page)
    assert "2021年1-10月" in page.inner_text("h1")


def _cell_link(page, county: str, indicator: str):
    link = page.locator(f"table.county-table tr[data-region='{county}'] td[data-indicator='{indicator}'] a.cell-link")
    assert link.count() == 1, f"no drill-down link in the {indicator} cell of {county}"
    return link


def test_fai_cell_on_overview_drills_down_to_projects_behind_plan(page, demo_server):
    from diaodu.engine.periods import Period
    from diaodu.org.models import Region
    from diaodu.projects import queries
    from diaodu.projects.models import Project

    county = Region.objects.get(code=FAI_COUNTY)
    expected = queries.behind_plan(Project.objects.filter(region_id=FAI_COUNTY), Period(2021, 10))
    assert expected, "the demo should have projects behind plan in 康县"

    _open_overview(page, demo_server)
    _cell_link(page, FAI_COUNTY, "fai").click()
    settle(page)
    assert "/projects/behind/" in page.url and f"region={FAI_COUNTY}" in page.url
    heading = page.inner_text("h1")
    assert f"{county.name}滞后序时进度的项目" in heading and "2021年1-10月" in heading
    shown = page.locator("table#behind tbody tr[data-code]").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert shown == [r.project.code for r in expected]
    names = page.locator("table#behind tbody tr[data-code] td.name").all_inner_texts()
    assert [n.strip() for n in names] == [r.project.name for r in expected]
    gaps = page.locator("table#behind tbody tr[data-code] td:nth-child(10)").all_inner_texts()
    assert gaps == [f"{r.gap:.2f}" for r in expected]
    assert page.locator("#behind-count").inner_text() == str(len(expected))
    screenshot(page, "overview-drilldown-fai-kangxian-2021-10")


def test_industry_cell_on_overview_drills_down_to_stopped_enterprises(page, demo_server):
    from diaodu.enterprises import services
    from diaodu.org.models import Region

    county = Region.objects.get(code=INDUSTRY_COUNTY)
    expected = list(services.troubled(INDUSTRY_COUNTY))
    assert expected, "the demo should have stopped enterprises in 徽县"

    _open_overview(page, demo_server)
    _cell_link(page, INDUSTRY_COUNTY, "industry_va").click()
    settle(page)
    assert "/enterprises/stopped/" in page.url and f"region={INDUSTRY_COUNTY}" in page.url
    assert f"{county.name}停产、半停产、未销售企业" in page.inner_text("h1")
    rows = page.locator("table.stopped tbody tr")
    names = [n.strip() for n in rows.locator("td:first-child").all_inner_texts()]
    assert names == [e.name for e in expected]
    statuses = [s.strip() for s in rows.locator("td:nth-child(4)").all_inner_texts()]
    assert statuses == [e.get_status_display() for e in expected]
    assert "规上工业增加值" in page.inner_text("main")  # the slowdown beside its enterprises
    screenshot(page, "overview-drilldown-industry-huixian")
