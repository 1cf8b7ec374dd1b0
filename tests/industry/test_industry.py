"""Chains (链长制) and parks: the graph, parks_due for supervision, scope, change
records, malformed files and round trips; the demo's twelve parks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from diaodu.audit.models import ChangeRecord
from diaodu.core import write_path
from diaodu.industry import demo
from diaodu.industry.graph import chain_graph
from diaodu.industry.models import ChainEnterprise, IndustryChain, Park, split_codes
from diaodu.industry.services import parks_due
from diaodu.ingest.problems import IngestError
from diaodu.ingest.readers import read_file
from diaodu.ingest.service import detect_kind, import_file
from diaodu.org import scopes
from diaodu.org.models import Department, Region, Role
from tests.helpers import make_user, table_checksums

SPEECH_PARKS = ["橄榄新城", "职教科创园", "油橄榄百亿产业带", "中医生物制药百亿产业集群", "有色金属冶炼百亿产业集群",
                "文旅康养百亿产业带", "非金属百亿矿产集群", "新能源百亿产业", "开发区百亿园区", "美丽乡村建设",
                "白酒酿造百亿产业园", "先秦文化百亿产业园"]


@pytest.fixture
def loaded(personas):
    from diaodu.enterprises import demo as enterprise_demo

    users = {"admin": personas["admin"]}
    enterprise_demo.load_demo(users)
    return demo.load_demo(users)


def test_demo_has_the_twelve_parks_and_six_chains(loaded):
    assert sorted(Park.objects.values_list("name", flat=True)) == sorted(SPEECH_PARKS)
    statuses = set(Park.objects.values_list("plan_status", flat=True))
    assert statuses == {"mature", "improve", "new"}
    assert loaded["chains"] == IndustryChain.objects.count() == 6
    for chain in IndustryChain.objects.all():
        assert chain.members.filter(is_leader=True).exists(), chain
        assert {m.segment for m in chain.members.all()} >= {"mid"}
    # chain members in the city are linked to the enterprise ledger
    assert ChainEnterprise.objects.filter(enterprise__isnull=False).count() >= 20
    assert ChangeRecord.objects.filter(object_type="industry.chainenterprise").count() == len(demo.MEMBERS)


def test_parks_due_lists_unfinished_plans_soonest_first(loaded):
    due = parks_due(today=dt.date(2021, 10, 29))
    assert {d.park.name for d in due} == set(Park.objects.exclude(plan_status="mature")
                                             .values_list("name", flat=True))
    assert all(d.deadline == demo.PLAN_DEADLINE and d.days_left == 47 and not d.overdue for d in due)
    assert all(d.lead_unit for d in due)
    assert parks_due(today=dt.date(2021, 10, 29), within_days=30) == []
    late = parks_due(today=dt.date(2021, 12, 20))
    assert late and all(d.overdue and d.days_left == -5 for d in late)


def test_chain_graph_and_page(loaded, personas, client):
    chain = IndustryChain.objects.get(code="metals")
    graph = chain_graph(chain, list(chain.members.all()))
    names = [n["name"] for n in graph["nodes"]]
    assert len(names) == len(set(names))
    assert chain.name in names and "上游" in names and "中游" in names
    leader = next(n for n in graph["nodes"] if n["name"] == "徽县博源有色金属冶炼有限公司")
    assert leader["category"] == 4  # 链主企业
    supply = [link for link in graph["links"] if link.get("value") == "配套"]
    assert len(supply) == 4 and all(link["target"] == leader["name"] for link in supply)
    assert all(link["source"] in names and link["target"] in names for link in graph["links"])
    # Laid out on the server: every node inside the 1000 × 600 canvas, the same on every call,
    # no two nodes on one spot.
    assert all(0 < n["x"] < 1000 and 0 < n["y"] < 600 for n in graph["nodes"])
    again = chain_graph(chain, list(chain.members.all()))
    assert [(n["x"], n["y"]) for n in again["nodes"]] == [(n["x"], n["y"]) for n in graph["nodes"]]
    assert len({(n["x"], n["y"]) for n in graph["nodes"]}) == len(names)
    client.force_login(personas["leader"])
    page = client.get("/industry/chains/metals/").content.decode()
    assert 'id="chain-graph"' in page and "chain-graph-data" in page and "vendor/echarts/echarts.min.js" in page
    assert client.get("/industry/chains/nope/").status_code == 404
    page = client.get("/industry/parks/").content.decode()
    assert all(name in page for name in SPEECH_PARKS)
    assert "有色金属产业链" in client.get("/industry/").content.decode()


def test_scope_and_change_records(personas):
    gxj = Department.objects.get(code="gxj")
    gxj_clerk = make_user("gxj", "gxj", [Role.ENTER])
    with pytest.raises(scopes.ScopeError):  # a department writes the chains it leads, not others'
        write_path.create_record(personas["fgw"], IndustryChain(code="c0", name="他人链", chief="链长", year=2021,
                                                             department=gxj))
    chain = write_path.create_record(gxj_clerk, IndustryChain(code="c1", name="测试链", chief="链长", year=2021,
                                                                 department=gxj))
    with pytest.raises(scopes.ScopeError):  # a county clerk cannot edit a city-level chain
        write_path.update_record(personas["wudu"], chain, {"chief": "某"})
    with pytest.raises(scopes.ScopeError):
        write_path.save_child(personas["wudu"], chain, ChainEnterprise(chain=chain, name="甲", segment="up"))
    park = write_path.create_record(personas["fgw"], Park(code="p1", name="测试园", plan_status="new",
                                                       plan_deadline=dt.date(2021, 12, 15),
                                                       region=Region.objects.get(code="621227")))
    with pytest.raises(scopes.ScopeError):
        write_path.update_record(personas["wudu"], park, {"plan_status": "mature"})
    assert write_path.update_record(personas["fgw"], park, {"plan_done_on": dt.date(2021, 12, 1)}, reason="已完成")
    record = ChangeRecord.objects.first()
    assert record.action == "update" and record.after["plan_done_on"] == "2021-12-01" and record.reason == "已完成"
    with pytest.raises(Exception, match="编制期限"):
        write_path.create_record(personas["fgw"], Park(code="p2", name="无期限", plan_status="improve"))


def test_round_trip_and_malformed(loaded, personas, tmp_path):
    for kind in ("chains", "chain-members", "parks"):
        out = tmp_path / f"{kind}.xlsx"
        call_command("export", kind, "--out", str(out), verbosity=0)
        assert detect_kind(read_file(out)) == kind
        before = table_checksums()
        result = import_file(out, personas["admin"])
        assert result.created == result.updated == 0 and result.unchanged > 0, kind
        assert table_checksums() == before
    wb = Workbook()
    ws = wb.active
    ws.title = "园区"
    ws.append(["园区代码", "园区名称", "规划状态", "牵头部门", "规划编制期限"])
    ws.append(["liquor", "白酒酿造百亿产业园", "完成了", "市工信局", "2021-12-15"])
    ws.append(["new-one", "新园区", "新增", "不存在的局", "明年"])
    ws.append(["new-two", "新园区二", "待完善", "市工信局", ""])
    wb.save(tmp_path / "bad.xlsx")
    before = table_checksums()
    with pytest.raises(IngestError) as caught:
        import_file(tmp_path / "bad.xlsx", personas["admin"])
    assert {p.row for p in caught.value.problems} == {2, 3, 4}
    assert any(p.row == 4 and "编制期限" in p.message for p in caught.value.problems)
    assert table_checksums() == before
    # a county clerk cannot import a city-level chain's members
    with pytest.raises(IngestError) as caught:
        import_file(tmp_path / "chain-members.xlsx", personas["wudu"])
    assert all("无权" in p.message for p in caught.value.problems)
    assert table_checksums() == before


def test_split_codes():
    assert split_codes("A-1、B-2，C-3; D-4\nE-5 ") == ["A-1", "B-2", "C-3", "D-4", "E-5"]
    assert split_codes("") == []
