"""Read side: task rows with their warnings, the inbox, the countdown, the 作战图 and the 督查通报.

Every function takes ``today`` (the pages pass ``warnings.today()``) and reads
through ``flow.restrict_tasks`` when given a user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from diaodu.org.home import home_code
from diaodu.org.models import Region
from diaodu.supervision import flow
from diaodu.supervision.models import OPEN_STATES, State, SupervisionSettings, Task, TaskUnit
from diaodu.supervision.warnings import BLUE, LEVEL_ORDER, RED, YELLOW, Warning


@dataclass
class UnitRow:
    """One lead unit of a task: its own state and warning."""

    unit: TaskUnit
    warning: Warning

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def closed(self) -> bool:
        return self.unit.is_closed


@dataclass
class Row:
    task: Task
    warning: Warning
    due: dt.date | None
    leads: str
    cos: str
    lead_rows: list[UnitRow] = field(default_factory=list)
    mine: UnitRow | None = None  # the viewing unit's own part, when it is a lead unit

    @property
    def days_left(self) -> int | None:
        return self.warning.days_left

    @property
    def is_open(self) -> bool:
        """Open for the viewer: their own part when they are a lead unit, else the task."""
        return not self.mine.closed if self.mine is not None else self.task.is_open

    @property
    def closed_count(self) -> int:
        return sum(1 for u in self.lead_rows if u.closed)

    @property
    def split(self) -> str:
        """已办结 3/9 for a task with several lead units, empty otherwise."""
        if len(self.lead_rows) < 2:
            return ""
        return f"已办结 {self.closed_count}/{len(self.lead_rows)}"

    @property
    def overdue_units(self) -> list[UnitRow]:
        return [u for u in self.lead_rows if u.warning.level == RED]

    @property
    def overdue_names(self) -> str:
        return "、".join(u.name for u in self.overdue_units)

    @property
    def awaiting_review(self) -> str:
        """The lead units that reported and wait for the office (反馈, 复核)."""
        return "、".join(u.name for u in self.lead_rows if u.unit.state in (State.REPORTED, State.REVIEWING))


def with_units(qs: QuerySet) -> QuerySet:
    return qs.select_related("meeting", "region", "department").prefetch_related(
        Prefetch("units", queryset=TaskUnit.objects.select_related("region", "department")),
        "feedback",
    )


_UNIT_SETS: dict[str, tuple[frozenset[str], frozenset[int]]] = {}


def _unit_sets() -> tuple[frozenset[str], frozenset[int]]:
    """The home city's county codes and department ids (cached per home region)."""
    home = home_code()
    if home not in _UNIT_SETS:
        from diaodu.org.models import Department

        _UNIT_SETS[home] = (
            frozenset(Region.objects.home_counties().values_list("code", flat=True)),
            frozenset(Department.objects.filter(region_id=home).values_list("pk", flat=True)),
        )
    return _UNIT_SETS[home]


def units_label(units: list[TaskUnit]) -> str:
    """Names joined by 、, with every county shown as 各县区 and every department as 各部门."""
    counties, departments = _unit_sets()
    all_counties = bool(counties) and counties <= {u.region_id for u in units if u.region_id}
    all_departments = bool(departments) and departments <= {u.department_id for u in units if u.department_id}
    names = ["各县区"] if all_counties else []
    names += ["各部门"] if all_departments else []
    names += [u.name for u in units
              if not (all_counties and u.region_id in counties) and not (all_departments and u.department_id)]
    return "、".join(names)


def rows_for(tasks, today: dt.date, config: SupervisionSettings | None = None, *,
             viewer: tuple[str | None, int | None] | None = None) -> list[Row]:
    """Rows with each lead unit's own warning; the task's warning is its worst open lead's.
    ``viewer`` (county code, department id): a lead unit looking at its own part — its row
    shows its own state and warning, not the other leads'."""
    config = config or SupervisionSettings.get()
    out = []
    for task in tasks:
        units = list(task.units.all())
        leads = [u for u in units if u.role == TaskUnit.Role.LEAD]
        lead_rows = [UnitRow(u, u.warning(today, config)) for u in leads]
        mine = next((r for r in lead_rows if viewer and r.unit.is_for(*viewer)), None)
        warning = mine.warning if mine is not None else task.warning(today, config)
        out.append(Row(
            task=task, warning=warning, due=task.due_date(today),
            leads=units_label(leads), cos=units_label([u for u in units if u.role == TaskUnit.Role.CO]),
            lead_rows=lead_rows, mine=mine,
        ))
    return out


def viewer_of(user) -> tuple[str | None, int | None] | None:
    actor = flow.actor_for(user)
    return None if actor.reads_all or not actor.has_unit else (actor.region, actor.department_id)


def task_scope_key(user) -> object:
    """One value per view of the tasks (what ``flow.restrict_tasks`` lets the user read and the part
    ``viewer_of`` shows as their own): a cache key part, shared by every reader of all tasks and by
    the staff of one unit."""
    return "all" if flow.actor_for(user).reads_all else viewer_of(user)


def _by_urgency(rows: list[Row]) -> list[Row]:
    far = dt.date.max
    return sorted(rows, key=lambda r: (LEVEL_ORDER[r.warning.level], r.due or far, r.task.pk))


