"""The flow of a task and who may do what: the one place that decides.

Flow (DOMAIN.md §5): 立项 → 交办 → 签收 → 办理 → 反馈 → 复核 → 办结, with 退回 (rework)
from 反馈 or 复核 back to 办理.

A task with several lead units: 立项 and 交办 are the task's; from 签收 on, each lead
unit moves on its own (``TaskUnit.state``): a county signs, reports, is reviewed,
returned and closed for itself, and the task is 办结 when every lead unit is.
Co-units never block closing.

Who is who
----------
- The supervising office (督查部门): users of the department named in
  ``SupervisionSettings.office_department`` (default ``zfb``, 市政府办公室) holding a
  write role (数据填报 / 数据审核 / 管理员), and every 管理员. It registers (立项),
  assigns (交办), reviews (复核), returns (退回), closes (办结) and records
  accountability.
- A lead unit (牵头单位): users of that county government or department with a
  write role. They sign for (签收), handle (办理) and report (反馈) their tasks.
  Co-units (配合单位) see the task and add progress feedback, but move nothing.
- 领导 and 审计员 read every task and write nothing (as in ``diaodu.org.scopes``).
- Everyone else sees only the tasks on which their unit is lead or co unit.

The data-approval role (数据审核) is *not* the supervising office: a statistics
approver is one unit among others here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from diaodu.org import scopes
from diaodu.org.models import Region, Role
from diaodu.org.scopes import WRITE_ROLES, ScopeError
from diaodu.supervision.models import State, SupervisionSettings, Task, TaskUnit

OFFICE, LEAD, SYSTEM = "office", "lead", "system"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    actor: str  # OFFICE, LEAD or SYSTEM
    needs_reason: bool = False


# Transitions of the whole task; every other one moves one lead unit.
TASK_TRANSITIONS = {"assign", "recover"}

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("assign", "交办", (State.REGISTERED,), State.ASSIGNED, OFFICE),
        Transition("sign", "签收", (State.ASSIGNED,), State.SIGNED, LEAD),
        Transition("handle", "开始办理", (State.SIGNED,), State.HANDLING, LEAD),
        Transition("report", "反馈办结情况", (State.SIGNED, State.HANDLING), State.REPORTED, LEAD),
        Transition("review", "复核", (State.REPORTED,), State.REVIEWING, OFFICE),
        Transition("close", "办结", (State.REVIEWING,), State.CLOSED, OFFICE),
        Transition("return", "退回重办", (State.REPORTED, State.REVIEWING), State.HANDLING, OFFICE,
                   needs_reason=True),
        # An indicator task closes by itself when its indicator recovers.
        Transition("recover", "指标恢复自动办结", tuple(s for s in State.values if s != State.CLOSED),
                   State.CLOSED, SYSTEM, needs_reason=True),
    )
}


@dataclass(frozen=True)
class Actor:
    """What a user is for supervision."""

    user_id: int | None
    office: bool
    reads_all: bool
    writes: bool
    region: str | None  # a county government
    department_id: int | None

    @property
    def has_unit(self) -> bool:
        return bool(self.region or self.department_id)


def actor_for(user, config: SupervisionSettings | None = None) -> Actor:
    cached = getattr(user, "_diaodu_supervision_actor", None)
    if cached is not None:
        return cached
    scope = scopes.scope_for(user)
    if not scope.is_authenticated:
        return Actor(None, False, False, False, None, None)
    config = config or SupervisionSettings.get()
    profile = user.profile if scopes._has_profile(user) else None
    department = profile.department if profile and profile.department_id else None
    region = profile.region if profile and profile.region_id else None
    writes = bool(scope.roles & WRITE_ROLES)
    office = scope.has(Role.ADMIN) or (writes and department is not None
                                       and department.code == config.office_department)
    actor = Actor(
        user_id=scope.user_id,
        office=office,
        reads_all=office or bool(scope.roles & {Role.LEADER, Role.AUDITOR}),
        writes=writes,
        region=region.code if region is not None and region.level == Region.Level.COUNTY else None,
        department_id=department.pk if department is not None else None,
    )
    try:
        user._diaodu_supervision_actor = actor
    except AttributeError:
        pass
    return actor


def _unit_q(actor: Actor, prefix: str = "") -> Q:
    if actor.department_id:
        return Q(**{f"{prefix}department_id": actor.department_id})
    if actor.region:
        return Q(**{f"{prefix}region_id": actor.region})
    return Q(pk__in=[])


def restrict_tasks(user, qs: QuerySet | None = None) -> QuerySet:
    """Tasks the user may read: all for the office, leaders and auditors; else their unit's (lead or co)."""
    qs = Task.objects.all() if qs is None else qs
    actor = actor_for(user)
    if actor.user_id is None:
        return qs.none()
    if actor.reads_all:
        return qs
    if not actor.has_unit:
        return qs.none()
    mine = TaskUnit.objects.filter(_unit_q(actor), task=OuterRef("pk"))
    return qs.filter(Exists(mine))


def unit_role(user, task: Task) -> str | None:
    """"lead", "co" or None: the user's unit on the task."""
    actor = actor_for(user)
    if not actor.has_unit:
        return None
    for unit in task.units.all():
        if (actor.department_id and unit.department_id == actor.department_id) or (
            actor.region and unit.region_id == actor.region
        ):
            return unit.role
    return None


