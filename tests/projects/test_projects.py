"""Project ledger: scope (web and import), change records, optimistic version, derived lists,
import all-or-nothing and the export → import round trip."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from openpyxl import Workbook

from diaodu.audit.models import ChangeRecord
from diaodu.engine.periods import Period
from diaodu.ingest.problems import IngestError
from diaodu.ingest.service import import_file
from diaodu.org.models import Region
from diaodu.org.scopes import ScopeError
from diaodu.projects import actions, importers, queries
from diaodu.projects.models import ProgressReport, Project
from tests.helpers import PASSWORD, table_checksums

OCT = Period(2021, 10)


def checksums() -> dict:
    """Every table but the session store (a web request may refresh its session)."""
    return {k: v for k, v in table_checksums().items() if k != "django_session"}


def _client(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def _post_data(project, **changes):
    from diaodu.projects.forms import PROJECT_FIELDS

    data = {}
    for name in PROJECT_FIELDS:
        value = getattr(project, name)
        data[name] = "" if value is None else getattr(value, "pk", value)
    data.update(version=project.version, reason="测试修改", **changes)
    return data


def test_derived_lists(ledger):
    qs = Project.objects.all()
    behind = {r.project.code: r for r in queries.behind_plan(qs, OCT)}
    assert set(behind) == {"P-WD-1", "P-KX-1", "P-WD-Q4", "P-WD-NS", "P-WD-SMALL"}
    assert behind["P-WD-1"].ytd == Decimal("0.5")
    assert behind["P-WD-1"].gap == pytest.approx(0.5)  # 1.2 × 10/12 − 0.5
    assert [r.project.code for r in queries.behind_plan(queries.region_filter(qs, "621224"), OCT)] == ["P-KX-1"]
    assert [r.project.code for r in queries.idle_since_batch(qs, OCT)] == ["P-WD-Q4"]
    assert {k: [p.code for p in v] for k, v in queries.not_started(qs, OCT).items()} == {"征地拆迁": ["P-WD-WAIT"]}
    assert [p.code for p in queries.not_in_statistics(qs)] == ["P-WD-NS"]  # the 0.03 亿元 one is not eligible
    table = {r.region.code: r for r in queries.county_table(OCT)}
    assert table["621202"].ytd == Decimal("1.6") and table["621202"].behind == 4
    assert table["621224"].completion == 0


def test_progress_accumulates_and_is_recorded(ledger):
    fgw, wd1 = ledger["fgw"], ledger["wd1"]
    report = actions.report_progress(fgw, wd1, 2021, 10, Decimal("0.4"), physical_progress="主体封顶")
    assert report.completed_ytd == Decimal("0.9")  # 0.5 by September + 0.4
    actions.report_progress(fgw, wd1, 2021, 10, Decimal("0.5"), physical_progress="主体封顶")
    record = ChangeRecord.objects.filter(object_type="projects.progressreport", action="update").latest("id")
    assert record.before["completed_month"] == "0.4" and record.after["completed_month"] == "0.5"
    assert record.before["completed_ytd"] == "0.9" and record.after["completed_ytd"] == "1"


def test_county_reports_only_its_own_projects(ledger):
    with pytest.raises(ScopeError):
        actions.report_progress(ledger["kangxian"], ledger["wd1"], 2021, 10, Decimal("0.1"))
    actions.report_progress(ledger["kangxian"], ledger["kx"], 2021, 10, Decimal("0.1"))
    with pytest.raises(ScopeError):
        actions.update_project(ledger["leader"], ledger["kx"], {"name": "改名"})


def test_web_scope_and_change_record(ledger, client):
    wd1 = ledger["wd1"]
    c = _client(client, ledger["kangxian"])
    before = checksums()
    assert c.post(f"/projects/{wd1.pk}/edit/", _post_data(wd1, name="康县改的")).status_code == 403
    assert c.post(f"/projects/{wd1.pk}/progress/", {"year": 2021, "month": 10, "completed_month": "1"}).status_code == 403
    assert checksums() == before
    c.logout()
    c = _client(client, ledger["wudu"])
    response = c.post(f"/projects/{wd1.pk}/edit/", _post_data(wd1, leader="区长", lists=[ledger["list"].pk]))
    assert response.status_code == 302
    wd1.refresh_from_db()
    assert wd1.leader == "区长" and wd1.version == 2 and list(wd1.lists.all()) == [ledger["list"]]
    records = ChangeRecord.objects.filter(object_type="projects.project", object_id=str(wd1.pk)).order_by("id")
    update = records.filter(action="update", before__has_key="leader").get()
    assert update.before["leader"] == "" and update.after["leader"] == "区长" and update.username == "wudu"
    assert records.filter(after__lists=[ledger["list"].pk]).exists()
    page = c.get(f"/projects/{wd1.pk}/").content.decode()
    assert "包抓领导：— → 区长" in page or "包抓领导： → 区长" in page  # fields by their Chinese names


def test_stale_version_is_refused(ledger, client):
    wd1 = ledger["wd1"]
    c = _client(client, ledger["wudu"])
    stale = _post_data(wd1, leader="甲")
    assert c.post(f"/projects/{wd1.pk}/edit/", _post_data(wd1, leader="乙")).status_code == 302
    response = c.post(f"/projects/{wd1.pk}/edit/", stale, follow=True)
    assert "已被他人修改" in response.content.decode()
    wd1.refresh_from_db()
    assert wd1.leader == "乙"


def test_pages_render(ledger, client):
    c = _client(client, ledger["leader"])
    for url in ["/projects/", "/projects/?region=621202&stage=continuing", "/projects/behind/?region=621224&period=2021-10",
                "/projects/idle/?period=2021-10", "/projects/not-started/", "/projects/statistics/",
                "/projects/counties/?period=2021-10", "/projects/reserve/", f"/projects/{ledger['wd1'].pk}/"]:
        assert c.get(url).status_code == 200, url
    page = c.get("/projects/behind/?region=621224&period=2021-10").content.decode()
    assert "P-KX-1" in page and "P-WD-1" not in page


def _write(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "重点项目"
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_malformed_import_changes_nothing(ledger, tmp_path):
    path = tmp_path / "项目.xlsx"
    header = [f.label for f in importers.ProjectImporter.fields]
    good = importers.ProjectImporter.export_value
    row = [good(f, getattr(ledger["wd1"], f.name)) for f in importers.ProjectImporter.fields]
    bad = list(row)
    bad[0] = "P-NEW-1"
    bad[header.index("计划总投资（亿元）")] = "很多"
    _write(path, [header, row, bad])
    before = checksums()
    with pytest.raises(IngestError) as info:
        import_file(path, ledger["fgw"])
    assert checksums() == before
    text = str(info.value)
    assert "重点项目" in text and "3" in text and "计划总投资" in text and "不是数字" in text


def test_county_cannot_import_another_countys_project(ledger, tmp_path):
    path = tmp_path / "项目.xlsx"
    importers.export_projects(path)
    before = checksums()
    with pytest.raises(IngestError) as info:
        import_file(path, ledger["kangxian"])
    assert "无权修改该记录" in str(info.value)
    assert checksums() == before


def test_export_import_round_trip_changes_nothing(ledger, tmp_path):
    projects, progress = tmp_path / "projects.xlsx", tmp_path / "progress.csv"
    assert importers.export_projects(projects) == Project.objects.count()
    assert importers.export_progress(progress) == ProgressReport.objects.count()
    before = checksums()
    result = import_file(projects, ledger["fgw"])
    assert (result.created, result.updated, result.unchanged) == (0, 0, Project.objects.count())
    result = import_file(progress, ledger["fgw"])
    assert (result.created, result.updated, result.unchanged) == (0, 0, ProgressReport.objects.count())
    assert checksums() == before


def test_progress_import_scope_and_create(ledger, tmp_path):
    path = tmp_path / "progress.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["统一项目代码", "年度", "月份", "本月完成投资（亿元）", "本年累计完成投资（亿元）", "实物工程量"])
    sheet.append(["P-KX-1", 2021, 10, 0.2, 0.2, "路基完成"])
    sheet.append(["P-WD-1", 2021, 10, 0.2, 0.7, ""])
    book.save(path)
    with pytest.raises(IngestError) as info:
        import_file(path, ledger["kangxian"])
    # Row 3 (武都's project) is refused; row 2 (康县's own) is not the problem.
    assert "第 3 行" in str(info.value) and "无权修改" in str(info.value)
    assert "第 2 行" not in str(info.value)
    assert not ProgressReport.objects.filter(project__code="P-KX-1").exists()
    result = import_file(path, ledger["fgw"])
    assert result.created == 2
    assert ChangeRecord.objects.filter(object_type="projects.progressreport", source="import").count() == 2


def test_export_command(ledger, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "p.xlsx"
    call_command("export", "projects", "--out", str(out))
    assert out.exists()


def test_admin_goes_through_the_write_path(ledger, client):
    from tests.helpers import make_user

    clerk = make_user("kx_staff", "621224", ["enter"], staff=True)
    client.login(username=clerk.username, password=PASSWORD)
    wd1, kx = ledger["wd1"], ledger["kx"]
    assert client.get(f"/admin/projects/project/{wd1.pk}/change/").status_code in (200, 403)
    before = checksums()
    data = _post_data(wd1, leader="康县改的")
    data.pop("version"), data.pop("reason")
    data["lists"] = []
    response = client.post(f"/admin/projects/project/{wd1.pk}/change/", data)
    assert response.status_code == 403 or "康县改的" not in Project.objects.get(pk=wd1.pk).leader
    assert checksums() == before
    data = _post_data(kx, leader="康县县长")
    data.pop("version"), data.pop("reason")
    data["lists"] = []
    response = client.post(f"/admin/projects/project/{kx.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = ChangeRecord.objects.filter(object_type="projects.project", source="admin").get()
    assert record.after["leader"] == "康县县长" and record.username == "kx_staff"


@pytest.mark.parametrize("url", ["/projects/new/", "/investment/new/", "/ledgers/projects/new/"])
def test_region_choices_are_the_home_citys_units(ledger, client, url):
    """A form's 组织地区 offers the home city and its 县区, not the country's 2,800 县区 (which
    also made the form take most of a second to draw)."""
    page = _client(client, ledger["admin"]).get(url).content.decode()
    select = re.search(r'<select name="region"[^>]*>(.*?)</select>', page, re.S).group(1)
    offered = set(re.findall(r'<option value="(\d+)"', select))
    assert offered == set(Region.objects.home_units().values_list("code", flat=True))
    assert len(offered) == 1 + Region.objects.home_counties().count()
