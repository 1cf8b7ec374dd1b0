"""The one write path of supervision: every view, command and the demo call these.

Each action checks the user in ``flow`` (the office, the lead unit, the system),
validates, writes inside one transaction, bumps the version (optimistic locking,
as ``diaodu.core.write_path``) and appends a change record (``record_change``).
``user=None`` is the system (the indicator sync); only ``recover`` and
``create_task(..., system=True)`` accept it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from diaodu.audit.models import ChangeRecord
from diaodu.audit.records import record_change
from diaodu.core.write_path import ConflictError, check_version, snapshot, versioned_update
from diaodu.org.models import Department, Region
from diaodu.org.scopes import ScopeError
from diaodu.supervision import flow, notify
from diaodu.supervision.models import (
    MAX_REPORT_DAY,
    STATE_ORDER,
    Accountability,
    Attachment,
    Feedback,
    Meeting,
    State,
    Task,
    TaskUnit,
)

__all__ = [
    "ConflictError",
    "UnitResolver",
    "add_accountability",
    "add_feedback",
    "create_from_drafts",
    "create_meeting",
    "create_task",
    "transition",
    "update_task",
]

Unit = Region | Department


class UnitResolver:
    """Unit names → Regions and Departments: catalogue names, codes, aliases, county short
    names, and the speech's collective names (各县区, 各县区各部门 …) expanded to their members."""

    def __init__(self):

        from diaodu.supervision.speech import units_from_catalogue

        self.by_name: dict[str, Unit] = {}
        counties = Region.objects.home_counties()
        for region in counties.order_by("code"):
            for key in (region.code, region.name, region.short_name):
                self.by_name.setdefault(key, region)
        for dept in Department.objects.all():
            for key in (dept.code, dept.name, dept.full_name, *dept.aliases):
                if key:
                    self.by_name.setdefault(key, dept)
        self.dictionary = units_from_catalogue()

    def resolve_many(self, names: Iterable[str]) -> tuple[list[Unit], list[str]]:
        """Units found (in order, without repeats) and the names not found."""
        found: list[Unit] = []
        missing: list[str] = []
        for raw in names:
            name = raw.strip()
            if not name:
                continue
            unit = self.by_name.get(name)
            if unit is not None:
                units = [unit]
            else:
                entry = self.dictionary.resolve(name)
                units = [self.by_name[m] for m in (entry.members if entry else ()) if m in self.by_name]
                if not units:
                    missing.append(name)
                    continue
            for unit in units:
                if unit not in found:
                    found.append(unit)
        return found, missing


def split_names(text: str) -> list[str]:
    """"市发改委、市统计局" / "市发改委,市统计局" → names."""
    import re

    return [n for n in re.split(r"[、，,；;\s]+", text or "") if n]


def _unit_kwargs(unit: Unit) -> dict:
    return {"region": unit} if isinstance(unit, Region) else {"department": unit}


def task_snapshot(task: Task) -> dict:
    data = snapshot(task)
    data["units"] = []
    for u in task.units.select_related("department").order_by("role", "order", "id"):
        row = {"role": u.role, "unit": u.region_id or (u.department.code if u.department_id else None)}
        if u.role == TaskUnit.Role.LEAD:
            row |= {"state": u.state, "returned_count": u.returned_count, "quantity_done": u.quantity_done,
                    "closed_on": u.closed_on.isoformat() if u.closed_on else None}
        data["units"].append(row)
    return data


def sync_task_state(task: Task) -> None:
    """The task's state from its lead units': the least advanced lead's place in the flow,
    办结 (on the last lead's closing date) when every lead unit is closed. Not saved here."""
    leads = list(task.units.filter(role=TaskUnit.Role.LEAD))
    if not leads:
        return
    least = min(leads, key=lambda u: STATE_ORDER.get(u.state, 0))
    task.state = least.state or task.state
    if task.state == State.CLOSED:
        task.closed_on = max((u.closed_on for u in leads if u.closed_on), default=task.closed_on)
    else:
        task.closed_on = None


# --- meetings -------------------------------------------------------------------