def own_lead_unit(user, task: Task) -> TaskUnit | None:
    """The user's unit on the task when it is a lead unit."""
    actor = actor_for(user)
    if not actor.has_unit:
        return None
    for unit in task.units.all():
        if unit.role == TaskUnit.Role.LEAD and unit.is_for(actor.region, actor.department_id):
            return unit
    return None


def can_transition(user, task: Task, name: str, unit: TaskUnit | None = None) -> bool:
    """Whether ``user`` may apply ``name``: to the task (交办, 指标恢复), to their own lead unit
    (签收, 办理, 反馈), or, for the office, to ``unit`` — or to any lead unit when none is named."""
    t = TRANSITIONS.get(name)
    if t is None:
        return False
    if t.actor == SYSTEM:
        return user is None and task.state in t.sources
    if user is None:
        return False
    actor = actor_for(user)
    if name in TASK_TRANSITIONS:
        return task.state in t.sources and actor.office
    if t.actor == OFFICE:
        if not actor.office:
            return False
        units = [unit] if unit is not None else task.lead_units()
        return any(u.role == TaskUnit.Role.LEAD and u.state in t.sources for u in units)
    own = own_lead_unit(user, task)
    if own is None or not actor.writes or (unit is not None and unit.pk != own.pk):
        return False
    return own.state in t.sources


def resolve_unit(user, task: Task, name: str, unit: TaskUnit | None = None) -> TaskUnit | None:
    """The lead unit a transition moves: none for task transitions; the user's own for a lead's;
    for the office, the one named, else the only lead unit where it applies."""
    t = check_transition(user, task, name, unit)
    if name in TASK_TRANSITIONS:
        return None
    if t.actor == LEAD:
        return own_lead_unit(user, task)
    if unit is not None:
        return unit
    candidates = [u for u in task.lead_units() if u.state in t.sources]
    if len(candidates) > 1:
        names = "、".join(u.name for u in candidates)
        raise ValueError(f"该事项有多个牵头单位可“{t.label}”（{names}），请指明单位。")
    return candidates[0]


def check_transition(user, task: Task, name: str, unit: TaskUnit | None = None) -> Transition:
    t = TRANSITIONS.get(name)
    if t is None:
        raise ScopeError(f"未知的操作：{name}")
    if unit is not None and unit.role != TaskUnit.Role.LEAD:
        raise ScopeError(f"“{unit.name}”不是本事项的牵头单位；配合单位不单独办结。")
    if can_transition(user, task, name, unit):
        return t
    who = {OFFICE: "督查部门", LEAD: "牵头单位", SYSTEM: "系统"}[t.actor]
    denied = ScopeError(f"无权“{t.label}”：该操作由{who}办理。")
    if name in TASK_TRANSITIONS or t.actor == SYSTEM:
        if task.state not in t.sources:
            raise ScopeError(f"事项当前为“{task.get_state_display()}”，不能“{t.label}”。")
        raise denied
    if t.actor == OFFICE:
        if user is None or not actor_for(user).office:
            raise denied
        if unit is not None and len(task.lead_units()) > 1:
            raise ScopeError(f"“{unit.name}”当前为“{unit.get_state_display()}”，不能“{t.label}”。")
        raise ScopeError(f"事项当前为“{task.get_state_display()}”，不能“{t.label}”。")
    own = own_lead_unit(user, task) if user is not None else None
    if own is None or not actor_for(user).writes:
        raise denied
    if unit is not None and unit.pk != own.pk:
        raise ScopeError(f"无权“{t.label}”：只能为本单位办理，不能代“{unit.name}”办理。")
    if len(task.lead_units()) > 1:
        raise ScopeError(f"本单位（{own.name}）当前为“{own.get_state_display()}”，不能“{t.label}”。")
    raise ScopeError(f"事项当前为“{task.get_state_display()}”，不能“{t.label}”。")


def allowed_transitions(user, task: Task) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if t.actor != SYSTEM and can_transition(user, task, t.name)]


def allowed_unit_actions(user, task: Task) -> list[tuple[TaskUnit, list[Transition]]]:
    """For the office: per lead unit, the transitions it may apply to that unit (复核, 办结, 退回)."""
    if user is None or not actor_for(user).office:
        return []
    out = []
    for unit in task.lead_units():
        ts = [t for t in TRANSITIONS.values()
              if t.actor == OFFICE and t.name not in TASK_TRANSITIONS and can_transition(user, task, t.name, unit)]
        if ts:
            out.append((unit, ts))
    return out


def can_feedback(user, task: Task) -> bool:
    """A lead unit reports progress while it has signed for the task and not yet reported it done;
    a co unit while any lead unit is handling the task."""
    actor = actor_for(user)
    if not actor.writes:
        return False
    role = unit_role(user, task)
    if role == TaskUnit.Role.LEAD:
        own = own_lead_unit(user, task)
        return own is not None and own.state in (State.SIGNED, State.HANDLING)
    if role == TaskUnit.Role.CO:
        return any(u.state in (State.SIGNED, State.HANDLING) for u in task.lead_units())
    return False


def check_office(user) -> None:
    if user is None or not actor_for(user).office:
        raise ScopeError("无权操作：该操作由督查部门（市政府办公室）办理。")
