"""Speech → tasks in a real browser: paste the speech, review the drafts, confirm, see the countdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SPEECH = Path(__file__).resolve().parent.parent / "supervision" / "data" / "speech_000_3ae70cd39b531396.txt"


@pytest.fixture
def server(demo_server):
    """The session's demo server: it has the supervising office's clerk (ducha) and
    the demo clock (2021-11-20)."""
    demo_server.password = "Diaodu#2021"
    return demo_server


def test_paste_review_confirm_countdown(page, server):
    demo_server = server
    login(page, demo_server, "ducha", server.password)
    page.goto(f"{demo_server.url}/tasks/extract/")
    page.fill("input[name=date]", "2021-11-05")
    page.fill("textarea[name=text]", SPEECH.read_text(encoding="utf-8"))
    with page.expect_navigation():
        page.click("#extract-submit")
    drafts = page.locator(".draft")
    assert drafts.count() >= 25
    housing = page.locator(".draft", has_text="确保今年入冬前全部入住")
    assert housing.locator("input[name$=-deadline]").input_value() == "2021-11-07"
    # Review: uncheck the first draft, rename the meeting, edit one action.
    page.locator(".draft").first.locator("input[type=checkbox]").uncheck()
    page.fill("input[name=title]", "全市经济运行调度视频会议（浏览器测试）")
    housing.locator("textarea[name$=-action]").fill("加快推动居民住房灾后重建，确保今年入冬前全部入住（浏览器测试）")
    screenshot(page, "supervision-review-drafts")
    with page.expect_navigation():
        page.click("#confirm-drafts")
    assert "全市经济运行调度视频会议（浏览器测试）" in page.inner_text("h1")
    assert "已创建会议" in page.inner_text(".messages")

    page.goto(f"{demo_server.url}/tasks/countdown/")
    tile = page.locator(".tile", has_text="浏览器测试")
    assert tile.count() == 1
    assert "逾期 13 天" in tile.inner_text()  # 入冬前 = 2021-11-07, demo clock 2021-11-20
    assert "各县区" in tile.inner_text()
    assert page.locator(".demo-badge").inner_text() == "演示数据"
    screenshot(page, "supervision-countdown")


def test_task_with_several_lead_counties(page, server):
    """The demo's 9-county task: the office sees each county's step and closes one county's part;
    the board shows the split and the counties still overdue (issue 19, finding 9)."""
    login(page, server, "ducha", server.password)
    page.goto(f"{server.url}/tasks/list/")
    row = page.locator("tr[data-task]", has_text="核查规上工业企业入统情况")
    assert "已办结 3/9" in row.inner_text() and "逾期：" in row.inner_text()
    screenshot(page, "supervision-board-lead-units")
    with page.expect_navigation():
        row.locator("a").first.click()
    units = page.locator("table.lead-units")
    assert "各牵头单位办理情况（已办结 3/9）" in page.inner_text("body")
    wenxian = units.locator("tr[data-unit='621222']")
    assert "复核" in wenxian.inner_text()
    screenshot(page, "supervision-lead-units")
    with page.expect_navigation():
        wenxian.locator("button", has_text="办结").click()
    assert "已办结" in page.inner_text(".messages")
    assert "各牵头单位办理情况（已办结 4/9）" in page.inner_text("body")
    assert "办结" in page.locator("table.lead-units tr[data-unit='621222']").inner_text()
