"""The login page and the figures page in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_leader_logs_in_and_reads_longnan_figures(page, demo_server):
    login(page, demo_server, "leader")
    page.goto(f"{demo_server.url}/data/?region=621200&period=2021-10")
    assert "陇南市主要经济指标" in page.inner_text("h1")
    assert "2021年1-10月" in page.inner_text("h1")
    assert page.locator(".demo-badge").inner_text() == "演示数据"
    assert page.locator("tr[data-indicator=retail]").count() == 1
    screenshot(page, "figures-longnan-2021-10")
