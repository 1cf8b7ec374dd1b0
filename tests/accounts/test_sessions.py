"""30-minute idle timeout: the session expires 30 minutes after the last request (a request
moves the expiry on when it was last moved more than a minute ago); login, logout and failures
are recorded."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from diaodu.accounts.sessions import SessionStore
from diaodu.audit.models import LoginRecord
from diaodu.audit.records import verify_login_chain
from tests.helpers import web_login


def test_idle_timeout_settings():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ENGINE == "diaodu.accounts.sessions"
    assert issubclass(SessionStore, DatabaseSessionStore)  # in the database: shared by every process


def test_a_fresh_expiry_is_not_written_again(personas, client):
    web_login(client, "wudu")
    key = client.session.session_key
    before = Session.objects.get(pk=key).expire_date
    assert client.get("/data/").status_code == 200
    assert Session.objects.get(pk=key).expire_date == before  # moved on at most once a minute


def test_each_request_moves_the_expiry_on(personas, client):
    web_login(client, "wudu")
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    assert client.get("/data/").status_code == 200
    expiry = Session.objects.get(pk=key).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < expiry <= dt.timedelta(minutes=30)


def test_idle_session_is_signed_out(personas, client):
    web_login(client, "wudu")
    assert client.get("/data/").status_code == 200
    Session.objects.filter(pk=client.session.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/data/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_login_logout_and_failure_are_recorded(personas, client):
    web_login(client, "wudu", "Wrong#pass2021", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox")
    web_login(client, "wudu", REMOTE_ADDR="10.1.2.3")
    client.post("/accounts/logout/")
    rows = list(LoginRecord.objects.filter(username="wudu").order_by("id").values_list("event", "ip"))
    assert rows == [("failed", "10.1.2.3"), ("login", "10.1.2.3"), ("logout", "127.0.0.1")]
    assert LoginRecord.objects.get(username="wudu", event="failed").user_agent == "Firefox"
    assert verify_login_chain() == []