def create_meeting(user, meeting: Meeting, *, reason: str = "", source: str = "web") -> Meeting:
    flow.check_office(user)
    with transaction.atomic():
        meeting.created_by = user
        meeting.full_clean()
        meeting.save()
        record_change(user, "create", meeting, after=snapshot(meeting), reason=reason, source=source)
    return meeting


# --- tasks ----------------------------------------------------------------------

def create_task(user, task: Task, leads: Sequence[Unit], cos: Sequence[Unit] = (), *, assign: bool = False,
                system: bool = False, reason: str = "", source: str = "web") -> Task:
    """Register (立项) a task with its lead and co units; with ``assign``, hand it out (交办) at once."""
    if not (system and user is None):
        flow.check_office(user)
    if not leads:
        raise ValueError("须指定至少一个牵头单位。")
    with transaction.atomic():
        first = leads[0]
        task.region = first if isinstance(first, Region) else None
        task.department = first if isinstance(first, Department) else None
        task.state = State.ASSIGNED if assign else State.REGISTERED
        task.created_by = task.updated_by = user
        task.full_clean()
        task.save()
        rows = [TaskUnit(task=task, role=TaskUnit.Role.LEAD, order=i, state=task.state, **_unit_kwargs(u))
                for i, u in enumerate(leads)]
        rows += [TaskUnit(task=task, role=TaskUnit.Role.CO, order=i, **_unit_kwargs(u))
                 for i, u in enumerate(c for c in cos if c not in leads)]
        TaskUnit.objects.bulk_create(rows)
        record_change(user, "create", task, after=task_snapshot(task), reason=reason, source=source)
        if assign:
            notify.enqueue(task, "assigned")
    return task


EDITABLE = {"title", "content", "leader", "responsible", "deadline", "deadline_text", "recurrence",
            "report_day", "quantity_target", "quantity_unit", "start_date", "source_ref"}


def update_task(user, task: Task, changes: dict, *, expected_version: int | None = None, reason: str = "",
                source: str = "web") -> bool:
    """The office edits a task's content, deadline, quantity; returns False when nothing changed."""
    flow.check_office(user)
    bad = set(changes) - EDITABLE
    if bad:
        raise ValueError(f"不能直接修改：{'、'.join(sorted(bad))}")
    # The office's check above is the task's scope; the task's picture includes its units.
    return versioned_update(user, task, changes, expected_version=expected_version, reason=reason, source=source,
                            check=lambda user, current: None, picture=task_snapshot)


def _save(user, task: Task) -> None:
    task.version += 1
    task.updated_by = user
    task.save()


def find_unit(task: Task, code: str) -> TaskUnit:
    """A lead unit of the task by the county's code or name, or the department's code or name."""
    code = (code or "").strip()
    for unit in task.units.select_related("region", "department"):
        keys = {unit.region_id, unit.region.name} if unit.region_id else {unit.department.code, unit.department.name}
        if code in keys:
            if unit.role != TaskUnit.Role.LEAD:
                raise ValueError(f"“{unit.name}”是配合单位，配合单位不单独办结。")
            return unit
    raise ValueError(f"“{code}”不是本事项的牵头单位。")


