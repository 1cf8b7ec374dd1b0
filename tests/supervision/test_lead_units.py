"""Tasks with several lead units (issue 19, finding 9): a task with 9 lead counties became
"reported" for all when one county reported, and the others' reports were then refused.
Each lead unit now signs, reports, is reviewed and is closed on its own; the task is 办结
when every lead unit is; a co-unit never blocks closing. Web, API, notifications, the
board, the 作战图 and the 督查通报 show the split."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.template.loader import render_to_string
from django.test import Client

from diaodu.api.models import ApiToken
from diaodu.audit.models import ChangeRecord
from diaodu.org.models import Role
from diaodu.org.scopes import ScopeError
from diaodu.supervision import actions, flow, notify, queries
from diaodu.supervision.models import Feedback, Notification, NotificationChannel, State, Task, TaskUnit
from diaodu.supervision.warnings import BLUE, RED
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

COUNTIES = ["621202", "621221", "621222", "621223", "621224", "621225", "621226", "621227", "621228"]
WUDU, KANGXIAN = "621202", "621224"


@pytest.fixture
def clerks(personas):
    """One county clerk per county of the city (wudu and kangxian from the personas)."""
    out = {WUDU: personas["wudu"], KANGXIAN: personas["kangxian"]}
    for code in COUNTIES:
        out.setdefault(code, make_user(f"clerk{code}", code, [Role.ENTER]))
    return out


@pytest.fixture
def shared(make_task, clerks):
    """A task of all 9 counties (各县区) with 市发改委 as co-unit, signed for by every county."""
    task = make_task(["各县区"], ["市发改委"])
    for code in COUNTIES:
        actions.transition(clerks[code], task, "sign")
    return task


def lead(task: Task, code: str) -> TaskUnit:
    return TaskUnit.objects.get(task=task, role=TaskUnit.Role.LEAD, region_id=code)


def report(user, task):
    return actions.add_feedback(user, task, "已按要求完成。", final=True)


def close(office, task, code, day=dt.date(2021, 12, 1)):
    actions.transition(office, task, "review", unit=code)
    actions.transition(office, task, "close", unit=code, today=day)


def test_one_county_reports_the_others_still_can(shared, clerks, office):
    assert sorted(u.region_id for u in shared.lead_units()) == COUNTIES
    report(clerks[WUDU], shared)
    shared.refresh_from_db()
    assert lead(shared, WUDU).state == State.REPORTED
    assert lead(shared, KANGXIAN).state == State.SIGNED
    assert shared.state == State.SIGNED  # where its least advanced lead stands, not "reported" for all
    # The finding: the others' reports were refused. Now each county reports for itself.
    for code in COUNTIES[1:]:
        assert flow.can_feedback(clerks[code], shared)
        report(clerks[code], shared)
    assert shared.state == State.REPORTED
    assert Feedback.objects.filter(task=shared, final=True).count() == 9
    # A county that has reported cannot report again until it is returned.
    assert not flow.can_feedback(clerks[WUDU], shared)


def test_the_task_closes_only_when_every_lead_unit_is_closed(shared, clerks, office):
    for code in COUNTIES:
        report(clerks[code], shared)
    # With several units under review the office names the one it closes.
    with pytest.raises(ValueError, match="请指明单位"):
        actions.transition(office, shared, "review")
    for i, code in enumerate(COUNTIES[:-1]):
        close(office, shared, code, dt.date(2021, 12, 1) + dt.timedelta(days=i))
        shared.refresh_from_db()
        assert shared.state != State.CLOSED and shared.is_open and shared.closed_on is None
    (row,) = queries.rows_for(queries.with_units(Task.objects.filter(pk=shared.pk)), dt.date(2021, 12, 10))
    assert row.split == "已办结 8/9"
    close(office, shared, COUNTIES[-1], dt.date(2021, 12, 20))
    shared.refresh_from_db()
    assert shared.state == State.CLOSED and shared.closed_on == dt.date(2021, 12, 20)
    # The co-unit (市发改委) did nothing and blocked nothing.
    assert TaskUnit.objects.get(task=shared, role=TaskUnit.Role.CO).state == ""
    records = ChangeRecord.objects.filter(object_type="supervision.task", object_id=str(shared.pk),
                                          reason__startswith="办结（")
    assert records.count() == 9 and "（康县）" in " ".join(records.values_list("reason", flat=True))


def test_a_county_cannot_act_for_another(shared, clerks, personas, office):
    kangxian, wudu = clerks[KANGXIAN], clerks[WUDU]
    with pytest.raises(ScopeError, match="不能代“武都区”"):
        actions.transition(kangxian, shared, "report", unit=WUDU)
    report(kangxian, shared)
    assert lead(shared, WUDU).state == State.SIGNED  # kangxian's report is kangxian's alone
    # A county reviews or closes nothing, not even its own part.
    with pytest.raises(ScopeError, match="督查部门"):
        actions.transition(kangxian, shared, "review", unit=KANGXIAN)
    # The co-unit can report progress but neither reports done nor is closed.
    actions.add_feedback(personas["fgw"], shared, "配合推进中。")
    with pytest.raises(ScopeError):
        actions.add_feedback(personas["fgw"], shared, "已办结。", final=True)
    with pytest.raises(ValueError, match="配合单位"):
        actions.transition(office, shared, "close", unit="fgw")
    with pytest.raises(ValueError, match="不是本事项的牵头单位"):
        actions.transition(office, shared, "close", unit="621200")
    assert wudu.pk != kangxian.pk


def test_return_moves_one_unit_and_notifies_that_unit(shared, clerks, office):
    clerks[WUDU].email, clerks[KANGXIAN].email = "wudu@example.gov", "kangxian@example.gov"
    clerks[WUDU].save()
    clerks[KANGXIAN].save()
    NotificationChannel.objects.create(name="邮件", kind=NotificationChannel.Kind.EMAIL)
    report(clerks[WUDU], shared)
    report(clerks[KANGXIAN], shared)
    actions.transition(office, shared, "return", unit=WUDU, reason="佐证材料不全")
    assert lead(shared, WUDU).state == State.HANDLING and lead(shared, WUDU).returned_count == 1
    assert lead(shared, KANGXIAN).state == State.REPORTED and lead(shared, KANGXIAN).returned_count == 0
    (returned,) = Notification.objects.filter(task=shared, event="returned")
    assert returned.recipients == ["wudu@example.gov"]
    assert "退回单位：武都区" in returned.text
    # Wudu reports again.
    report(clerks[WUDU], shared)
    assert lead(shared, WUDU).state == State.REPORTED


def test_warnings_and_overdue_are_per_lead_unit(shared, clerks, office):
    for code in COUNTIES[:3]:
        report(clerks[code], shared)
        close(office, shared, code, dt.date(2021, 12, 20))
    after = dt.date(2022, 1, 5)  # past the deadline (2021-12-31)
    (row,) = queries.rows_for(queries.with_units(Task.objects.filter(pk=shared.pk)), after)
    assert row.split == "已办结 3/9"
    assert [u.unit.region_id for u in row.overdue_units] == COUNTIES[3:]
    assert row.warning.level == RED
    # The task tables say how late, in words: 逾期5天, not a remaining "-5"
    cells = re.findall(r'data-label="剩余天数">(.*?)</td>', render_to_string("supervision/_table.html", {"rows": [row]}))
    assert [re.sub(r"<[^>]+>", "", c) for c in cells] == ["逾期5天"]
    # The 督查通报 names only the overdue counties and the split.
    (bulletin,) = [r for r in queries.bulletin_rows(after) if r["task_id"] == shared.pk]
    assert bulletin["split"] == "已办结 3/9"
    assert "武都区" not in bulletin["lead_units"] and "康县" in bulletin["lead_units"]
    from diaodu.briefings.evaluation import supervision

    text = supervision(after).text()
    assert "逾期5天（已办结 3/9）" in text and "武都区、" not in text
    # 作战图: a county that closed its part has the task done, no warning counted; another has it red.
    wudu_map = queries.battle_map({"region_id": WUDU}, office, after)
    assert [r.task.pk for r in wudu_map["closed"]] == [shared.pk] and not wudu_map["lead"]
    assert wudu_map["counts"][RED] == 0
    kang_map = queries.battle_map({"region_id": KANGXIAN}, office, after)
    assert [r.task.pk for r in kang_map["lead"]] == [shared.pk] and kang_map["counts"][RED] == 1
    # The countdown and inbox of a closed county no longer list the task; an open county's do.
    assert shared.pk not in [r.task.pk for r in queries.countdown(clerks[WUDU], after)]
    assert shared.pk in [r.task.pk for r in queries.inbox(clerks[KANGXIAN], after).overdue]
    # Before the deadline: the open counties are near it (蓝), the closed ones have no warning.
    near = dt.date(2021, 12, 28)
    (row,) = queries.rows_for(queries.with_units(Task.objects.filter(pk=shared.pk)), near)
    assert {u.unit.region_id: u.warning.level for u in row.lead_rows}[WUDU] is None
    assert {u.unit.region_id: u.warning.level for u in row.lead_rows}[KANGXIAN] == BLUE
    # Reminders go to the counties still open, not to those done.
    clerks[WUDU].email, clerks[KANGXIAN].email = "wudu@example.gov", "kangxian@example.gov"
    clerks[WUDU].save()
    clerks[KANGXIAN].save()
    NotificationChannel.objects.create(name="邮件", kind=NotificationChannel.Kind.EMAIL)
    assert notify.enqueue_reminders(after) == 1
    (overdue,) = Notification.objects.filter(task=shared, event="overdue")
    assert overdue.recipients == ["kangxian@example.gov"]


def test_single_lead_task_keeps_its_flow(make_task, personas, office):
    task = make_task(["武都区"], ["市发改委"])
    actions.transition(personas["wudu"], task, "sign")
    report(personas["wudu"], task)
    assert task.state == State.REPORTED
    actions.transition(office, task, "review")  # one lead: no unit needed
    actions.transition(office, task, "close", today=dt.date(2021, 12, 3))
    task.refresh_from_db()
    assert task.state == State.CLOSED and task.closed_on == dt.date(2021, 12, 3)


def test_web_pages_show_the_split(shared, clerks, office):
    report(clerks[WUDU], shared)
    client = Client()
    client.force_login(office)
    page = client.get(f"/tasks/{shared.pk}/").content.decode()
    assert "各牵头单位办理情况（已办结 0/9）" in page
    assert page.count('name="unit" value="621202"') == 2  # 复核 and 退回 for wudu's row only
    response = client.post(f"/tasks/{shared.pk}/do/review/", {"version": Task.objects.get(pk=shared.pk).version,
                                                              "unit": WUDU})
    assert response.status_code == 302
    assert lead(shared, WUDU).state == State.REVIEWING
    board = client.get("/tasks/list/").content.decode()
    assert "已办结 0/9" in board and "待复核：武都区" in board
    assert "待复核：武都区" in client.get("/tasks/").content.decode()  # the office's inbox
    # Kangxian's page shows its own part; its form cannot move wudu's.
    kang = Client()
    kang.force_login(clerks[KANGXIAN])
    version = Task.objects.get(pk=shared.pk).version
    kang.post(f"/tasks/{shared.pk}/do/close/", {"version": version, "unit": WUDU})
    assert lead(shared, WUDU).state == State.REVIEWING
    assert "本单位：" in kang.get(f"/tasks/{shared.pk}/").content.decode()


def test_api_transition_per_unit(shared, clerks, office):
    def api(user):
        return Client(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user)[1]}")

    kang = api(clerks[KANGXIAN])
    url = f"/api/tasks/{shared.pk}/transition"
    response = kang.post(url, json.dumps({"name": "report", "unit": WUDU}), content_type="application/json")
    assert response.status_code == 403
    assert "不能代" in response.json()["error"]["message"]
    response = kang.post(f"/api/tasks/{shared.pk}/feedback", json.dumps({"text": "已完成", "final": True}),
                         content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["leads_total"] == 9 and body["leads_closed"] == 0 and body["state"] == State.SIGNED
    states = {u["region"]: u["state"] for u in body["units"] if u["role"] == "lead"}
    assert states[KANGXIAN] == State.REPORTED and states[WUDU] == State.SIGNED
    wudu = api(clerks[WUDU])
    response = wudu.post(f"/api/tasks/{shared.pk}/feedback", json.dumps({"text": "已完成", "final": True}),
                         content_type="application/json")
    assert response.status_code == 201  # the finding: this was refused
    ducha = api(office)
    response = ducha.post(url, json.dumps({"name": "review"}), content_type="application/json")
    assert response.status_code == 400 and "unit" in response.json()["error"]["fields"]
    response = ducha.post(url, json.dumps({"name": "review", "unit": KANGXIAN}), content_type="application/json")
    assert response.status_code == 200
    response = ducha.post(url, json.dumps({"name": "close", "unit": KANGXIAN}), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["leads_closed"] == 1 and response.json()["state"] != State.CLOSED


def test_migration_splits_existing_tasks(make_task, personas, office):
    """The data migration: a task "reported" for all because one lead reported gives the others
    their report back; a closed task stays closed for every lead."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("diaodu.supervision.migrations.0003_lead_unit_states")
    reported = make_task(["武都区", "康县", "宕昌县"])
    closed = make_task(["武都区", "康县"])
    Feedback.objects.create(task=reported, region_id=WUDU, author=personas["wudu"], text="已完成", final=True,
                            quantity_done=5, created_at=dt.datetime(2021, 11, 20, tzinfo=dt.UTC))
    # As the old code left them: the state on the task only.
    Task.objects.filter(pk=reported.pk).update(state=State.REPORTED)
    Task.objects.filter(pk=closed.pk).update(state=State.CLOSED, closed_on=dt.date(2021, 11, 30))
    TaskUnit.objects.update(state="")
    migration.lead_states_from_tasks(apps, None)
    assert lead(reported, WUDU).state == State.REPORTED and lead(reported, WUDU).quantity_done == 5
    assert lead(reported, KANGXIAN).state == State.HANDLING
    reported.refresh_from_db()
    assert reported.state == State.HANDLING
    assert {u.state for u in TaskUnit.objects.filter(task=closed)} == {State.CLOSED}
    assert {u.closed_on for u in TaskUnit.objects.filter(task=closed)} == {dt.date(2021, 11, 30)}
    closed.refresh_from_db()
    assert closed.state == State.CLOSED


def test_recurring_report_is_due_per_unit(make_task, clerks):
    """每月25日前报送: a county that sent this month's report is not overdue because another did not."""
    from django.utils import timezone

    task = make_task(["武都区", "康县"], recurrence=Task.Recurrence.MONTHLY, report_day=25)
    for code in (WUDU, KANGXIAN):
        actions.transition(clerks[code], task, "sign")
    actions.add_feedback(clerks[WUDU], task, "11月进展。",
                         now=timezone.make_aware(dt.datetime(2021, 11, 20, 10)))
    (row,) = queries.rows_for(queries.with_units(Task.objects.filter(pk=task.pk)), dt.date(2021, 11, 27))
    levels = {u.unit.region_id: (u.warning.level, u.warning.days_left) for u in row.lead_rows}
    assert levels[WUDU] == (None, 28)  # next due 12-25
    assert levels[KANGXIAN] == (RED, -2)  # 11-25 passed without a report
    assert row.overdue_names == "康县" and row.warning.level == RED
