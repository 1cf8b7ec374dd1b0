"""Scope: a unit sees and updates only its own tasks (lead or co); leaders and the office see all;
every change leaves a change record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from diaodu.audit.models import ChangeRecord
from diaodu.audit.records import verify_chain
from diaodu.org.models import Department
from diaodu.org.scopes import ScopeError
from diaodu.supervision import actions, flow, queries
from diaodu.supervision.models import Accountability, State, Task
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(make_task):
    return {
        "wudu": make_task(["武都区"], ["市发改委"], title="武都灾后重建"),
        "kangxian": make_task(["康县"], title="康县土地出让"),
        "tjj": make_task(["市统计局"], ["武都区"], title="在建项目入库"),
        "all": make_task(["各县区"], title="各县区土地挂牌"),
    }


def titles(user):
    return {t.title for t in flow.restrict_tasks(user)}


def test_each_unit_sees_its_own_tasks(personas, office, tasks):
    assert titles(personas["wudu"]) == {"各县区土地挂牌", "武都灾后重建", "在建项目入库"}
    assert titles(personas["kangxian"]) == {"各县区土地挂牌", "康县土地出让"}
    assert titles(personas["fgw"]) == {"武都灾后重建"}  # as co-unit
    assert titles(personas["tongji"]) == {"在建项目入库"}  # a data approver is one unit among others
    everything = {t.title for t in tasks.values()}
    assert titles(personas["leader"]) == everything
    assert titles(personas["admin"]) == everything
    assert titles(office) == everything
    from django.contrib.auth.models import AnonymousUser

    assert list(flow.restrict_tasks(AnonymousUser())) == []


def test_each_unit_updates_only_its_own_tasks(personas, tasks):
    with pytest.raises(ScopeError):
        actions.transition(personas["kangxian"], tasks["wudu"], "sign")
    with pytest.raises(ScopeError):
        actions.add_feedback(personas["kangxian"], tasks["wudu"], "不是我的事")
    with pytest.raises(ScopeError):
        actions.transition(personas["leader"], tasks["wudu"], "sign")
    actions.transition(personas["wudu"], tasks["wudu"], "sign")
    # A co-unit on one task is no lead there.
    with pytest.raises(ScopeError):
        actions.transition(personas["wudu"], tasks["tjj"], "sign")
    actions.transition(personas["tongji"], tasks["tjj"], "sign")
    actions.add_feedback(personas["wudu"], tasks["tjj"], "武都区已报送12个项目")


def test_web_scope(personas, office, tasks):
    kx = Client()
    kx.login(username="kangxian", password=PASSWORD)
    assert kx.get(f"/tasks/{tasks['wudu'].pk}/").status_code == 403
    assert kx.get(f"/tasks/{tasks['kangxian'].pk}/").status_code == 200
    r = kx.post(f"/tasks/{tasks['wudu'].pk}/do/sign/", {"version": 1})
    assert r.status_code == 403
    assert Task.objects.get(pk=tasks["wudu"].pk).state == State.ASSIGNED
    page = kx.get("/tasks/countdown/").content.decode()
    assert "康县土地出让" in page and "武都灾后重建" not in page
    page = kx.get("/tasks/list/").content.decode()
    assert "康县土地出让" in page and "在建项目入库" not in page
    assert kx.get("/tasks/map/?unit=621202").status_code == 403
    assert kx.get("/tasks/extract/").status_code == 403

    wd = Client()
    wd.login(username="wudu", password=PASSWORD)
    r = wd.post(f"/tasks/{tasks['wudu'].pk}/do/sign/", {"version": 1})
    assert r.status_code == 302
    assert Task.objects.get(pk=tasks["wudu"].pk).state == State.SIGNED
    # Refused transitions show a message and change nothing.
    r = wd.post(f"/tasks/{tasks['wudu'].pk}/do/close/", {"version": 2}, follow=True)
    assert "无权" in r.content.decode() or "不能" in r.content.decode()
    assert Task.objects.get(pk=tasks["wudu"].pk).state == State.SIGNED

    leader = Client()
    leader.login(username="leader", password=PASSWORD)
    page = leader.get("/tasks/countdown/").content.decode()
    assert all(t.title in page for t in tasks.values())
    assert leader.get("/tasks/map/?unit=621224").status_code == 200
    page = leader.get(f"/tasks/{tasks['wudu'].pk}/").content.decode()
    assert "武都灾后重建" in page and "/do/" not in page and "反馈进展" not in page  # leaders read only
    r = leader.post(f"/tasks/{tasks['kangxian'].pk}/do/sign/", {"version": 1}, follow=True)
    assert Task.objects.get(pk=tasks["kangxian"].pk).state == State.ASSIGNED


def test_change_records_for_every_write(personas, office, make_task):
    before = ChangeRecord.objects.count()
    task = make_task(["武都区"], ["市发改委"], assign=False)
    created = ChangeRecord.objects.filter(object_type="supervision.task", object_id=str(task.pk))
    assert created.count() == 1
    rec = created.get()
    assert rec.action == "create" and rec.username == "ducha"
    assert rec.after["state"] == State.REGISTERED
    assert rec.after["units"] == [{"role": "co", "unit": "fgw"},
                                  {"role": "lead", "unit": "621202", "state": "registered", "returned_count": 0,
                                   "quantity_done": None, "closed_on": None}]

    actions.transition(office, task, "assign")
    actions.transition(personas["wudu"], task, "sign")
    actions.add_feedback(personas["wudu"], task, "进展", quantity_done=10, final=True)
    actions.transition(office, task, "return", reason="材料不全")
    actions.update_task(office, task, {"deadline": dt.date(2022, 1, 15)}, reason="延期")
    actions.add_accountability(office, Accountability.Kind.TALK, Department.objects.get(code="fgw"), task=task,
                               date=dt.date(2021, 11, 20), reason="配合不力")
    records = list(ChangeRecord.objects.filter(object_type="supervision.task", object_id=str(task.pk)).order_by("id"))
    assert [(r.action, r.before["state"] if r.before else None, r.after["state"]) for r in records] == [
        ("create", None, "registered"),
        ("update", "registered", "assigned"),
        ("update", "assigned", "signed"),
        ("update", "signed", "reported"),
        ("reject", "reported", "handling"),
        ("update", "handling", "handling"),
    ]
    assert records[3].after["feedback"]["quantity_done"] == 10 and records[3].reason == "办结反馈"
    assert records[4].reason == "退回重办：材料不全" and records[4].username == "ducha"
    assert records[5].before["deadline"] == "2021-12-31" and records[5].after["deadline"] == "2022-01-15"
    assert ChangeRecord.objects.filter(object_type="supervision.accountability").count() == 1
    assert ChangeRecord.objects.count() == before + 7
    assert verify_chain() == []
    # A refused write leaves no record.
    with pytest.raises(ScopeError):
        actions.transition(personas["kangxian"], task, "report")
    assert ChangeRecord.objects.count() == before + 7


def test_inbox_and_bulletin(personas, office, make_task):
    from django.utils import timezone

    today = dt.date(2021, 11, 20)
    late = make_task(["武都区"], title="逾期事项", deadline=dt.date(2021, 11, 15))
    near = make_task(["武都区"], title="临近事项", deadline=dt.date(2021, 11, 24))
    done = make_task(["武都区"], title="办结事项", deadline=dt.date(2021, 11, 30))
    make_task(["康县"], title="康县事项", deadline=dt.date(2021, 11, 10))
    for name in ("sign",):
        actions.transition(personas["wudu"], done, name)
    actions.add_feedback(personas["wudu"], done, "完成", final=True, now=timezone.now())
    actions.transition(office, done, "review")
    actions.transition(office, done, "close", today=dt.date(2021, 11, 18))

    box = queries.inbox(personas["wudu"], today)
    assert [r.task.title for r in box.new] == ["逾期事项", "临近事项"]
    assert [r.task.title for r in box.overdue] == ["逾期事项"]
    assert [r.task.title for r in box.approaching] == ["临近事项"]
    assert box.to_review == []
    office_box = queries.inbox(office, today)
    assert [r.task.title for r in office_box.overdue] == ["康县事项", "逾期事项"]

    rows = queries.bulletin_rows(today)
    assert [(r["category"], r["title"]) for r in rows] == [
        ("逾期未办结", "康县事项"), ("逾期未办结", "逾期事项"), ("已办结", "办结事项")]
    assert rows[0]["days_overdue"] == 10 and rows[0]["lead_units"] == "康县"
    assert rows[2]["on_time"] is True and rows[2]["closed_on"] == dt.date(2021, 11, 18)
    assert [r["title"] for r in queries.bulletin_rows(today, user=personas["kangxian"])] == ["康县事项"]
    assert late.pk and near.pk