def countdown(user, today: dt.date) -> list[Row]:
    """Open tasks of the user's scope, soonest due first (those without a date last)."""
    qs = with_units(flow.restrict_tasks(user, Task.objects.filter(state__in=OPEN_STATES)))
    rows = [r for r in rows_for(qs, today, viewer=viewer_of(user)) if r.is_open]
    return sorted(rows, key=lambda r: (r.due is None, r.due or dt.date.max, r.task.pk))


@dataclass
class Inbox:
    new: list[Row]  # assigned, waiting for the unit to sign (for the office: registered, to assign)
    to_review: list[Row]  # reported, waiting for the office (office only)
    overdue: list[Row]
    behind: list[Row]
    approaching: list[Row]
    open_count: int

    @property
    def empty(self) -> bool:
        return not (self.new or self.to_review or self.overdue or self.behind or self.approaching)


def _is_unit_of(actor, task: Task) -> bool:
    return any((actor.region and u.region_id == actor.region)
               or (actor.department_id and u.department_id == actor.department_id) for u in task.units.all())


def inbox(user, today: dt.date) -> Inbox:
    actor = flow.actor_for(user)
    qs = with_units(flow.restrict_tasks(user, Task.objects.filter(state__in=OPEN_STATES)))
    rows = [r for r in rows_for(qs, today, viewer=viewer_of(user)) if r.is_open]
    if actor.office:
        new = [r for r in rows if r.task.state == State.REGISTERED]
        review = [r for r in rows if any(u.unit.state in (State.REPORTED, State.REVIEWING) for u in r.lead_rows)]
    else:  # only the task's own units are asked to sign (a leader reading every task signs none)
        new = [r for r in rows if (r.mine.unit.state if r.mine is not None else r.task.state) == State.ASSIGNED
               and _is_unit_of(actor, r.task)]
        review = []
    return Inbox(
        new=new, to_review=review,
        overdue=_by_urgency([r for r in rows if r.warning.level == RED]),
        behind=_by_urgency([r for r in rows if r.warning.level == YELLOW]),
        approaching=_by_urgency([r for r in rows if r.warning.level == BLUE]),
        open_count=len(rows),
    )


def battle_map(unit_filter: dict, user, today: dt.date) -> dict:
    """作战图 of one unit: what it owes (lead) and supports (co), open first by due date, then done.

    ``unit_filter`` is ``{"region_id": code}`` or ``{"department_id": pk}``.
    """
    unit_tasks = TaskUnit.objects.filter(**unit_filter)
    qs = with_units(flow.restrict_tasks(user, Task.objects.filter(pk__in=unit_tasks.values("task_id"))))
    roles = dict(unit_tasks.values_list("task_id", "role"))
    # The unit's own part: a county that has closed its share of a shared task has it done.
    rows = rows_for(qs, today, viewer=(unit_filter.get("region_id"), unit_filter.get("department_id")))
    open_rows = sorted([r for r in rows if r.is_open], key=lambda r: (r.due or dt.date.max, r.task.pk))
    months: dict[str, list[Row]] = {}
    for r in open_rows:
        key = f"{r.due.year}年{r.due.month}月" if r.due else "期限待定"
        months.setdefault(key, []).append(r)
    return {
        "lead": [r for r in open_rows if roles.get(r.task.pk) == TaskUnit.Role.LEAD],
        "co": [r for r in open_rows if roles.get(r.task.pk) == TaskUnit.Role.CO],
        "months": months,
        "closed": [r for r in rows if not r.is_open],
        "counts": {level: sum(1 for r in open_rows if r.warning.level == level) for level in (RED, YELLOW, BLUE)},
    }


def bulletin_rows(today: dt.date, *, user=None, since: dt.date | None = None) -> list[dict]:
    """The 督查通报 table: overdue open tasks (most overdue first), then tasks closed since ``since``.

    Each row: category (逾期未办结 / 已办结), number, title, lead_units, co_units, deadline,
    deadline_text, state, days_overdue (overdue rows), closed_on and on_time (closed rows),
    returned (times returned for rework), meeting; split (已办结 3/9, tasks with several lead
    units) and all_lead_units. On an overdue row ``lead_units`` names only the lead units that
    are overdue — those that closed their part are not named. For the briefings writer and the page.
    """
    qs = Task.objects.all() if user is None else flow.restrict_tasks(user)
    rows = rows_for(with_units(qs), today)
    overdue = sorted([r for r in rows if r.warning.level == RED], key=lambda r: (r.warning.days_left, r.task.pk))
    closed = sorted([r for r in rows if not r.task.is_open and (since is None or (r.task.closed_on or today) >= since)],
                    key=lambda r: (r.task.closed_on or today, r.task.pk))
    out = []
    for r in overdue:
        out.append(_bulletin_row("逾期未办结", r) | {"days_overdue": -r.warning.days_left,
                                                 "lead_units": r.overdue_names or r.leads})
    for r in closed:
        t = r.task
        on_time = t.deadline is None or (t.closed_on is not None and t.closed_on <= t.deadline)
        out.append(_bulletin_row("已办结", r) | {"closed_on": t.closed_on, "on_time": on_time})
    return out


def _bulletin_row(category: str, r: Row) -> dict:
    t = r.task
    return {
        "category": category, "task_id": t.pk, "number": t.number, "title": t.title,
        "lead_units": r.leads, "co_units": r.cos, "deadline": r.due, "deadline_text": t.deadline_text,
        "state": t.get_state_display(), "returned": t.returned_count,
        "meeting": t.meeting.title if t.meeting_id else "", "days_overdue": None, "closed_on": None,
        "on_time": None, "split": r.split, "all_lead_units": r.leads,
    }
