"""GET /api/responsibilities: the 目标责任书, read like the targets (any signed-in caller; the
API's one error shape; listed in the OpenAPI schema). Not on the demo: two rows written by the
statistics approver through the indicators' write path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from diaodu.api.models import ApiToken
from diaodu.indicators import actions

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user)[1]}")


@pytest.fixture
def responsibilities(personas):
    rows = [
        actions.ResponsibilityInput("621200", "gdp", 2021, "王某某", "常务副市长", "fgw", ("tjj", "gxj"),
                                    document_number="陇政责〔2021〕1号", document_date=dt.date(2021, 2, 20)),
        actions.ResponsibilityInput("621224", "fai", 2022, "李某某", "县长", "fgw"),
    ]
    actions.set_responsibilities(personas["tongji"], rows)


def test_list_and_filters(personas, responsibilities):
    client = api(personas["kangxian"])  # a county clerk reads the city's, as with targets
    body = client.get("/api/responsibilities").json()
    assert [(r["region"], r["indicator"], r["year"]) for r in body["results"]] == [
        ("621200", "gdp", 2021), ("621224", "fai", 2022)]
    gdp = body["results"][0]
    assert gdp["leader"] == "王某某" and gdp["leader_post"] == "常务副市长"
    assert gdp["lead_department"] == {"code": "fgw", "name": "市发改委"}
    assert sorted(d["code"] for d in gdp["co_departments"]) == ["gxj", "tjj"]
    assert gdp["document_number"] == "陇政责〔2021〕1号" and gdp["document_date"] == "2021-02-20"
    assert gdp["version"] == 1
    only = client.get("/api/responsibilities?year=2022&region=621224").json()["results"]
    assert [r["indicator"] for r in only] == ["fai"]
    assert client.get("/api/responsibilities?indicator=gdp&year=2022").json()["results"] == []


def test_errors_in_the_one_shape(personas, responsibilities):
    anonymous = Client().get("/api/responsibilities")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "not_authenticated"
    bad = api(personas["wudu"]).get("/api/responsibilities?year=abc")
    assert bad.status_code == 400
    assert "year" in bad.json()["error"]["fields"] and bad.json()["error"]["message"]
    # Read only: no write method.
    assert api(personas["admin"]).post("/api/responsibilities", {}).status_code == 405


def test_in_the_schema(personas):
    client = Client()
    client.force_login(personas["leader"])
    schema = client.get("/api/schema").json()
    operation = schema["paths"]["/api/responsibilities"]["get"]
    assert operation["summary"] == "目标责任书"
    assert {p["name"] for p in operation["parameters"]} >= {"region", "indicator", "year"}
    assert "lead_department" in schema["components"]["schemas"]["Responsibility"]["properties"]
