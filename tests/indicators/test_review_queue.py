"""The review queue: a period's figures with their status, changes and warnings; many reviewed in
one action, one change record per figure under one batch id; the same through the API."""

from __future__ import annotations

import pytest
from django.test import Client

from diaodu.audit.models import ChangeRecord
from diaodu.indicators import actions
from diaodu.indicators.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered(personas):
    actions.submit_figures(personas["tongji"], [
        actions.FigureInput("621202", "retail", 2021, 10, 70.0, 8.0, ""),
        actions.FigureInput("621224", "retail", 2021, 10, 30.0, 7.0, ""),
    ], publish=True, official_release=True, reason="测试：统计局正式发布")
    actions.submit_figures(personas["wudu"], [actions.FigureInput("621202", "retail", 2021, 11, 78.0, 8.2, "")])
    actions.submit_figures(personas["kangxian"], [actions.FigureInput("621224", "retail", 2021, 11, 33.0, 7.1, "")])
    return personas


def test_the_queue_shows_the_period_with_last_month_and_last_year(entered):
    client = Client()
    client.force_login(entered["tongji"])
    html = client.get("/data/review/?period=2021-11").content.decode()
    assert html.count('class="row-check"') == 2
    assert "70.00 / 8.0" in html and "8.00（增速 0.2 个百分点）" in html


def test_publish_many_in_one_action_one_record_each_one_batch(entered):
    client = Client()
    client.force_login(entered["tongji"])
    ids = list(Observation.objects.filter(year=2021, month=11).values_list("pk", flat=True))
    response = client.post("/data/review/", {"ids": ids, "action": "publish", "period": "2021-11"}, follow=True)
    assert "已发布 2 条" in response.content.decode()
    assert set(Observation.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"published"}
    records = ChangeRecord.objects.filter(object_type="indicators.observation", action="publish",
                                          object_id__in=[str(i) for i in ids])
    assert records.count() == 2 and len({r.after["batch"] for r in records}) == 1


def test_reject_needs_a_reason_and_a_clerk_cannot_review(entered):
    client = Client()
    client.force_login(entered["tongji"])
    ids = list(Observation.objects.filter(year=2021, month=11).values_list("pk", flat=True))
    response = client.post("/data/review/", {"ids": ids, "action": "reject", "period": "2021-11"}, follow=True)
    assert "退回须说明原因" in response.content.decode()
    clerk = Client()
    clerk.force_login(entered["wudu"])
    assert clerk.post("/data/review/", {"ids": ids, "action": "approve"}).status_code == 403


def test_the_api_reviews_a_batch(entered):
    client = Client()
    client.force_login(entered["tongji"])
    ids = list(Observation.objects.filter(year=2021, month=11).values_list("pk", flat=True))
    body = client.post("/api/figures/review", {"ids": ids, "action": "approve"}, content_type="application/json").json()
    assert sorted(body["done"]) == sorted(ids) and body["batch"]
    again = client.post("/api/figures/review", {"ids": ids, "action": "reject", "reason": "口径不符"},
                        content_type="application/json").json()
    assert sorted(again["done"]) == sorted(ids)
    assert set(Observation.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"rejected"}


def test_a_department_s_entry_form_lists_its_indicators_and_refuses_blocking_figures(entered):
    from diaodu.org.models import Role
    from tests.helpers import make_user

    tax = make_user("swj", "swj", [Role.ENTER])
    client = Client()
    client.force_login(tax)
    html = client.get("/data/entry/?period=2021年1-11月").content.decode()
    assert 'data-indicator="revenue_tax"' in html and 'data-indicator="retail"' not in html
    wudu = Client()
    wudu.force_login(entered["wudu"])
    html = wudu.get("/data/entry/?period=2021-11").content.decode()
    assert "70.00 / 8.0%" in html  # 1-10月 beside the field
    response = wudu.post("/data/entry/", {"period": "2021-11", "action": "submit", "value-retail": "60",
                                          "growth-retail": "8.1"})
    assert "累计值 60.00 低于同年1-10月累计值 70.00" in response.content.decode()
    assert Observation.objects.get(region_id="621202", indicator__code="retail", year=2021, month=11).value == 78.0
    check = wudu.post("/data/entry/check/", {"period": "2021-11", "indicator": "retail", "value": "36，5"}).json()
    assert check["blocking"] and "逗号不是千位分隔符" in check["messages"][0]


def test_progress_shows_who_reported_and_the_office_turns_late_units_into_tasks(entered, settings):
    import datetime as dt

    from diaodu.org.models import Role
    from diaodu.supervision.models import Task
    from tests.helpers import make_user

    settings.DIAODU_TODAY = dt.date(2021, 12, 10)  # after the 8th: late
    client = Client()
    client.force_login(entered["tongji"])
    html = client.get("/data/progress/?period=2021-11").content.decode()
    assert 'data-unit="621202"' in html and "逾期" in html
    # The statistics office sees the list, but only the supervising office hands out tasks.
    assert client.post("/tasks/late-reporting/", {"period": "2021-11", "units": ["621221"]}).status_code == 403
    office = Client()
    office.force_login(make_user("ducha", "zfb", [Role.ENTER]))
    response = office.post("/tasks/late-reporting/", {"period": "2021-11", "units": ["621221", "621222"]}, follow=True)
    assert "已将 2 个逾期未报单位转为督办事项" in response.content.decode()
    tasks = Task.objects.filter(source=Task.Source.INDICATOR, title__contains="2021年1-11月")
    assert sorted(t.region_id for t in tasks) == ["621221", "621222"]
