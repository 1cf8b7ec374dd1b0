"""The enterprise ledger: scope by write path, web and import; every change
recorded; a malformed file changes nothing; export → import round trip; pages."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from diaodu.audit.models import ChangeRecord
from diaodu.core import write_path
from diaodu.enterprises.codes import make_credit_code
from diaodu.enterprises.importers import EnterpriseImporter, EnterpriseMonthImporter
from diaodu.enterprises.models import Enterprise, EnterpriseMonth
from diaodu.ingest.problems import IngestError
from diaodu.ingest.readers import read_file
from diaodu.ingest.service import detect_kind, import_file
from diaodu.org import scopes
from diaodu.org.models import Department, Region, Role
from tests.helpers import make_user, table_checksums

WUDU, KANGXIAN = "621202", "621224"
HEADER = ["统一社会信用代码", "企业名称", "所属县区", "行业代码", "行业名称", "是否规上", "入规年份", "生产状态",
          "停产原因", "原因说明", "帮扶措施", "责任人", "责任部门", "备注"]


def enterprise(user, region, serial, **extra):
    values = {"name": f"测试企业{serial}", "industry_code": "C3011", "status": "normal"} | extra
    return write_path.create_record(user, Enterprise(
        credit_code=make_credit_code(region, serial), region=Region.objects.get(code=region),
        department=Department.objects.get(code="gxj"), **values), reason="测试")


@pytest.fixture
def gxj(personas):
    """市工信局's clerk: the department that owns the enterprise ledger."""
    return make_user("gxj", "gxj", [Role.ENTER, Role.APPROVE])


@pytest.fixture
def ledger(personas, gxj):
    wudu = enterprise(personas["wudu"], WUDU, "MA710001", above_scale=True, scale_year=2015)
    kang = enterprise(personas["kangxian"], KANGXIAN, "MA710002", status="stopped", cause="power",
                      measures="协调供电")
    for month in range(1, 11):
        write_path.save_child(personas["wudu"], wudu, EnterpriseMonth(enterprise=wudu, year=2021, month=month,
                                                                   revenue=300, output=310))
        write_path.save_child(personas["kangxian"], kang, EnterpriseMonth(enterprise=kang, year=2021, month=month,
                                                                       revenue=160 if month < 8 else 0, output=0))
    return {"wudu": wudu, "kang": kang}


def data_checksums():
    """Every table but the sessions (a request may touch its session's expiry)."""
    return {k: v for k, v in table_checksums().items() if k != "django_session"}


