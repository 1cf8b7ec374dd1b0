"""Browser tests: real Debian Chromium driven by Playwright against the live server.

Skips where Chromium is missing (a newcomer's laptop) unless DIAODU_REQUIRE_TOOLS=1
(CI), where a missing browser fails. Every test checks that no request left
127.0.0.1 (promise 6: offline) and may save a screenshot to tests/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
# Playwright's sync API runs an event loop in this thread; Django's ORM refuses
# to run inside one unless told the test knows what it is doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _require_tools() -> bool:
    return os.environ.get("DIAODU_REQUIRE_TOOLS") == "1"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if _require_tools():
            pytest.fail("Chromium 未安装（/usr/bin/chromium）：scripts/setup --system 安装")
        pytest.skip("Chromium 未安装：apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every request's host; fails the test if any
    request went anywhere but 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlparse(request.url).hostname or ""))
    yield page
    context.close()
    outside = sorted({h for h in hosts if h not in ("127.0.0.1", "localhost", "")})
    assert not outside, f"页面请求了外部主机：{outside}"


@pytest.fixture(scope="session")
def demo_server(django_db_setup, django_db_blocker):
    """One live server over the demo data for every browser test of the session.

    The demo is loaded once, committed into the test database; the root
    conftest runs browser tests last, so no other test sees it. Browser tests
    read the database through the ``django_db`` mark and must not rely on
    changes made by another browser test."""
    from django.db import connections
    from pytest_django.live_server_helper import LiveServer

    from tests.helpers import load_demo

    with django_db_blocker.unblock():
        load_demo()  # restores the shipped data first if a transactional test flushed them
        server = LiveServer("127.0.0.1")
        server.in_flight = InFlight(server.thread.httpd.get_app())
        server.thread.httpd.set_app(server.in_flight)
        yield server
        server.stop()
        # This fixture's own connection (it may not be the one the database teardown closes, e.g.
        # under Playwright's greenlets): left open, it keeps the PostgreSQL test database in use.
        connections.close_all()


class InFlight:
    """The live server's WSGI app, counting the requests it is answering.

    On SQLite the server's threads and the tests share one in-memory connection: a request still
    being answered when the next test opens its transaction (a wall page's last poll, say) makes
    that test fail with "cannot start a transaction within a transaction". Each browser test ends
    by waiting for the count to reach zero (``_live_server_quiet``)."""

    def __init__(self, app):
        self.app, self.count, self.lock = app, 0, threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.count += 1
        try:
            result = self.app(environ, start_response)
            try:
                return list(result)  # the body is made, and the response closed, inside the count
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            with self.lock:
                self.count -= 1

    def wait_idle(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while self.count and time.monotonic() < deadline:
            time.sleep(0.02)


@pytest.fixture(autouse=True)
def _live_server_quiet(request):
    """After a browser test (its pages closed first: this fixture is set up before them), wait
    until the live server answers no request."""
    yield
    if "demo_server" in request.fixturenames:
        request.getfixturevalue("demo_server").in_flight.wait_idle()


def login(page, server, username: str, password: str = "Diaodu#2021") -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    settle(page)


# Every chart on the page drawn (or known to have nothing to draw): what a reader would wait for.
# Cheaper than "networkidle", which always waits half a second more after the last request.
_SETTLED = """() => document.readyState === "complete" && [...document.querySelectorAll("[data-chart]")].every(
    el => el.dataset.rendered === "1" || el.dataset.error === "1" || !document.getElementById(el.dataset.source))"""


def settle(page) -> None:
    """Wait until the page has loaded and drawn its charts and maps."""
    page.wait_for_load_state("load")
    page.wait_for_function(_SETTLED)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