def transition(user, task: Task, name: str, *, unit: TaskUnit | str | None = None, reason: str = "",
               expected_version: int | None = None, today: dt.date | None = None, source: str = "web") -> Task:
    """Move a task along the flow (see ``flow.TRANSITIONS``): 交办 and 指标恢复 move the whole task;
    签收, 办理 and 反馈 move the user's own lead unit; 复核, 办结 and 退回 move ``unit`` (a lead
    unit, its code or name; may be left out when only one lead unit can take the step)."""
    with transaction.atomic():
        current = Task.objects.select_for_update().get(pk=task.pk)
        if isinstance(unit, str):
            unit = find_unit(current, unit) if unit.strip() else None
        elif unit is not None:
            unit = current.units.get(pk=unit.pk)
        t = flow.check_transition(user, current, name, unit)
        check_version(current, expected_version)
        reason = (reason or "").strip()
        if t.needs_reason and not reason:
            raise ValueError(f"“{t.label}”须说明原因。")
        moved = flow.resolve_unit(user, current, name, unit)
        before = task_snapshot(current)
        closed_on = today or timezone.localdate()
        if moved is None:  # the whole task
            leads = current.units.filter(role=TaskUnit.Role.LEAD)
            if t.target == State.CLOSED:
                leads.exclude(state=State.CLOSED).update(state=State.CLOSED, closed_on=closed_on)
            else:
                leads.update(state=t.target)
        else:
            moved.state = t.target
            if name == "return":
                moved.returned_count += 1
            moved.closed_on = closed_on if t.target == State.CLOSED else None
            moved.save(update_fields=["state", "returned_count", "closed_on"])
        if name == "return":
            current.returned_count += 1
        sync_task_state(current)
        if moved is None and t.target == State.CLOSED:
            current.closed_on = closed_on
        _save(user, current)
        action = ChangeRecord.Action.REJECT if name == "return" else ChangeRecord.Action.UPDATE
        label = f"{t.label}（{moved.name}）" if moved is not None and len(current.lead_units()) > 1 else t.label
        record_change(user, action, current, before=before, after=task_snapshot(current),
                      reason=label + (f"：{reason}" if reason else ""), source=source)
        if name == "assign":
            notify.enqueue(current, "assigned")
        elif name == "return":
            notify.enqueue(current, "returned", detail=str(current.returned_count), unit=moved)
    task.__dict__.update(current.__dict__)
    _forget_units(task)
    return task


def _forget_units(task: Task) -> None:
    """Drop the caller's prefetched units: their states just changed."""
    cache = getattr(task, "_prefetched_objects_cache", None)
    if cache:
        cache.pop("units", None)
        cache.pop("feedback", None)


def add_feedback(user, task: Task, text: str, *, quantity_done: float | None = None,
                 files: Sequence = (), final: bool = False, now: dt.datetime | None = None,
                 expected_version: int | None = None, source: str = "web") -> Feedback:
    """A unit reports progress (and, with ``final``, a lead unit reports its part done: 反馈 for 复核)."""
    text = (text or "").strip()
    if not text:
        raise ValueError("请填写进展情况。")
    if quantity_done is not None and quantity_done < 0:
        raise ValueError("完成数量不能为负数。")
    with transaction.atomic():
        current = Task.objects.select_for_update().get(pk=task.pk)
        if not flow.can_feedback(user, current):
            raise ScopeError("无权反馈：只有本事项的牵头或配合单位可在签收后、提交复核前反馈进展。")
        if final and not flow.can_transition(user, current, "report"):
            raise ScopeError("只有牵头单位可以提交办结反馈。")
        check_version(current, expected_version)
        actor = flow.actor_for(user)
        own = flow.own_lead_unit(user, current)
        feedback = Feedback.objects.create(
            task=current, author=user, created_at=now or timezone.now(), text=text,
            quantity_done=quantity_done, final=final,
            region_id=actor.region if not actor.department_id else None,
            department_id=actor.department_id,
        )
        names = []
        for f in files:
            name = getattr(f, "name", "附件")[:200]
            Attachment.objects.create(feedback=feedback, file=f, name=name, size=getattr(f, "size", 0) or 0)
            names.append(name)
        before = task_snapshot(current)
        if quantity_done is not None:
            current.quantity_done = quantity_done
        if own is not None:
            if quantity_done is not None:
                own.quantity_done = quantity_done
            if own.state == State.SIGNED:
                own.state = State.HANDLING
            if final:
                own.state = State.REPORTED
            own.save(update_fields=["state", "quantity_done"])
            sync_task_state(current)
        _save(user, current)
        record_change(user, "update", current, before=before, after=task_snapshot(current) | {
            "feedback": {"id": feedback.pk, "text": text, "quantity_done": quantity_done, "final": final,
                         "attachments": names}},
            reason="办结反馈" if final else "进展反馈", source=source)
    task.__dict__.update(current.__dict__)
    _forget_units(task)
    return feedback


def add_accountability(user, kind: str, unit: Unit, *, task: Task | None = None, date: dt.date, reason: str,
                       decided_by: str = "", source: str = "web") -> Accountability:
    flow.check_office(user)
    with transaction.atomic():
        record = Accountability(kind=kind, task=task, date=date, reason=(reason or "").strip(),
                                decided_by=decided_by, created_by=user, **_unit_kwargs(unit))
        record.full_clean()
        record.save()
        record_change(user, "create", record, after=snapshot(record), reason=record.get_kind_display(),
                      source=source)
    return record


