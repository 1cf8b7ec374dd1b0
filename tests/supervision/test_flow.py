"""The task flow: allowed and refused transitions, 退回, feedback, who may do what."""

from __future__ import annotations

import datetime as dt

import pytest

from diaodu.org.scopes import ScopeError
from diaodu.supervision import actions, flow
from diaodu.supervision.models import State, Task, TaskUnit

pytestmark = pytest.mark.django_db


def test_full_flow_with_return(personas, office, make_task):
    wudu = personas["wudu"]
    task = make_task(["武都区"], ["市发改委"], assign=False, quantity_target=1500, quantity_unit="户")
    assert task.state == State.REGISTERED
    assert [t.name for t in flow.allowed_transitions(office, task)] == ["assign"]
    assert flow.allowed_transitions(wudu, task) == []

    actions.transition(office, task, "assign")
    actions.transition(wudu, task, "sign")
    assert task.state == State.SIGNED
    fb = actions.add_feedback(wudu, task, "已入住800户", quantity_done=800)
    assert task.state == State.HANDLING and task.quantity_done == 800
    assert fb.region_id == "621202" and fb.department_id is None
    # The co-unit reports progress too, but moves nothing.
    actions.add_feedback(personas["fgw"], task, "资金已下达")
    assert not flow.can_transition(personas["fgw"], task, "report")
    with pytest.raises(ScopeError):
        actions.add_feedback(personas["fgw"], task, "已完成", final=True)

    actions.add_feedback(wudu, task, "已全部入住", quantity_done=1500, final=True)
    assert task.state == State.REPORTED
    with pytest.raises(ValueError, match="须说明原因"):
        actions.transition(office, task, "return")
    actions.transition(office, task, "return", reason="佐证材料不全")
    assert task.state == State.HANDLING and task.returned_count == 1
    actions.add_feedback(wudu, task, "已补充材料", final=True)
    actions.transition(office, task, "review")
    assert task.state == State.REVIEWING
    actions.transition(office, task, "close", today=dt.date(2021, 11, 30))
    task.refresh_from_db()
    assert task.state == State.CLOSED and task.closed_on == dt.date(2021, 11, 30)
    assert task.version == 10
    # Closed: no more feedback, no transition for anybody.
    assert not flow.can_feedback(wudu, task)
    assert flow.allowed_transitions(office, task) == []
    with pytest.raises(ScopeError):
        actions.add_feedback(wudu, task, "补充")


@pytest.mark.parametrize(
    ("who", "name", "state"),
    [
        ("kangxian", "sign", State.ASSIGNED),  # another county
        ("fgw", "sign", State.ASSIGNED),  # a co-unit
        ("leader", "sign", State.ASSIGNED),  # leaders read, never write
        ("office", "sign", State.ASSIGNED),  # the office does not sign for units
        ("tongji", "assign", State.REGISTERED),  # 数据审核 is not the supervising office
        ("wudu", "assign", State.REGISTERED),
        ("wudu", "close", State.REVIEWING),  # the unit cannot close its own task
        ("wudu", "review", State.REPORTED),
        ("wudu", "return", State.REPORTED),
        ("leader", "close", State.REVIEWING),
    ],
)
def test_refused_by_actor(personas, office, make_task, who, name, state):
    task = make_task(["武都区"], ["市发改委"])
    Task.objects.filter(pk=task.pk).update(state=state)
    TaskUnit.objects.filter(task=task, role=TaskUnit.Role.LEAD).update(state=state)  # the lead's own state
    task.refresh_from_db()
    user = office if who == "office" else personas[who]
    assert not flow.can_transition(user, task, name)
    with pytest.raises(ScopeError, match="无权"):
        actions.transition(user, task, name, reason="x")
    task.refresh_from_db()
    assert task.state == state and task.version == 1


@pytest.mark.parametrize(
    ("name", "state"),
    [("sign", State.REGISTERED), ("close", State.REPORTED), ("review", State.HANDLING), ("assign", State.ASSIGNED),
     ("report", State.ASSIGNED), ("return", State.CLOSED)],
)
def test_refused_by_state(personas, office, make_task, name, state):
    task = make_task(["武都区"])
    Task.objects.filter(pk=task.pk).update(state=state)
    TaskUnit.objects.filter(task=task, role=TaskUnit.Role.LEAD).update(state=state)  # the lead's own state
    task.refresh_from_db()
    user = personas["wudu"] if flow.TRANSITIONS[name].actor == flow.LEAD else office
    with pytest.raises(ScopeError, match="不能"):
        actions.transition(user, task, name, reason="x")


def test_every_state_has_a_way_forward_and_recover_is_system_only(personas, office, make_task):
    targets = {t.target for t in flow.TRANSITIONS.values()}
    sources = {s for t in flow.TRANSITIONS.values() for s in t.sources}
    assert set(State.values) - {State.REGISTERED} <= targets
    assert set(State.values) - {State.CLOSED} <= sources
    task = make_task()
    with pytest.raises(ScopeError):
        actions.transition(office, task, "recover", reason="指标恢复")
    actions.transition(None, task, "recover", reason="指标恢复", today=dt.date(2021, 12, 1))
    assert task.state == State.CLOSED


def test_every_lead_unit_may_sign_collective_task(personas, office, make_task):
    task = make_task(["各县区"])
    assert len(task.lead_names()) == 9
    assert flow.can_transition(personas["kangxian"], task, "sign")
    actions.transition(personas["kangxian"], task, "sign")
    # Each lead unit signs for itself: the task waits for the other eight (issue 19, finding 9).
    assert task.state == State.ASSIGNED
    assert flow.can_transition(personas["wudu"], task, "sign")
    assert [u.state for u in task.lead_units() if u.region_id == "621224"] == [State.SIGNED]


def test_optimistic_version(personas, office, make_task):
    task = make_task()
    actions.transition(personas["wudu"], task, "sign", expected_version=1)
    with pytest.raises(actions.ConflictError):
        actions.transition(personas["wudu"], task, "handle", expected_version=1)
    with pytest.raises(actions.ConflictError):
        actions.update_task(office, task, {"deadline": dt.date(2021, 12, 20)}, expected_version=1)
    assert actions.update_task(office, task, {"deadline": dt.date(2021, 12, 20)}, expected_version=2)
    assert not actions.update_task(office, task, {"deadline": dt.date(2021, 12, 20)})
    with pytest.raises(ScopeError):
        actions.update_task(personas["wudu"], task, {"deadline": dt.date(2022, 1, 1)})
    with pytest.raises(ValueError):
        actions.update_task(office, task, {"state": State.CLOSED})


def test_validation(office, make_task):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_task(deadline=dt.date(2021, 11, 1))  # before the start
    with pytest.raises(ValidationError):
        make_task(recurrence=Task.Recurrence.MONTHLY)  # no report day
    with pytest.raises(ValueError):
        actions.create_task(office, Task(title="x", content="x"), [])
    assert Task.objects.count() == 0
