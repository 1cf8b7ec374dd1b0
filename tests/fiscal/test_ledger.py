"""Fiscal ledgers: 市级 vs 全市, scope, change records, malformed files, round trips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from diaodu.audit.models import ChangeRecord
from diaodu.core import write_path
from diaodu.fiscal import services
from diaodu.fiscal.models import BudgetExecution, GapParameters, LandParcel, SpecialBond
from diaodu.ingest.problems import IngestError
from diaodu.ingest.readers import read_file
from diaodu.ingest.service import detect_kind, import_file
from diaodu.org import scopes
from diaodu.org.models import Department, Region, Role
from tests.helpers import make_user, table_checksums

BUDGET_HEADER = ["单位", "年度", "月份", "科目", "年初预算(亿元)", "累计完成(亿元)", "责任部门", "备注"]


def write_xlsx(path, header, rows, title="预算执行"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def czj(personas):
    """市财政局's clerk: the department that owns the fiscal ledgers."""
    return make_user("czj", "czj", [Role.ENTER, Role.APPROVE])


@pytest.fixture
def fiscal(personas, czj):
    city, wudu, kang = (Region.objects.get(code=c) for c in ("621200", "621202", "621224"))
    dept = Department.objects.get(code="czj")
    for region, budget, actual in ((city, "6.2", "0.93"), (wudu, "2.2", "2.64"), (kang, "2.8", "0.78")):
        write_path.create_record(czj, BudgetExecution(region=region, year=2021, month=10, item="land_revenue",
                                                   budget=Decimal(budget), actual=Decimal(actual),
                                                   department=dept))
    write_path.create_record(czj, LandParcel(code="LN-1", location="东江新区", region=city, fee_due=21800,
                                          fee_paid=6500, sold_on=dt.date(2021, 3, 18), unit="市自然资源局",
                                          department=dept))
    write_path.create_record(czj, SpecialBond(code="ZX-1", name="老旧小区", region=kang, year=2021, allocated=7000,
                                           spent=4600, department=dept))
    write_path.create_record(czj, GapParameters(region=city, year=2021, transfers=20, carryover=1, remittance=0.5,
                                             land_share=Decimal("0.6"), rigid_need=30, department=dept))
    return {"city": city, "wudu": wudu, "kang": kang}


def test_whole_city_is_city_level_plus_counties(fiscal):
    rows = services.execution_table(2021, 10)
    assert [r.label for r in rows[:3]] == ["全市", "市级", "武都区"]
    land = rows[0].cells["land_revenue"]
    assert land.actual == pytest.approx(0.93 + 2.64 + 0.78)
    assert land.budget == pytest.approx(6.2 + 2.2 + 2.8)
    assert land.rate == pytest.approx((0.93 + 2.64 + 0.78) / 11.2)
    assert rows[1].cells["land_revenue"].gap == pytest.approx(0.93 / 6.2 - 10 / 12)
    assert rows[1].cells["revenue_general"].actual is None  # absent, not zero


def test_scope_city_level_and_other_counties(personas, czj, fiscal):
    line = BudgetExecution.objects.get(region_id="621200")
    with pytest.raises(scopes.ScopeError):  # 市级 belongs to the city's departments
        write_path.update_record(personas["wudu"], line, {"actual": Decimal("5")})
    with pytest.raises(scopes.ScopeError):
        write_path.update_record(personas["wudu"], BudgetExecution.objects.get(region_id="621224"),
                              {"actual": Decimal("5")})
    with pytest.raises(scopes.ScopeError):  # another department
        write_path.update_record(personas["fgw"], line, {"actual": Decimal("5")})
    assert write_path.update_record(czj, line, {"note": "市财政局"})
    assert write_path.update_record(personas["wudu"], BudgetExecution.objects.get(region_id="621202"),
                                 {"actual": Decimal("2.70")}, reason="更正")
    record = ChangeRecord.objects.first()
    assert record.object_type == "fiscal.budgetexecution" and record.before["actual"] == "2.64"
    assert record.after["actual"] == "2.7"