def write_xlsx(path, header, rows, title="企业"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_county_clerk_writes_only_own_county(personas, ledger, gxj):
    personas = {**personas, "gxj": gxj}
    with pytest.raises(scopes.ScopeError):
        enterprise(personas["wudu"], KANGXIAN, "MA710003")
    with pytest.raises(scopes.ScopeError):
        write_path.update_record(personas["wudu"], ledger["kang"], {"status": "normal", "cause": ""})
    with pytest.raises(scopes.ScopeError):
        write_path.save_child(personas["wudu"], ledger["kang"],
                           EnterpriseMonth(enterprise=ledger["kang"], year=2021, month=11, revenue=1))
    with pytest.raises(scopes.ScopeError):  # moving one's own record to another county
        write_path.update_record(personas["wudu"], ledger["wudu"], {"region": Region.objects.get(code=KANGXIAN)})
    for name in ("leader",):
        with pytest.raises(scopes.ScopeError):
            write_path.update_record(personas[name], ledger["wudu"], {"measures": "x"})
    assert write_path.update_record(personas["kangxian"], ledger["kang"], {"measures": "新措施"})
    assert write_path.update_record(personas["gxj"], ledger["kang"], {"responsible": "市工信局 某某"})  # the owner
    with pytest.raises(scopes.ScopeError):  # another department does not write 工信局's records
        write_path.update_record(personas["fgw"], ledger["kang"], {"responsible": "市发改委 某某"})


def test_web_edit_is_scoped(personas, ledger, client):
    kang = ledger["kang"]
    client.force_login(personas["wudu"])
    page = client.get(f"/enterprises/{kang.pk}/").content.decode()
    assert "只读" in page and 'name="status"' not in page
    before = data_checksums()
    response = client.post(f"/enterprises/{kang.pk}/edit/", {
        "status": "normal", "cause": "", "version": kang.version, "reason": "越权"})
    assert response.status_code == 403
    assert data_checksums() == before

    client.force_login(personas["kangxian"])
    kang.refresh_from_db()
    response = client.post(f"/enterprises/{kang.pk}/edit/", {
        "status": "normal", "cause": "", "cause_note": "", "measures": "已复产", "responsible": "康县 某某",
        "version": kang.version, "reason": "复产"})
    assert response.status_code == 302
    kang.refresh_from_db()
    assert kang.status == "normal" and kang.measures == "已复产"
    record = ChangeRecord.objects.filter(object_type="enterprises.enterprise", object_id=str(kang.pk)).first()
    assert record.action == "update" and record.reason == "复产" and record.username == "kangxian"
    assert record.before["status"] == "stopped" and record.after["status"] == "normal"


def test_web_edit_rejects_a_stale_version_and_invalid_status(personas, ledger, client):
    kang = ledger["kang"]
    client.force_login(personas["kangxian"])
    stale = kang.version
    write_path.update_record(personas["kangxian"], kang, {"measures": "他人先改"})
    client.post(f"/enterprises/{kang.pk}/edit/", {"status": "stopped", "cause": "power", "measures": "我的修改",
                                                  "version": stale})
    kang.refresh_from_db()
    assert kang.measures == "他人先改"
    client.post(f"/enterprises/{kang.pk}/edit/", {"status": "partial", "cause": "", "version": kang.version})
    kang.refresh_from_db()
    assert kang.status == "stopped"  # 半停产 without a cause is refused


def test_every_change_is_recorded(personas, ledger):
    wudu = ledger["wudu"]
    assert ChangeRecord.objects.filter(object_type="enterprises.enterprise", action="create").count() == 2
    assert ChangeRecord.objects.filter(object_type="enterprises.enterprisemonth", action="create").count() == 20
    version = Enterprise.objects.get(pk=wudu.pk).version
    month = wudu.months.get(month=10)
    month.revenue = 999
    assert write_path.save_child(personas["wudu"], wudu, month, reason="更正")
    record = ChangeRecord.objects.first()
    assert record.action == "update" and record.before["revenue"] == "300" and record.after["revenue"] == "999"
    assert Enterprise.objects.get(pk=wudu.pk).version == version + 1
    assert not write_path.save_child(personas["wudu"], wudu, wudu.months.get(month=10))  # unchanged: no record
    write_path.delete_record(personas["wudu"], Enterprise.objects.get(pk=wudu.pk), reason="注销")
    assert ChangeRecord.objects.first().action == "delete"


def test_import_is_scoped(personas, ledger, tmp_path):
    kang = ledger["kang"]
    path = write_xlsx(tmp_path / "e.xlsx", HEADER, [
        [make_credit_code(WUDU, "MA710009"), "武都新企业", "武都区", "C1371", "", "否", None, "正常", "", "", "", "",
         "", ""],
        [kang.credit_code, kang.name, "康县", "C3011", "", "否", None, "正常", "", "", "", "", "", ""],
    ])
    before = table_checksums()
    with pytest.raises(IngestError) as caught:
        import_file(path, personas["wudu"])
    problems = caught.value.problems
    assert [(p.sheet, p.row) for p in problems] == [("企业", 3)]
    assert "无权" in problems[0].message and "所属县区" in problems[0].column
    assert table_checksums() == before
    # a clerk cannot take another county's enterprise by naming their own county
    path = write_xlsx(tmp_path / "f.xlsx", HEADER, [
        [kang.credit_code, kang.name, "武都区", "C3011", "", "否", None, "正常", "", "", "", "", "", ""]])
    with pytest.raises(IngestError):
        import_file(path, personas["wudu"])
    assert table_checksums() == before
    # monthly figures too
    path = write_xlsx(tmp_path / "m.xlsx", ["统一社会信用代码", "年度", "月份", "当月主营业务收入(万元)"],
                      [[kang.credit_code, 2021, 11, 50]])
    with pytest.raises(IngestError) as caught:
        import_file(path, personas["wudu"])
    assert "无权" in caught.value.problems[0].message
    assert table_checksums() == before


def test_malformed_file_changes_nothing(gxj, ledger, tmp_path):
    good = make_credit_code(WUDU, "MA710010")
    corrupted = good[:-1] + ("0" if good[-1] != "0" else "1")
    path = write_xlsx(tmp_path / "bad.xlsx", HEADER, [
        [good, "好企业", "武都区", "C1371", "", "否", None, "正常", "", "", "", "", "", ""],
        [corrupted, "坏代码", "武都区", "C1371", "", "否", None, "正常", "", "", "", "", "", ""],
        [make_credit_code(WUDU, "MA710011"), "无原因停产", "武都区", "C1371", "", "否", None, "停产", "", "", "", "",
         "", ""],
        [make_credit_code(WUDU, "MA710012"), "错状态", "武都区", "C1371", "", "否", None, "倒闭", "", "", "", "", "",
         ""],
        [make_credit_code(WUDU, "MA710013"), "无县区", "火星", "X9", "", "也许", "二〇一五", "正常", "", "", "", "",
         "", ""],
    ])
    before = table_checksums()
    with pytest.raises(IngestError) as caught:
        import_file(path, gxj)
    messages = [(p.row, p.column, p.message) for p in caught.value.problems]
    text = "\n".join(p.text() if hasattr(p, "text") else str(p) for p in caught.value.problems)
    assert table_checksums() == before
    rows = {row for row, _, _ in messages}
    assert rows == {3, 4, 5, 6}
    assert any(row == 3 and "校验位" in msg and "统一社会信用代码" in col for row, col, msg in messages)
    assert any(row == 4 and "原因" in msg for row, _, msg in messages)  # model clean(), reported per row
    assert any(row == 5 and "倒闭" in msg for row, _, msg in messages)
    assert sum(1 for row, _, _ in messages if row == 6) >= 3  # county, industry, bool, year
    assert "企业" in text


def test_export_import_round_trip(gxj, ledger, tmp_path):
    out = tmp_path / "enterprises.xlsx"
    call_command("export", "enterprises", "--out", str(out), verbosity=0)
    months = tmp_path / "months.xlsx"
    call_command("export", "enterprise_months", "--out", str(months), verbosity=0)
    assert load_workbook(out).active.max_row == 3
    assert detect_kind(read_file(out)) == EnterpriseImporter.kind
    assert detect_kind(read_file(months)) == EnterpriseMonthImporter.kind
    before = table_checksums()
    result = import_file(out, gxj)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    result = import_file(months, gxj)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 20)
    assert table_checksums() == before
    # into an empty ledger: the same rows come back
    snapshot = sorted(Enterprise.objects.values_list("credit_code", "name", "region_id", "status", "cause",
                                                     "above_scale", "scale_year", "measures"))
    month_sum = sorted(EnterpriseMonth.objects.values_list("enterprise__credit_code", "month", "revenue"))
    Enterprise.objects.all().delete()
    assert import_file(out, gxj).created == 2
    assert import_file(months, gxj).created == 20
    assert sorted(Enterprise.objects.values_list("credit_code", "name", "region_id", "status", "cause",
                                                 "above_scale", "scale_year", "measures")) == snapshot
    assert sorted(EnterpriseMonth.objects.values_list("enterprise__credit_code", "month", "revenue")) == month_sum


