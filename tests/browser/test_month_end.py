"""The month-end in Chromium: a county enters one figure of a new month and the statistics bureau
publishes it; the leader's 总览 stays on the released period until the period is released.

This test changes the shared demo database; it removes its release afterwards so the default
period of the other browser tests stays 2021-10 (the figure itself stays, as an unreleased month).
"""

from __future__ import annotations

import pytest
from django.db import connections

from diaodu.core import numbers
from diaodu.evaluation import compute
from diaodu.indicators.models import Observation, PeriodRelease
from tests.browser.conftest import login, screenshot, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOME = "621200"


def plausible_november(region: str, code: str) -> tuple[float | None, float | None]:
    """A 1-11月 figure the validation rules accept: October's growth kept, last November's value
    grown by it (so value, growth and last year agree)."""
    october = Observation.objects.filter(region_id=region, indicator__code=code, year=2021, month=10).first()
    last = Observation.objects.filter(region_id=region, indicator__code=code, year=2020, month=11).first()
    growth = october.growth if october and october.growth is not None else None
    value = None
    if last is not None and last.value is not None and growth is not None:
        value = last.value * (1 + growth / 100)
        if october.value is not None and value < october.value:
            value = None
    if value is None and growth is None:
        growth = 5.0
    return value, growth


def leader_overview(page, server, query: str = "") -> tuple[str, str]:
    page.goto(f"{server.url}/{query}")
    return page.inner_text("h1"), page.inner_text("#kpi-score")


def test_a_published_figure_of_an_unreleased_month_does_not_move_the_default(browser, demo_server):
    server = demo_server
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    score = next(r for r in compute.evaluation("2021-10", level="city")["summary"] if r["region_code"] == HOME)
    shown = numbers.text(score["score"], 2)  # as every page and document prints it (half up)
    try:
        # 武都区's clerk fills the entry form for 2021-11 (every indicator it reports) and submits it.
        october = Observation.objects.get(region_id="621202", indicator__code="industry_va", year=2021, month=10)
        login(page, server, "wudu")
        page.goto(f"{server.url}/data/entry/?period=2021-11")
        industry = page.locator("table.entry tr[data-indicator=industry_va]")
        assert f"{october.growth:g}" in industry.inner_text()  # last month's growth beside the field
        codes = [page.locator("table.entry tbody tr").nth(i).get_attribute("data-indicator")
                 for i in range(page.locator("table.entry tbody tr").count())]
        assert codes
        for code in codes:
            value, growth = plausible_november("621202", code)
            row = page.locator(f"table.entry tr[data-indicator={code}]")
            if value is not None:
                row.locator("input[data-field=value]").fill(f"{value:.2f}")
            if growth is not None:
                row.locator("input[data-field=growth]").fill(f"{growth:.1f}")
        industry.locator("input[data-field=growth]").dispatch_event("change")
        page.wait_for_selector("table.entry tr[data-indicator=industry_va][data-checked='1']")
        assert industry.locator("td[data-field=check]").inner_text().strip() == ""  # plausible: no warning
        page.click("button[value=submit]")
        settle(page)
        if page.locator("input[name=accept_warnings]").count():  # the rules' warnings, confirmed
            page.check("input[name=accept_warnings]")
            page.click("button[value=submit]")
            settle(page)
        assert f"已提交审核：新增 {len(codes)}" in page.inner_text("main")
        obs = Observation.objects.get(region_id="621202", indicator__code="industry_va", year=2021, month=11)
        assert obs.status == "entered" and obs.revisions.get().entered_by.username == "wudu"
        page.context.clear_cookies()

        # 市统计局 approves and publishes the month's batch from the review queue: ≤ 3 clicks.
        login(page, server, "tongji")
        page.goto(f"{server.url}/data/review/?period=2021-11")
        row = page.locator("table.review tr[data-region='621202'][data-indicator='industry_va']")
        assert row.count() == 1 and "填报" in row.locator("td[data-field=status]").inner_text()
        assert page.locator("table.review tbody tr").count() == len(codes)
        clicks = 0
        page.check("#select-all")
        clicks += 1
        page.click("button[value=publish]")
        clicks += 1
        settle(page)
        assert clicks <= 3
        assert f"已发布 {len(codes)} 条" in page.inner_text("main")
        # The progress page: 武都区 published, 康县 not submitted.
        page.goto(f"{server.url}/data/progress/?period=2021-11")
        assert "已发布" in page.inner_text("tr[data-unit='621202'] td[data-field=state]")
        assert "未报送" in page.inner_text("tr[data-unit='621224'] td[data-field=state]")
        screenshot(page, "month_end_progress")
        obs.refresh_from_db()
        assert obs.published_revision is not None
        page.context.clear_cookies()

        # The leader's 总览 still opens on the released 2021年1-10月 with the same score and rank.
        login(page, server, "leader")
        h1, kpi = leader_overview(page, server)
        assert "2021年1-10月" in h1 and shown in kpi and str(score["rank"]) in kpi
        assert page.locator(".preliminary", has_text="尚未经统计部门发布").count() == 0
        # Opened explicitly, the unreleased month says so, and every rank carries its coverage.
        h1, kpi = leader_overview(page, server, "?period=2021-11")
        assert "2021年1-11月" in h1
        assert "初步数据（未发布）" in page.inner_text(".preliminary") and "初步数据（未发布）" in page.title()
        # Coverage beside every rank: the score's and each main indicator's.
        assert "已报" in kpi or "均已报送" in kpi
        coverage = page.locator("table.main-indicators [data-field=coverage]")
        assert coverage.count() == 8
        for i in range(coverage.count()):
            text = coverage.nth(i).inner_text()
            assert "已报" in text or "均已报送" in text, text
        screenshot(page, "month_end_preliminary")

        # Released (期别发布, the web's form of `diaodu release --period 2021-11`, which
        # tests/dashboard/test_coverage.py runs), the default moves. Done through the live server: a
        # write of this test's own connection would stay inside its transaction on PostgreSQL.
        page.context.clear_cookies()
        login(page, server, "tongji")
        page.goto(f"{server.url}/data/release/")
        page.fill("#release-form input[name=period]", "2021-11")
        page.click("#release-form button[type=submit]")
        settle(page)
        assert "已发布" in page.inner_text("main")
        page.context.clear_cookies()
        login(page, server, "leader")
        h1, _ = leader_overview(page, server)
        assert "2021年1-11月" in h1
        assert page.locator(".preliminary", has_text="尚未经统计部门发布").count() == 0
        # The other 市州's figures follow the province's own release, not yet recorded for 2021-11.
        assert "各市州初步数据（未发布）" in page.inner_text(".preliminary")
    finally:
        undo_release(2021, 11)
        context.close()


def undo_release(year: int, month: int) -> None:
    """Undo the live server's release for the other browser tests. On SQLite the server shares this
    test's (in-memory) connection; on PostgreSQL it committed, and this test's connection is inside
    a transaction: a connection of its own (autocommit) deletes it."""
    if connections["default"].vendor == "sqlite":
        PeriodRelease.objects.filter(year=year, month=month).delete()
        return
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM indicators_periodrelease WHERE year = %s AND month = %s", [year, month])
    finally:
        connection.close()
