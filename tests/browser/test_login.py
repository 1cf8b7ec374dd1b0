"""The login page, the figures page and the authenticator's enrolment in a real browser."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

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


def test_the_enrolment_qr_code_reads_back_as_the_secret_shown(page, demo_server):
    """What a phone's authenticator app scans: the QR code on 绑定动态口令 decodes (zxing-cpp, from
    the page as Chromium draws it) to the otpauth URI printed below it, whose secret is the one to
    type by hand; and it fits the card on a tablet."""
    import zxingcpp
    from PIL import Image

    login(page, demo_server, "leader")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{demo_server.url}/accounts/otp/")
    qr = page.locator("svg.qr")
    read = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [r.format.name for r in read] == ["QRCode"]
    uri = page.inner_text("code.uri").strip()
    assert read[0].text == uri
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    assert page.inner_text("code.secret").replace(" ", "") == secret
    card, box = page.locator("section.login").bounding_box(), qr.bounding_box()
    assert card["x"] <= box["x"] and box["x"] + box["width"] <= card["x"] + card["width"]
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner
    screenshot(page, "otp-enrol")