# --- speech → meeting and tasks ------------------------------------------------

@dataclass
class DraftInput:
    """A reviewed draft, as confirmed on the review page (or taken as is by the demo)."""

    lead_units: list[str]
    action: str
    sentence: str = ""
    co_units: list[str] = field(default_factory=list)
    deadline: dt.date | None = None
    deadline_text: str = ""
    leader: str = ""
    quantity_target: float | None = None
    quantity_unit: str = ""
    matched: list = field(default_factory=list)
    recurrence: str = ""  # 每月/每季度报送 (Task.Recurrence), with report_day
    report_day: int | None = None

    @classmethod
    def from_draft(cls, d: dict) -> DraftInput:
        deadline = d.get("deadline") or {}
        q = d.get("quantity") or {}
        date = deadline.get("date")
        # Collective subjects stay as said (各县区), the resolver expands them.
        subjects = list(dict.fromkeys(s["name"] for s in d.get("subjects") or []))
        return cls(
            lead_units=subjects or list(d.get("lead_units") or []),
            co_units=list(d.get("co_units") or []),
            action=d.get("action", ""),
            sentence=d.get("sentence", ""),
            deadline=dt.date.fromisoformat(date) if isinstance(date, str) else date,
            deadline_text=deadline.get("text", ""),
            leader=d.get("responsible_role", ""),
            quantity_target=q.get("value"),
            quantity_unit=q.get("unit", ""),
            matched=list(d.get("matched") or []),
            recurrence=deadline.get("recurrence") or "",
            report_day=deadline.get("report_day"),
        )


class DraftError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


def title_for(action: str, limit: int = 40) -> str:
    """A short title: the action's leading clauses up to about ``limit`` characters."""
    action = action.strip()
    if len(action) <= limit:
        return action
    title = ""
    for clause in action.split("，"):
        if title and len(title) + len(clause) + 1 > limit:
            break
        title = f"{title}，{clause}" if title else clause
        if len(title) >= 16:
            break
    return title[:limit] if len(title) <= limit else title[: limit - 1] + "…"


def create_from_drafts(user, meeting: Meeting, drafts: Sequence[DraftInput], *, assign: bool = True,
                       source: str = "web") -> tuple[Meeting, list[Task]]:
    """Create a meeting and one task per confirmed draft, all or nothing."""
    flow.check_office(user)
    resolver = UnitResolver()
    problems: list[str] = []
    resolved = []
    for i, d in enumerate(drafts, 1):
        leads, missing = resolver.resolve_many(d.lead_units)
        cos, missing_co = resolver.resolve_many(d.co_units)
        if missing or missing_co:
            problems.append(f"第{i}条：单位“{'、'.join(missing + missing_co)}”不在机构目录中")
        if not leads:
            problems.append(f"第{i}条：须指定牵头单位")
        if not d.action.strip():
            problems.append(f"第{i}条：交办内容不能为空")
        if d.deadline and d.deadline < meeting.date:
            problems.append(f"第{i}条：办理期限早于会议日期")
        if d.recurrence and not (d.report_day and 1 <= d.report_day <= MAX_REPORT_DAY):
            problems.append(f"第{i}条：周期性报送须填写1到{MAX_REPORT_DAY}之间的每期报送日")
        resolved.append((leads, cos))
    if problems:
        raise DraftError(problems)
    tasks = []
    with transaction.atomic():
        create_meeting(user, meeting, reason="讲话交办", source=source)
        for d, (leads, cos) in zip(drafts, resolved, strict=True):
            task = Task(
                title=title_for(d.action), content=d.action.strip(), source=Task.Source.SPEECH, meeting=meeting,
                sentence=d.sentence, matched=d.matched, leader=d.leader, start_date=meeting.date,
                deadline=d.deadline, deadline_text=d.deadline_text[:60],
                quantity_target=d.quantity_target if d.quantity_target else None,
                quantity_unit=d.quantity_unit[:20], recurrence=d.recurrence, report_day=d.report_day,
            )
            tasks.append(create_task(user, task, leads, cos, assign=assign, reason=f"{meeting.title}交办",
                                     source=source))
    return meeting, tasks
