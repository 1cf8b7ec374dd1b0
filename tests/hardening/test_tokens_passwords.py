"""Finding 12's account edges: a password changed to itself, tokens that never
expire and outlive their owner's password and lock, a public API schema, an open
redirect through ``next``, a loop at /admin/, two version-less API writes both winning."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from diaodu.api.models import ApiToken
from diaodu.audit.models import ChangeRecord
from diaodu.indicators import actions
from diaodu.indicators.models import Observation
from tests.helpers import PASSWORD, web_login

pytestmark = pytest.mark.django_db


def api(key, method="get", path="/api/regions", body=None):
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    if method == "get":
        return client.get(path)
    return client.post(path, json.dumps(body), content_type="application/json")


def change_password(client, old, new):
    return client.post("/accounts/password_change/", {"old_password": old, "new_password1": new, "new_password2": new})


def test_no_reuse_of_the_current_or_last_five_passwords(personas):
    client = Client()
    client.force_login(personas["wudu"])
    response = change_password(client, PASSWORD, PASSWORD)
    assert response.status_code == 200 and "不能与当前密码" in response.content.decode()
    history = [f"Neu#Passwort{n}x" for n in range(6)]
    current = PASSWORD
    for new in history:
        assert change_password(client, current, new).status_code == 302, new
        client.force_login(personas["wudu"].__class__.objects.get(username="wudu"))
        current = new
    for old in history[1:5]:  # the last five before the current one
        response = change_password(client, current, old)
        assert "最近 5 次" in response.content.decode(), old
    assert change_password(client, current, PASSWORD).status_code == 302  # six back: allowed again


def test_tokens_expire_after_180_days(personas):
    token, key = ApiToken.issue(personas["wudu"])
    assert api(key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - dt.timedelta(days=181))
    response = api(key)
    assert response.status_code == 401 and "已过期" in response.content.decode()


def test_tokens_end_with_a_password_change_a_lock_and_deactivation(personas):
    wudu = personas["wudu"]
    _, key = ApiToken.issue(wudu)
    wudu.set_password("Neu#Passwort2026")
    wudu.save()
    assert api(key).status_code == 401
    assert ChangeRecord.objects.filter(object_type="api.apitoken", action="delete").exists()
    _, key = ApiToken.issue(wudu)
    for _ in range(5):
        web_login(Client(), "wudu", "Wrong#pass2021", REMOTE_ADDR="198.51.100.7")
    assert api(key).status_code == 401
    kang = personas["kangxian"]
    _, key = ApiToken.issue(kang)
    kang.is_active = False
    kang.save()
    assert not ApiToken.objects.filter(user=kang).exists()


def test_the_api_schema_and_docs_need_a_login(personas):
    assert Client().get("/api/schema").status_code in (401, 403)
    assert Client().get("/api/docs").status_code in (401, 403)


def test_next_stays_within_the_site(personas, client):
    actions.submit_figures(personas["wudu"], [actions.FigureInput("621202", "fai", 2021, 9, 1.0, 1.0, "")])
    revision = Observation.objects.get().revisions.get()
    client.force_login(personas["tongji"])
    for target in ("https://evil.example/", "//evil.example/x", "http:\\\\evil.example"):
        response = client.post(f"/data/revision/{revision.pk}/approve/", {"next": target})
        assert response.status_code == 302 and "evil" not in response["Location"], target
    response = client.post(f"/data/revision/{revision.pk}/reject/", {"next": "/data/", "reason": "重报"})
    assert response["Location"] == "/data/"


def test_non_staff_get_a_chinese_403_at_admin(personas, client):
    client.force_login(personas["wudu"])
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "仅供管理员" in response.content.decode()
    assert len(response.redirect_chain) <= 2


def test_an_api_write_without_version_on_an_existing_figure_is_409(personas):
    actions.submit_figures(personas["wudu"], [actions.FigureInput("621202", "fai", 2021, 9, 1.0, 1.0, "")])
    _, key = ApiToken.issue(personas["wudu"])
    body = {"figures": [{"region": "621202", "indicator": "fai", "period": "2021-09", "value": 2.0, "growth": 1.0}],
            "reason": "改"}
    response = api(key, "post", "/api/figures", body)
    assert response.status_code == 409 and "version" in response.json()["error"]["message"]
    version = Observation.objects.get().version
    body["figures"][0]["version"] = version
    assert api(key, "post", "/api/figures", body).status_code == 200
    new = {"figures": [{"region": "621202", "indicator": "fai", "period": "2021-10", "value": 2.0, "growth": 1.0}],
           "reason": "新"}
    assert api(key, "post", "/api/figures", new).status_code == 200  # a new figure needs none
