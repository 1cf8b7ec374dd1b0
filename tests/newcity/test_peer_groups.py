"""Named peer groups (比较组) in a city set up from nothing (定西市, not the demo's 陇南): the default
groups rank exactly like today's levels; a custom group ranks its members among themselves, its
coverage (已报 n/m) over them, through ``compute.ranks(group=…)`` and ``diaodu rank --group``."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from diaodu.engine.peers import UnknownGroup
from diaodu.engine.periods import Period
from diaodu.evaluation import compute, frames
from diaodu.indicators import actions
from diaodu.org.models import PeerGroup, Region

CITY = "621100"  # 定西市
COUNTIES = ["621102", "621121", "621122", "621123", "621124", "621125", "621126"]
PERIOD = Period(2026, 3)
# Growths of the counties with a figure (the last three have none); 临洮 grows fastest.
GROWTHS = {"621102": 5.0, "621121": 4.0, "621122": 6.5, "621124": 7.0}
SAME = ["region_code", "value", "growth", "rank_growth", "rank_total", "bottom_growth", "peer_count",
        "ranked_growth", "coverage_growth", "note"]


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def dingxi(db, monkeypatch):
    monkeypatch.setenv("DIAODU_PASSWORD", "Dingxi#2026pw")
    run("setup-city", CITY)
    run("adduser", "tjj", "--unit", "市统计局", "--roles", "数据填报,数据审核", "--name", "统计员")
    tjj = get_user_model().objects.get(username="tjj")
    rows = [actions.FigureInput(CITY, "gdp", 2026, 3, 1000.0, 5.5)]
    rows += [actions.FigureInput(code, "gdp", 2026, 3, 100.0 + n, g) for n, (code, g) in enumerate(GROWTHS.items())]
    actions.submit_figures(tjj, rows, publish=True, official_release=True, source="test", reason="测试")
    actions.release_period(tjj, PERIOD, source="test")
    return tjj


def table(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(row[c] for c in SAME) for row in rows)


def test_the_default_groups_rank_exactly_like_the_levels(dingxi):
    groups = frames.peer_groups()
    assert set(groups.loc[groups["group"] == f"{CITY}-children", "region"]) == set(COUNTIES)
    counties = compute.ranks(PERIOD, "county", "gdp")
    assert len(counties) == len(COUNTIES) and counties[0]["peer_count"] == len(COUNTIES)
    assert table(compute.ranks(PERIOD, group=f"{CITY}-children", indicator="gdp")) == table(counties)
    cities = compute.ranks(PERIOD, "city", "gdp")
    assert cities and table(compute.ranks(PERIOD, group="620000-children", indicator="gdp")) == table(cities)


def test_a_custom_group_ranks_its_members_among_themselves(dingxi, settings):
    settings.DIAODU_RANK_MIN_COVERAGE = 60
    group = PeerGroup.objects.create(code="weihe", name="渭河源区县")
    group.members.set(Region.objects.filter(code__in=["621102", "621121", "621123"]))  # 渭源 has no figure
    rows = {r["region_code"]: r for r in compute.ranks(PERIOD, indicator="gdp", group="weihe")}
    assert set(rows) == {"621102", "621121", "621123"}  # the member without a figure is listed
    assert rows["621102"]["rank_growth"] == 1 and rows["621121"]["rank_growth"] == 2  # 3rd and 4th in the city
    assert rows["621123"]["rank_growth"] is None and "未报告" in rows["621123"]["note"]
    assert {r["peer_count"] for r in rows.values()} == {3}
    assert {r["coverage_growth"] for r in rows.values()} == {"已报 2/3"}
    assert rows["621102"]["position_growth"] == "渭河源区县第1位（已报 2/3）"
    assert rows["621102"]["group_name"] == "渭河源区县"
    # below the required share (2/3 < 80%) no position is stated: 数据不全, and why
    settings.DIAODU_RANK_MIN_COVERAGE = 80
    low = {r["region_code"]: r for r in compute.ranks(PERIOD, indicator="gdp", group="weihe")}
    assert low["621102"]["rank_growth"] is None and low["621102"]["position_growth"] == "数据不全（已报 2/3）"


def test_editing_a_group_changes_its_ranks_at_once(dingxi):
    group = PeerGroup.objects.create(code="weihe", name="渭河源区县")
    group.members.set(Region.objects.filter(code__in=["621102", "621121"]))
    before = {r["region_code"]: r["rank_growth"] for r in compute.ranks(PERIOD, indicator="gdp", group="weihe")}
    assert before == {"621102": 1, "621121": 2}
    group.members.add(Region.objects.get(code="621124"))  # the data's fingerprint does not change
    after = {r["region_code"]: r["rank_growth"] for r in compute.ranks(PERIOD, indicator="gdp", group="weihe")}
    assert after == {"621124": 1, "621102": 2, "621121": 3}


def test_rank_command_with_a_group(dingxi, settings, capsys):
    settings.DIAODU_RANK_MIN_COVERAGE = 60
    group = PeerGroup.objects.create(code="weihe", name="渭河源区县")
    group.members.set(Region.objects.filter(code__in=["621102", "621121", "621123"]))
    text = run("rank", "--period", "2026-03", "--indicator", "gdp", "--group", "weihe")
    assert "安定区" in text and "渭源县" in text and "陇西县" not in text and "已报 2/3" in text
    run("rank", "--period", "2026-03", "--indicator", "gdp", "--group", "weihe", "--json")  # prints to sys.stdout
    rows = json.loads(capsys.readouterr().out)
    assert [r["region_code"] for r in rows if r["rank_growth"]] == ["621102", "621121"]
    with pytest.raises(CommandError, match="没有代码为“nope”的比较组.*weihe"):
        run("rank", "--period", "2026-03", "--group", "nope")
    with pytest.raises(UnknownGroup):
        compute.ranks(PERIOD, group="nope")


def test_api_ranks_with_a_group(dingxi, client, settings):
    settings.DIAODU_RANK_MIN_COVERAGE = 60
    group = PeerGroup.objects.create(code="weihe", name="渭河源区县")
    group.members.set(Region.objects.filter(code__in=["621102", "621121", "621123"]))
    client.force_login(dingxi)
    body = client.get("/api/results/ranks?period=2026-03&indicator=gdp&group=weihe").json()
    assert body["group"] == "weihe" and {r["region_code"] for r in body["rows"]} == {"621102", "621121", "621123"}
    assert {r["position_growth"] for r in body["rows"] if r["region_code"] == "621102"} == {"渭河源区县第1位（已报 2/3）"}
    unknown = client.get("/api/results/ranks?period=2026-03&group=nope")
    assert unknown.status_code == 400 and "nope" in unknown.json()["error"]["fields"]["group"][0]
    plain = client.get("/api/results/ranks?period=2026-03&indicator=gdp&level=county").json()
    assert plain["level"] == "county" and len(plain["rows"]) == len(COUNTIES)
