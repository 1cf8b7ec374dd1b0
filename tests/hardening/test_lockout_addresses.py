"""Finding 8: five anonymous wrong passwords locked any account — the only
管理员 included — everywhere, with no per-address limit and only the CLI to unlock."""

from __future__ import annotations

import logging

from django.core.management import call_command
from django.test import Client

from diaodu.accounts import policy
from tests.helpers import web_login

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OFFICE = {"REMOTE_ADDR": "10.1.2.3"}


def fail(client, username, times, **extra):
    for _ in range(times):
        response = web_login(client, username, "Wrong#pass2021", **extra)
    return response


def test_a_lock_holds_at_the_attackers_address_only(personas):
    response = fail(Client(), "admin", 5, **ATTACKER)
    assert "已被锁定" in response.content.decode()
    assert web_login(Client(), "admin", **ATTACKER).status_code == 200  # still locked there
    response = web_login(Client(), "wudu", **OFFICE)
    assert response.status_code == 302
    # The owner, from the office, signs in (the admin's second step follows the password).
    response = web_login(Client(), "admin", **OFFICE)
    assert response.status_code == 302  # on to the second step, not refused


def test_an_address_is_blocked_after_many_failures_on_any_usernames(personas, settings):
    settings.DIAODU_LOCKOUT_ADDRESS_FAILURES = 8
    client = Client()
    for name in ("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"):
        fail(client, name, 1, **ATTACKER)
    response = web_login(client, "wudu", **ATTACKER)  # the right password, from that address
    assert response.status_code == 200 and "本地址登录失败次数过多" in response.content.decode()
    assert web_login(Client(), "wudu", **OFFICE).status_code == 302


def test_an_administrator_unlocks_in_the_web(personas):
    fail(Client(), "wudu", 5, **OFFICE)
    assert policy.locked_until("wudu") is not None
    admin = Client()
    admin.force_login(personas["admin"])
    page = admin.get("/accounts/locks/")
    assert page.status_code == 200 and "wudu" in page.content.decode()
    admin.post("/accounts/locks/", {"username": "wudu"})
    assert policy.locked_until("wudu") is None
    assert web_login(Client(), "wudu", **OFFICE).status_code == 302
    clerk = Client()
    clerk.force_login(personas["kangxian"])
    assert clerk.get("/accounts/locks/").status_code == 403
    assert clerk.post("/accounts/locks/", {"username": "wudu"}).status_code == 403


def test_the_last_admins_lock_lifts_from_the_cli_and_is_logged(personas, caplog):
    fail(Client(), "admin", 5, **OFFICE)
    with caplog.at_level(logging.WARNING, logger="diaodu.security"):
        call_command("unlock", "admin")
    assert policy.locked_until("admin") is None
    assert any("admin" in r.getMessage() and "最后一名在职管理员" in r.getMessage() for r in caplog.records)