def test_import_scope(personas, czj, fiscal, tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", BUDGET_HEADER, [
        ["武都区", 2021, 10, "土地出让收入", 2.2, 2.7, "", ""],
        ["市级", 2021, 10, "土地出让收入", 6.2, 5.0, "", ""],
        ["康县", 2021, 10, "其中：土地出让收入", 2.8, 1.0, "", ""],
    ])
    before = table_checksums()
    with pytest.raises(IngestError) as caught:
        import_file(path, personas["wudu"])
    assert sorted(p.row for p in caught.value.problems) == [3, 4]
    assert all("无权" in p.message for p in caught.value.problems)
    assert table_checksums() == before
    result = import_file(path, czj)
    assert (result.created, result.updated) == (0, 3)
    assert float(BudgetExecution.objects.get(region_id="621200").actual) == 5.0


def test_malformed_budget_file_changes_nothing(personas, czj, fiscal, tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", BUDGET_HEADER, [
        ["市级", 2021, 10, "一般公共预算收入", 4.3, 4.3, "", ""],
        ["市级", 2021, 13, "一般公共预算收入", 4.3, 4.3, "", ""],
        ["兰州市", 2021, 10, "一般公共预算收入", 4.3, 4.3, "", ""],
        ["市级", 2021, 10, "彩票收入", 4.3, "四点三", "", ""],
        ["市级", 2021, 10, "一般公共预算收入", -1, 1, "", ""],
        ["市级", 2021, 10, "一般公共预算收入", 4.3, 4.3, "", ""],
    ])
    before = table_checksums()
    with pytest.raises(IngestError) as caught:
        import_file(path, czj)
    found = {(p.sheet, p.row) for p in caught.value.problems}
    assert found == {("预算执行", r) for r in (3, 4, 5, 6, 7)}
    by_row = {p.row: p for p in caught.value.problems}
    assert "月份" in by_row[3].column and "大于 12" in by_row[3].message
    assert "不是市级或本市县区" in by_row[4].message
    assert "重复" in by_row[7].message
    assert table_checksums() == before


def test_parcels_bonds_and_gap_round_trip(personas, czj, fiscal, tmp_path):
    for kind in ("budget-lines", "land-parcels", "special-bonds", "fiscal-gap"):
        out = tmp_path / f"{kind}.xlsx"
        call_command("export", kind, "--out", str(out), verbosity=0)
        assert detect_kind(read_file(out)) == kind
        before = table_checksums()
        result = import_file(out, czj)
        assert result.created == result.updated == 0 and result.unchanged >= 1, kind
        assert table_checksums() == before, kind
    # the 市级 unit exports as 市级, not as the whole city's name
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "budget-lines.xlsx").active["A2"].value == "市级"
    # a CSV round trip into empty tables
    out = tmp_path / "parcels.csv"
    call_command("export", "land_parcels", "--out", str(out), verbosity=0)  # the earlier name still exports
    LandParcel.objects.all().delete()
    assert import_file(out, czj).created == 1
    parcel = LandParcel.objects.get()
    assert parcel.unpaid == 15300 and parcel.unit_name == "市自然资源局"


def test_parcel_and_bond_rules(personas, czj, fiscal, tmp_path):
    header = ["宗地编号", "宗地位置", "单位", "应缴出让金(万元)", "已缴(万元)"]
    path = write_xlsx(tmp_path / "p.xlsx", header, [["LN-2", "北山", "市级", 100, 120]], title="宗地")
    with pytest.raises(IngestError) as caught:
        import_file(path, czj)
    problem = caught.value.problems[0]
    assert (problem.sheet, problem.row) == ("宗地", 2) and "已缴" in problem.column
    header = ["债券项目编号", "项目名称", "单位", "年度", "分配额度(万元)", "已支出(万元)"]
    path = write_xlsx(tmp_path / "z.xlsx", header, [["ZX-2", "供水", "康县", 2021, 100, 150]], title="债券")
    with pytest.raises(IngestError) as caught:
        import_file(path, czj)
    assert "已支出不能大于分配额度" in caught.value.problems[0].message


def test_pages(personas, fiscal, client):
    client.force_login(personas["kangxian"])
    page = client.get("/fiscal/").content.decode()
    assert "市级仅入库" in page and "15.0%" in page  # 0.93 / 6.2
    assert "财力缺口" in client.get("/fiscal/gap/").content.decode()
    assert "15,300.00" in client.get("/fiscal/parcels/?unpaid=1").content.decode()
    assert "65.7%" in client.get("/fiscal/bonds/").content.decode()  # 4600 / 7000
