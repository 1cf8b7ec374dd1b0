"""The API's contract without the demo: tokens, authentication, CSRF, the error shape,
Chinese unescaped, validation through the import's row checks, scope on writes."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from diaodu.api.models import ApiToken, digest

pytestmark = pytest.mark.django_db

FIGURE = {"region": "621202", "indicator": "gdp", "period": "2021-09", "value": 100.0, "growth": 6.0}


def token_client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user)[1]}")


def post(client, path, body, **extra):
    return client.post(path, json.dumps(body), content_type="application/json", **extra)


def test_api_token_command_prints_the_key_once_and_stores_its_hash(personas):
    out, err = StringIO(), StringIO()
    call_command("api-token", "wudu", "--name", "区系统", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=personas["wudu"])
    assert key.startswith("dd_") and token.key_digest == digest(key) and key not in token.key_digest
    assert "只显示这一次" in err.getvalue()
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/indicators")
    assert response.status_code == 200


def test_without_or_with_a_bad_token_401_in_the_one_error_shape(personas):
    for client in (Client(), Client(HTTP_AUTHORIZATION="Token dd_wrong")):
        response = client.get("/api/figures")
        assert response.status_code == 401
        body = response.json()
        assert set(body) == {"error"} and body["error"]["code"] == "not_authenticated"
        assert set(body["error"]) == {"code", "message", "fields"}


def test_chinese_is_not_escaped(personas):
    response = token_client(personas["wudu"]).get("/api/indicators")
    assert "地区生产总值".encode() in response.content and b"\\u" not in response.content


def test_session_writes_need_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["wudu"])
    assert client.get("/api/figures").status_code == 200
    response = post(client, "/api/figures", {"figures": [FIGURE]})
    assert response.status_code == 403 and "CSRF" in response.json()["error"]["message"]


def test_figures_go_through_the_import_row_checks_in_chinese(personas):
    client = token_client(personas["wudu"])
    response = post(client, "/api/figures", {"figures": [FIGURE, {**FIGURE, "period": "2021-08", "value": -1}]})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"].startswith("第 2 条")
    assert "季度指标" in error["fields"]["figures[1].period"][0]
    assert "负数" in error["fields"]["figures[1].value"][0]


def test_submit_then_stale_version_conflicts_and_other_county_is_forbidden(personas):
    client = token_client(personas["wudu"])
    assert post(client, "/api/figures", {"figures": [FIGURE]}).json() == {"created": 1, "updated": 0, "unchanged": 0}
    figure = client.get("/api/figures?region=621202&period=2021-09").json()["results"][0]
    assert figure["latest"]["version"] == 1 and figure["published"] is None
    changed = {**FIGURE, "value": 101.0, "version": 1}
    assert post(client, "/api/figures", {"figures": [changed]}).status_code == 200
    response = post(client, "/api/figures", {"figures": [{**changed, "value": 102.0}]})
    assert response.status_code == 409 and "已被他人修改" in response.json()["error"]["message"]
    response = post(client, "/api/figures", {"figures": [{**FIGURE, "region": "621224"}]})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    # 康县 reads neither the figure (unpublished) nor its detail
    other = token_client(personas["kangxian"])
    assert other.get("/api/figures?region=621202").json()["count"] == 0
    assert other.get(f"/api/figures/{figure['id']}").status_code == 404


def test_unknown_path_and_method(personas):
    client = token_client(personas["wudu"])
    assert client.get("/api/nothing-here").json()["error"]["code"] == "not_found"
    response = client.delete("/api/figures")
    assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"


def test_schema_needs_a_sign_in_and_documents_the_error_shape(personas):
    assert Client().get("/api/schema").status_code == 401
    assert Client().get("/api/docs").status_code == 401
    client = Client()
    client.force_login(personas["wudu"])
    response = client.get("/api/schema")
    assert response.status_code == 200
    schema = response.json()
    assert "Error" in schema["components"]["schemas"]
    assert "409" in schema["paths"]["/api/figures"]["post"]["responses"]


def test_tokens_are_listed_revoked_and_every_change_recorded(personas):
    from django.core.management.base import CommandError

    from diaodu.audit.models import ChangeRecord

    out = StringIO()
    call_command("api-token", "wudu", "--name", "区系统", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=personas["wudu"])
    created = ChangeRecord.objects.get(object_type="api.apitoken", action="create")
    assert created.after == {"user": "wudu", "name": "区系统", "prefix": token.prefix}
    assert key not in json.dumps(created.after) and created.username.startswith("cli:")

    listing = StringIO()
    call_command("api-token", "--list", stdout=listing)
    assert token.prefix in listing.getvalue() and "wudu" in listing.getvalue() and "从未使用" in listing.getvalue()
    assert key not in listing.getvalue()

    with pytest.raises(CommandError, match="没有以"):
        call_command("api-token", "--revoke", "dd_nothing")
    call_command("api-token", "--revoke", token.prefix, "--reason", "泄露", stdout=StringIO())
    assert not ApiToken.objects.exists()
    revoked = ChangeRecord.objects.get(object_type="api.apitoken", action="delete")
    assert revoked.before["prefix"] == token.prefix and revoked.reason == "泄露"
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/indicators").status_code == 401


def test_admin_revokes_tokens_through_the_recorded_path(personas):
    from diaodu.audit.models import ChangeRecord

    token, key = ApiToken.issue(personas["wudu"], name="区系统")
    clerk = Client()
    clerk.force_login(personas["wudu"])
    assert clerk.get("/admin/api/apitoken/").status_code in (302, 403)  # not a 管理员
    admin = Client()
    admin.force_login(personas["admin"])
    page = admin.get("/admin/api/apitoken/")
    assert page.status_code == 200 and token.prefix in page.content.decode() and key not in page.content.decode()
    assert admin.get("/admin/api/apitoken/add/").status_code == 403  # a key is shown once: the CLI creates them
    response = admin.post(f"/admin/api/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not ApiToken.objects.exists()
    record = ChangeRecord.objects.get(object_type="api.apitoken", action="delete")
    assert record.username == "admin" and record.source == "admin"