def test_stopped_page_and_candidates(personas, ledger, client):
    from tests.enterprises.test_ledger import enterprise as make

    near = make(personas["wudu"], WUDU, "MA710020", name="暖山农业测试")
    for month in range(1, 11):
        write_path.save_child(personas["wudu"], near, EnterpriseMonth(enterprise=near, year=2021, month=month,
                                                                   revenue=155))
    client.force_login(personas["leader"])
    page = client.get("/enterprises/stopped/", {"region": KANGXIAN}).content.decode()
    assert ledger["kang"].name in page and ledger["wudu"].name not in page and "停产" in page
    page = client.get("/enterprises/stopped/", {"region": "621200"}).content.decode()
    assert ledger["kang"].name in page
    page = client.get("/enterprises/candidates/").content.decode()
    assert "暖山农业测试" in page and "<td>140</td>" in page  # 1860 万元 annualised, 140 short (万元 print as integers)
    assert ledger["wudu"].name not in page  # 规上 already
    for url in ("/enterprises/", f"/enterprises/{near.pk}/", "/enterprises/?status=troubled&region=621224"):
        assert client.get(url).status_code == 200
    client.logout()
    assert client.get("/enterprises/stopped/").status_code == 302  # sign in first


def test_the_audit_page_reads_a_change_in_words(personas, ledger, auditor, client):
    """审计记录 shows what changed as its reader says it: 生产状态：停产 → 正常, the county by name,
    only the fields that changed, never the stored names, codes or Python's None."""
    write_path.update_record(personas["kangxian"], ledger["kang"], {"status": "normal", "cause": "", "measures": ""},
                             reason="复产")
    client.force_login(auditor)
    html = client.get("/audit/", {"kind": "change", "object": "enterprise"}).content.decode()
    row = next(r for r in html.split("<tr>") if "复产" in r)
    cells = [c.split("</td>")[0] for c in row.split("<td")[1:]]
    before, after = (re.sub(r"<[^>]+>", "\n", c.split(">", 1)[1]).split() for c in cells[5:7])
    assert before == ["生产状态：停产", "停产原因：电力", "帮扶措施：协调供电"]
    assert after == ["生产状态：正常", "停产原因：—", "帮扶措施：—"]
    created = next(r for r in html.split("<tr>") if "enterprises.enterprise #" in r and "<td>新增</td>" in r
                   and "测试企业MA710002" in r)
    assert "所属县区：康县" in created and "生产状态：停产" in created and "停产原因：电力" in created
    for raw in ("'status'", "None", "stopped", "power", f"：{KANGXIAN}"):
        assert raw not in row and raw not in created, raw
