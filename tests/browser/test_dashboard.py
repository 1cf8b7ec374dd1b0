"""The dispatch room in real headless Chromium: every page, figures against the engine, the
source drawer, switching county and period, the maps.

One live server and one demo load for the whole module (the ``page`` fixture still checks that
no request left 127.0.0.1). Figures are read in the test from ``compute`` for the same period:
the test process shares the live server's database.
"""

from __future__ import annotations

import re
import time

import pytest

from diaodu.core import numbers
from diaodu.evaluation import compute
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOME = "621200"
PERIOD = "2021-10"
COUNTIES = {"621202", "621221", "621222", "621223", "621224", "621225", "621226", "621227", "621228"}
CITIES = {"620100", "620200", "620300", "620400", "620500", "620600", "620700", "620800", "620900", "621000",
          "621100", "621200", "622900", "623000"}


@pytest.fixture
def server(demo_server):
    """The session's live server over the demo data."""
    return demo_server


def cell_text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text().strip()


def wait_attr(page, selector: str, name: str, value: str = "1", timeout: float = 20) -> None:
    """Poll an attribute from Python: the site's CSP forbids the eval Playwright's
    wait_for_function would need."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.locator(selector).count() and page.get_attribute(selector, name) == value:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{selector} [{name}] never became {value!r}")


def wait_map(page, selector: str) -> dict:
    wait_attr(page, selector, "data-rendered")
    get = lambda name: page.get_attribute(selector, name) or ""  # noqa: E731
    return {"features": int(get("data-features") or 0), "drawn": int(get("data-regions-drawn") or 0),
            "codes": get("data-region-codes"), "valued": [c for c in get("data-drawn-valued").split(",") if c]}


def test_overview(page, server):
    login(page, server, "leader")
    page.goto(f"{server.url}/?period={PERIOD}")
    assert "陇南市经济运行总览" in page.inner_text("h1")
    assert "2021年1-10月" in page.inner_text("h1")
    # The composite score and rank (evaluation at city level).
    ev = next(r for r in compute.evaluation(PERIOD, level="city")["summary"] if r["region_code"] == HOME)
    kpi = page.inner_text("#kpi-score")
    assert numbers.text(ev["score"], 2) in kpi and f"第 {ev['rank']} 位" in kpi and "14个市州均已报送" in kpi
    # Every main indicator's growth and ranks against the engine's rank rows.
    ranks = {(r["indicator"], r["region_code"]): r for r in compute.ranks(PERIOD, "city")}
    for r in compute.ranks("2021-09", "city"):  # quarterly indicators show 前三季度
        ranks.setdefault((r["indicator"], r["region_code"]), r)
    rows = page.locator("table.main-indicators tbody tr")
    assert rows.count() == 8
    for i in range(rows.count()):
        code = rows.nth(i).get_attribute("data-indicator")
        row = ranks[(code, HOME)]
        tr = f"table.main-indicators tr[data-indicator={code}]"
        assert cell_text(page, f"{tr} td[data-field=growth]") == numbers.text(row['growth'], 1)
        assert cell_text(page, f"{tr} [data-field=rank_growth]") == str(row["rank_growth"])
        if row["rank_total"] is not None:
            assert cell_text(page, f"{tr} [data-field=rank_total]") == str(row["rank_total"])
    # Completion against the schedule and the forecast range.
    gdp_gap = next(r for r in compute.gaps(PERIOD, "city") if r["indicator"] == "gdp" and r["region_code"] == HOME)
    assert cell_text(page, "tr[data-indicator=gdp] td[data-field=completion]") == numbers.text(gdp_gap['completion'], 1) + "%"
    retail = next(r for r in compute.forecasts(PERIOD, "city") if r["indicator"] == "retail"
                  and r["region_code"] == HOME and r["measure"] == "growth")
    assert numbers.text(retail['low'], 1) in cell_text(page, "tr[data-indicator=retail] td[data-field=forecast]")
    # ... with its method and its track record against the naive rule "full year = year to date".
    assert retail["method_label"] in cell_text(page, "tr[data-indicator=retail] td[data-field=forecast]")
    record = cell_text(page, "p[data-field=forecast_record]")
    assert f"社会消费品零售总额——{retail['method_label']}；往年回测平均误差{retail['backtest_mae']:.2f}个百分点" in record
    assert f"（年内累计不变{retail['naive_mae']:.2f}），80%区间覆盖{retail['backtest_coverage']:.0f}%" in record
    # The secondary industry's contribution.
    second = next(r for r in compute.contributions(PERIOD, HOME) if r["part_indicator"] == "gdp_secondary")
    assert numbers.text(second['contribution'], 1) + "%" in page.inner_text("#kpi-secondary")
    # The counties table links to the ledgers.
    assert page.locator("table.county-table a[href='/projects/behind/?region=621202&period=2021-10']").count() == 1
    assert page.locator("table.county-table a[href='/enterprises/stopped/?region=621224&period=2021-10']").count() == 1
    screenshot(page, "dashboard-overview")

    # The source drawer of the FAI growth rank.
    page.click("tr[data-indicator=fai] [data-field=rank_growth] a.num")
    page.wait_for_selector("#drawer.open .source")
    ids = page.get_attribute("#drawer .source", "data-observation-ids")
    assert ids and len(ids.split(",")) == len(ranks[("fai", HOME)]["sources"])
    assert "名次" in page.inner_text("#drawer .rule")
    assert page.locator("#drawer a[href^='/data/figure/']").count() == len(ids.split(","))
    page.wait_for_timeout(300)
    screenshot(page, "dashboard-overview-drawer")
    page.click("#drawer .drawer-close")

    # Switch the period: 1-9月.
    page.select_option("select[name=period]", "2021-09")
    page.wait_for_url(re.compile(r"period=2021-09"))
    assert "2021年1-9月" in page.inner_text("h1")
    fai9 = next(r for r in compute.ranks("2021-09", "city") if r["indicator"] == "fai" and r["region_code"] == HOME)
    assert cell_text(page, "tr[data-indicator=fai] td[data-field=growth]") == numbers.text(fai9['growth'], 1)


def test_indicator_page_switches_county_and_period(page, server):
    login(page, server, "leader")
    page.goto(f"{server.url}/indicator/fai/?period={PERIOD}")
    wait_attr(page, "#chart-series", "data-rendered")
    wait_attr(page, "#chart-peers", "data-rendered")
    assert page.get_attribute("#chart-peers", "data-bars") == "14"
    sim = compute.simulation(PERIOD, HOME, "fai")
    assert page.locator("table.simulator tbody tr").count() == len(sim) == 14
    assert cell_text(page, "table.simulator tr[data-rank='3'] td[data-field=required]") == numbers.text(sim[2]['required'], 1) + "%"
    county = {r["region_code"]: r for r in compute.ranks(PERIOD, "county") if r["indicator"] == "fai"}
    for code in COUNTIES:
        assert cell_text(page, f"table.county-breakdown tr[data-region='{code}'] td[data-field=growth]") == \
            numbers.text(county[code]['growth'], 1)
    screenshot(page, "dashboard-indicator-fai")
    # Switch to 康县, then to 1-9月.
    page.select_option("select[name=region]", "621224")
    page.wait_for_url(re.compile(r"region=621224"))
    assert "康县" in page.inner_text("h1")
    assert f"第{county['621224']['rank_growth']}位" in page.inner_text("[data-field=current-position]")
    assert page.locator("table.simulator tbody tr").count() == 9
    page.select_option("select[name=period]", "2021-09")
    page.wait_for_url(re.compile(r"period=2021-09"))
    assert "康县" in page.inner_text("h1") and "2021年1-9月" in page.inner_text("h1")
    sep = {r["region_code"]: r for r in compute.ranks("2021-09", "county") if r["indicator"] == "fai"}
    assert f"第{sep['621224']['rank_growth']}位" in page.inner_text("[data-field=current-position]")
    wait_attr(page, "#chart-series", "data-rendered")
    screenshot(page, "dashboard-indicator-fai-kangxian")


def test_counties_page_and_map(page, server):
    login(page, server, "leader")
    page.goto(f"{server.url}/counties/?period={PERIOD}")
    drawn = wait_map(page, "#map-621200")
    assert drawn["features"] == 9 and drawn["drawn"] == 9
    assert set(drawn["codes"].split(",")) == COUNTIES == set(drawn["valued"])
    assert "示意图" in page.inner_text(".map-note")
    evaluation = compute.evaluation(PERIOD, level="county")["summary"]
    assert page.locator("table.evaluation tbody tr").count() == 9
    for r in evaluation:
        tr = f"table.evaluation tr[data-region='{r['region_code']}']"
        assert cell_text(page, f"{tr} td[data-field=score]") == numbers.text(r['score'], 2)
        assert cell_text(page, f"{tr} td[data-field=rank]") == str(r["rank"])
    gdp = {r["region_code"]: r for r in compute.ranks("2021-09", "county") if r["indicator"] == "gdp"}
    for code in COUNTIES:
        assert cell_text(page, f"table.matrix tr[data-region='{code}'] td.cell[data-indicator=gdp]") == \
            numbers.text(gdp[code]['growth'], 1)
    # Another indicator on the map through htmx.
    page.select_option("#map-card select[name=indicator]", "retail")
    page.wait_for_selector(".map-title:has-text('社会消费品零售总额')")
    drawn = wait_map(page, "#map-621200")
    assert drawn["drawn"] == 9
    screenshot(page, "dashboard-counties")


def test_province_page_and_map(page, server):
    login(page, server, "leader")
    page.goto(f"{server.url}/province/?period={PERIOD}")
    drawn = wait_map(page, "#map-620000")
    assert drawn["features"] == 14 and set(drawn["codes"].split(",")) == CITIES
    assert page.locator("table.matrix tbody tr").count() == 14
    fai = {r["region_code"]: r for r in compute.ranks(PERIOD, "city") if r["indicator"] == "fai"}
    for code in CITIES:
        tr = f"table.matrix tr[data-region='{code}']"
        assert cell_text(page, f"{tr} td.cell[data-indicator=fai]") == numbers.text(fai[code]['growth'], 1)
        assert cell_text(page, f"{tr} td.rank[data-indicator=fai]").startswith(str(fai[code]["rank_growth"]))
    screenshot(page, "dashboard-province")


def test_gap_page_and_drawer(page, server):
    login(page, server, "leader")
    page.goto(f"{server.url}/gap/?period={PERIOD}")
    gdp = next(r for r in compute.gaps(PERIOD, "city") if r["indicator"] == "gdp" and r["region_code"] == HOME)
    assert cell_text(page, "table.gap-city tr[data-indicator=gdp] td[data-field=amount_needed]") == \
        f"{gdp['amount_needed']:,.2f}"
    county = {r["region_code"]: r for r in compute.gaps(PERIOD, "county") if r["indicator"] == "gdp"}
    for code in COUNTIES:
        assert cell_text(page, f"table.gap-county tr[data-region='{code}'] td[data-field=amount_needed]") == \
            f"{county[code]['amount_needed']:,.2f}"
    page.click("table.gap-county tr[data-region='621224'] td[data-field=completion] a.num")
    page.wait_for_selector("#drawer.open .source")
    assert "康县" in page.inner_text("#drawer h3")
    assert page.locator("#drawer tr[data-observation]").count() == len(county["621224"]["sources"])
    screenshot(page, "dashboard-gap")
