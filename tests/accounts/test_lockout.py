"""Lock after 5 failures for 30 minutes, per username, held in the database
(so every process and app server sees it), recorded, shown in Chinese."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from diaodu.accounts import policy
from diaodu.audit.models import LoginRecord
from diaodu.audit.records import verify_login_chain
from tests.helpers import PASSWORD, web_login


def fail(client, username, times):
    for _ in range(times):
        response = web_login(client, username, "Wrong#pass2021")
        assert response.status_code == 200
    return response


def events(username):
    return list(LoginRecord.objects.filter(username=username).order_by("id").values_list("event", flat=True))


def test_four_failures_do_not_lock(personas, client):
    response = fail(client, "wudu", 4)
    assert "用户名或密码不正确" in response.content.decode()
    assert web_login(client, "wudu").status_code == 302


def test_fifth_failure_locks_for_30_minutes(personas, client):
    response = fail(client, "wudu", 5)
    page = response.content.decode()
    assert "已被锁定" in page and "连续 5 次登录失败" in page
    assert events("wudu") == ["failed"] * 5 + ["locked"]
    # The right password is refused too, from another browser (another session) as well.
    other = Client()
    refused = web_login(other, "wudu")
    assert refused.status_code == 200 and "已被锁定" in refused.content.decode()
    assert not other.session.get("_auth_user_id")
    # … and by every other way in (the backend refuses, whatever the caller).
    assert authenticate(username="wudu", password=PASSWORD) is None
    assert events("wudu")[-2:] == ["refused", "refused"]
    # Other users are unaffected.
    assert web_login(Client(), "kangxian").status_code == 302
    assert verify_login_chain() == []


def test_lock_ends_after_30_minutes(personas, client):
    fail(client, "wudu", 5)
    until = policy.locked_until("wudu")
    assert dt.timedelta(minutes=29) < until - timezone.now() <= dt.timedelta(minutes=30)
    later = timezone.now() + dt.timedelta(minutes=31)
    assert policy.locked_until("wudu", now=later) is None
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert web_login(Client(), "wudu").status_code == 302


def test_success_resets_the_count(personas, client):
    fail(client, "wudu", 4)
    assert web_login(Client(), "wudu").status_code == 302
    fail(client, "wudu", 4)
    assert policy.locked_until("wudu") is None


def test_unknown_usernames_lock_too(db, client):
    """No difference between a wrong name and a wrong password (no user enumeration)."""
    response = fail(client, "nobody", 5)
    assert "已被锁定" in response.content.decode()


def test_admin_unlocks_from_the_command_line(personas, client):
    fail(client, "wudu", 5)
    call_command("unlock", "wudu")
    assert policy.locked_until("wudu") is None
    assert events("wudu")[-1] == "unlocked"
    assert web_login(Client(), "wudu").status_code == 302


def test_lockout_settings_are_configurable(personas, client, settings):
    settings.DIAODU_LOCKOUT_FAILURES = 3
    settings.DIAODU_LOCKOUT_MINUTES = 10
    response = fail(client, "wudu", 3)
    assert "连续 3 次" in response.content.decode()
    assert policy.locked_until("wudu") - timezone.now() <= dt.timedelta(minutes=10)
