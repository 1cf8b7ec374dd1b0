"""Enterprise and chain pages in a real browser, on the demo data (one test: the
demo loads once, and a flushed transactional database loses its regions)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, screenshot, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

FALLING = "621227"  # 徽县: 规上工业 falls in the demo, with stopped enterprises


def test_chain_graph_and_stopped_enterprises(page, demo_server):
    login(page, demo_server, "leader")
    chain_page_renders_its_graph(page, demo_server)
    stopped_enterprises_reachable_from_industry_cell(page, demo_server)


def chain_page_renders_its_graph(page, demo_server):
    page.goto(f"{demo_server.url}/industry/")
    page.click("text=有色金属产业链")
    page.wait_for_selector("#chain-graph canvas")
    assert "有色金属产业链" in page.inner_text("h1")
    # the canvas has a size and something drawn on it
    drawn = page.evaluate("""() => {
        const canvas = document.querySelector('#chain-graph canvas');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) painted++; }
        return {width: canvas.width, height: canvas.height, painted: painted};
    }""")
    assert drawn["width"] > 300 and drawn["height"] > 300
    assert drawn["painted"] > 1000
    nodes = page.evaluate("() => window.chainChart.getOption().series[0].data.length")
    assert nodes >= 8
    screenshot(page, "chain-metals-graph")


def stopped_enterprises_reachable_from_industry_cell(page, demo_server):
    page.goto(f"{demo_server.url}/data/?region=621200&period=2021-10")
    row = page.locator("tr[data-indicator=industry_va]")
    link = row.locator(f"a[data-drill=stopped][href*='region={FALLING}']")
    assert link.count() == 1
    link.click()
    settle(page)
    assert "徽县停产、半停产、未销售企业" in page.inner_text("h1")
    text = page.inner_text("main")
    assert "徽县金山水泥有限公司" in text and "疫情" in text
    assert "规上工业增加值" in text  # the slowdown beside its enterprises
    screenshot(page, "enterprises-stopped-huixian")
