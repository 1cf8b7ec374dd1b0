"""目标责任书: a sheet imports through `diaodu import`, edits are scoped and recorded, the number
drawer and the indicator page name the 责任领导, and a red indicator's task goes to the lead unit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from diaodu.audit.models import ChangeRecord
from diaodu.engine.periods import Period
from diaodu.indicators import actions
from diaodu.indicators.models import TargetResponsibility
from diaodu.org.scopes import ScopeError
from diaodu.supervision.indicator_tasks import sync_indicator_tasks
from diaodu.supervision.models import SupervisionSettings, Task
from tests.helpers import PASSWORD
from tests.ingest.corpus import write_xlsx
from tests.supervision.test_indicators_and_demo import figure, target

pytestmark = pytest.mark.django_db
HEADER = ["区划代码", "单位名称", "指标代码", "年度", "责任领导", "领导职务", "牵头单位", "配合单位", "责任书文号",
          "签订日期", "备注"]


def sheet(tmp_path, *rows):
    return write_xlsx(tmp_path / "责任书.xlsx", [HEADER, *rows], title="目标责任书")


def test_sheet_imports_and_is_recognised_by_its_header(tmp_path, personas):
    path = sheet(
        tmp_path,
        ["621200", "陇南市", "地区生产总值", 2021, "王某某", "常务副市长", "发改委", "市统计局、工信局", "陇政责〔2021〕1号",
         dt.datetime(2021, 2, 20)],
        ["621200", "", "fai", "2021", "王某某", "", "市发改委", "", "", "2021年2月20日"],
    )
    out = io.StringIO()
    call_command("import", str(path), "--user", "tongji", stdout=out)
    assert "新增 2" in out.getvalue()
    gdp = TargetResponsibility.objects.get(indicator__code="gdp")
    assert gdp.leader_label == "王某某（常务副市长）" and gdp.lead_department.name == "市发改委"
    assert sorted(gdp.co_names()) == ["市工信局", "市统计局"] and gdp.document_date == dt.date(2021, 2, 20)
    assert ChangeRecord.objects.filter(object_type__endswith="targetresponsibility", action="create").count() == 2


def test_bad_row_names_sheet_row_column_and_writes_nothing(tmp_path, personas):
    path = sheet(tmp_path, ["621200", "陇南市", "gdp", 2021, "王某某", "", "市发改委"],
                 ["621200", "陇南市", "fai", 2021, "王某某", "", "城建局"])
    from diaodu.ingest.problems import IngestError
    from diaodu.ingest.service import import_file

    with pytest.raises(IngestError) as exc:
        import_file(path, personas["tongji"])
    assert "工作表“目标责任书” 第 3 行 列“G（牵头单位）”：未知的单位“城建局”" in str(exc.value)
    assert TargetResponsibility.objects.count() == 0


def test_scope_and_change_records(personas):
    row = actions.ResponsibilityInput("621200", "gdp", 2021, "王某某", "常务副市长", "fgw", ("tjj",))
    with pytest.raises(ScopeError):
        actions.set_responsibilities(personas["wudu"], [row])
    actions.set_responsibilities(personas["tongji"], [row])
    assert actions.set_responsibilities(personas["tongji"], [row]).unchanged == 1
    changed = actions.ResponsibilityInput("621200", "gdp", 2021, "刘某某", "副市长", "fgw", ("tjj", "gxj"))
    assert actions.set_responsibilities(personas["tongji"], [changed]).updated == 1
    record = ChangeRecord.objects.filter(action="update").latest("id")
    assert record.before["leader"] == "王某某" and record.after["leader"] == "刘某某"


@pytest.fixture
def gdp_pledge(personas):
    target("621200", "gdp", growth=7.0)
    figure("621200", "gdp", value=800.0, growth=4.0, month=9)  # 4.0 vs 7.0: red
    actions.set_responsibilities(personas["tongji"], [actions.ResponsibilityInput(
        "621200", "gdp", 2021, "王某某", "常务副市长", "fgw", ("tjj",), "陇政责〔2021〕1号", dt.date(2021, 2, 20))])


def test_sync_opens_the_task_for_the_lead_unit_and_names_the_leader(gdp_pledge):
    config = SupervisionSettings.get()
    config.indicator_tasks_enabled = True
    config.save()
    result = sync_indicator_tasks(Period(2021, 9), today=dt.date(2021, 10, 20))
    (task,) = result.opened
    task = Task.objects.get(pk=task.pk)
    # Without the pledge the default owner of GDP is 市统计局; the 责任书 says 市发改委 leads.
    assert task.lead_names() == ["市发改委"] and task.co_names() == ["市统计局"]
    assert task.leader == "王某某（常务副市长）" and "陇政责〔2021〕1号" in task.content


def test_drawer_names_the_leader(gdp_pledge, personas):
    c = Client()
    c.login(username="leader", password=PASSWORD)
    html = c.get("/source/?kind=gap&period=2021-09&level=city&indicator=gdp&region=621200",
                 HTTP_HX_REQUEST="true").content.decode()
    assert "目标责任书（2021年）" in html and "王某某（常务副市长）" in html and "市发改委" in html
    # The indicator page is checked on the demo (tests/dashboard/test_pages.py).


def test_web_edit_within_scope(personas):
    c = Client()
    c.login(username="tongji", password=PASSWORD)
    form = {"region": "621200", "indicator": "retail", "year": "2021", "leader": "赵某某", "leader_post": "副市长",
            "lead_department": "swuj", "co_departments": ["tjj"], "document_number": "", "document_date": "2021-02-20",
            "note": "", "reason": "按责任书录入"}
    r = c.post("/data/responsibilities/", form)
    assert r.status_code == 302
    item = TargetResponsibility.objects.get(indicator__code="retail")
    assert item.lead_department.name == "市商务局" and item.co_names() == ["市统计局"]
    page = c.get("/data/responsibilities/").content.decode()
    assert "赵某某（副市长）" in page and "新增或修改" in page
    # A county clerk sees the list but has no form, and a forged post is refused.
    wudu = Client()
    wudu.login(username="wudu", password=PASSWORD)
    assert "新增或修改" not in wudu.get("/data/responsibilities/").content.decode()
    r = wudu.post("/data/responsibilities/", {**form, "leader": "某人"})
    assert r.status_code == 200 and TargetResponsibility.objects.get(indicator__code="retail").leader == "赵某某"
