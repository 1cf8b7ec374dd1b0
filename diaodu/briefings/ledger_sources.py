"""The ledgers' results for one period, as rows a briefing (and a fact's ``resolve``) reads.

Each function takes JSON arguments (a period ``YYYY-MM``) and calls the ledger app's own query
or calculation (``diaodu.projects.queries``, ``diaodu.investment.queries``,
``diaodu.enterprises.services``, ``diaodu.fiscal.services``). Nothing here computes a figure:
a row only copies the ledger's values (money as float, shares as shares) under stable keys, so
a :class:`~diaodu.briefings.facts.Src` can point at one field of one row. ``LEDGER`` names the
ledger function behind each source (recorded with every fact).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from diaodu.engine.periods import Period
from diaodu.org.home import home_code

LEDGER = {
    "project_counties": "diaodu.projects.queries.county_table",
    "project_schedule": "diaodu.projects.queries.schedule_percent",
    "projects_behind": "diaodu.projects.queries.behind_plan",
    "projects_idle": "diaodu.projects.queries.idle_since_batch",
    "projects_not_started": "diaodu.projects.queries.not_started",
    "projects_not_in_statistics": "diaodu.projects.queries.not_in_statistics",
    "investment_counties": "diaodu.investment.queries.county_pipeline",
    "enterprises_troubled": "diaodu.enterprises.models.Enterprise",
    "enterprises_troubled_counts": "diaodu.enterprises.models.Enterprise",
    "enterprises_candidates": "diaodu.enterprises.services.upgrade_candidates",
    "enterprises_new_above_scale": "diaodu.enterprises.models.Enterprise",
    "fiscal_execution": "diaodu.fiscal.services.execution_table",
    "fiscal_gaps": "diaodu.fiscal.services.gaps",
}


def _f(value):
    return float(value) if isinstance(value, Decimal) else value


def _p(period) -> Period:
    return Period.parse(str(period))


def _listed(rows: list[dict]) -> dict:
    return {"rows": rows, "count": len(rows)}


# --- 重点项目 ---------------------------------------------------------------------------------

def project_counties(period: str) -> list[dict]:
    from diaodu.projects import queries

    out = []
    for r in queries.county_table(_p(period)):
        out.append({"region_code": r.region.code, "region_name": r.region.name, "projects": r.projects,
                    "planned_starts": r.planned_starts, "started": r.started, "annual_plan": _f(r.annual_plan),
                    "ytd": _f(r.ytd), "behind": r.behind, "start_rate": r.start_rate, "completion": r.completion,
                    "funds_rate": r.funds_rate, "deal_start_rate": r.deal_start_rate,
                    **{f"rank_{k}": v for k, v in r.ranks.items()}})
    return out


def project_schedule(period: str) -> dict:
    """序时进度 (%) of the period."""
    from diaodu.projects import queries

    return {"schedule": queries.schedule_percent(_p(period))}


def _region(region_code: str | None):
    return region_code or home_code()


def _projects(region_code: str | None):
    from diaodu.projects import queries
    from diaodu.projects.models import Project

    return queries.region_filter(Project.objects.all(), _region(region_code))


def projects_behind(period: str, region_code: str | None = None) -> dict:
    from diaodu.projects import queries

    rows = [{"code": r.project.code, "name": r.project.name, "owner": r.project.owner_name,
             "region_code": r.project.region_id, "stage": r.project.get_stage_display(),
             "leader": r.project.leader, "annual_plan": _f(r.project.annual_plan), "target": _f(r.target),
             "ytd": _f(r.ytd), "completion": r.completion, "gap": _f(r.gap),
             "batch": r.project.batch.name if r.project.batch_id else ""}
            for r in queries.behind_plan(_projects(region_code), _p(period))]
    return _listed(rows)


def projects_idle(period: str, region_code: str | None = None) -> dict:
    from diaodu.projects import queries

    rows = [{"code": r.project.code, "name": r.project.name, "owner": r.project.owner_name,
             "region_code": r.project.region_id, "batch": r.project.batch.name, "since": r.since.isoformat(),
             "reports_since": r.reports_since, "last_report": r.last_report, "leader": r.project.leader}
            for r in queries.idle_since_batch(_projects(region_code), _p(period))]
    return _listed(rows)


def projects_not_started(period: str, region_code: str | None = None) -> dict:
    """Per obstacle: the number of projects due to start but not started."""
    from diaodu.projects import queries

    groups = queries.not_started(_projects(region_code), _p(period))
    rows = [{"obstacle": label, "count": len(projects),
             "names": "、".join(p.name for p in projects[:3])} for label, projects in groups.items()]
    return _listed(rows)


def projects_not_in_statistics(period: str, region_code: str | None = None) -> dict:
    from diaodu.projects import queries

    rows = [{"code": p.code, "name": p.name, "owner": p.owner_name, "region_code": p.region_id,
             "stage": p.get_stage_display(), "total_investment": _f(p.total_investment),
             "status": p.get_stats_status_display(),
             "deadline": p.stats_deadline.isoformat() if p.stats_deadline else ""}
            for p in queries.not_in_statistics(_projects(region_code))]
    return _listed(rows)


# --- 招商引资 ---------------------------------------------------------------------------------

def investment_counties(period: str) -> list[dict]:
    from diaodu.investment import queries

    out = []
    for code, p in queries.county_pipeline(_p(period)).items():
        r = p.rates
        out.append({"region_code": code, "region_name": p.region.name, "deals": r.deals, "signed": r.signed,
                    "started": r.started, "terminated": r.terminated, "contracted": _f(r.contracted),
                    "arrived": _f(r.arrived), "arrived_year": _f(p.arrived_year), "start_rate": r.start_rate,
                    "funds_rate": r.funds_rate, "performance_rate": r.performance_rate,
                    **{f"rank_{k}": v for k, v in p.ranks.items()}})
    return out


# --- 企业 -------------------------------------------------------------------------------------

def period_end_moment(period) -> dt.datetime:
    """The last moment of ``period`` (its month's end, in the site's time zone)."""
    p = _p(period)
    first_next = dt.date(p.year + (p.month == 12), p.month % 12 + 1, 1)
    return timezone.make_aware(dt.datetime.combine(first_next, dt.time.min))


def as_of(instances: list, moment: dt.datetime) -> list:
    """``instances`` (unsaved copies) with every field changed after ``moment`` put back to its
    value before the change, from the change records (``diaodu.audit``: each update keeps the
    fields' values before it). A past period's 通报 thus lists what the ledger said at its end.
    Records created later stay (a ledger filled in afterwards describes the past too). The records
    hold JSON (dates as ISO text, amounts as decimal text): each value is put back as its field's
    Python type (``Field.to_python``); one that no longer converts leaves the field as it is."""
    from django.core.exceptions import ValidationError

    from diaodu.audit.models import ChangeRecord

    if not instances:
        return instances
    meta = instances[0]._meta
    by_id = {str(obj.pk): obj for obj in instances}
    changes = (ChangeRecord.objects.filter(object_type=meta.label_lower, object_id__in=list(by_id), time__gte=moment,
                                           action__in=["update", "import", "reject"])
               .order_by("-time", "-id").values_list("object_id", "before"))
    for object_id, before in changes:
        obj = by_id.get(object_id)
        for name, value in (before or {}).items():
            try:
                field = meta.get_field(name)
            except Exception:  # a field since removed
                continue
            if field.concrete and not field.many_to_many:
                try:
                    setattr(obj, field.attname, field.to_python(value))
                except ValidationError:
                    continue
    return instances


def _enterprises_as_of(period: str | None, region_code: str | None):
    """Enterprises (of a county, or every county) as they stood at the end of ``period``
    (now when no period), with region loaded."""
    from django.db.models import Q

    from diaodu.enterprises.models import Enterprise

    qs = Enterprise.objects.select_related("region", "department").order_by("region_id", "name")
    if region_code:
        qs = qs.filter(Q(region_id=region_code) | Q(region__parent_id=region_code))
    rows = list(qs)
    return as_of(rows, period_end_moment(period)) if period else rows


def enterprises_troubled(region_code: str | None = None, period: str | None = None) -> dict:
    """停产、半停产、未销售 enterprises as the ledger stood at the end of ``period`` (the ledger's
    current status without one)."""
    from diaodu.enterprises.models import TROUBLED

    troubled = [e for e in _enterprises_as_of(period, _region(region_code)) if e.status in TROUBLED]
    troubled.sort(key=lambda e: (e.region_id or "", e.status, e.name))
    rows = [{"name": e.name, "region_code": e.region_id, "region_name": e.region.name if e.region_id else "",
             "status": e.get_status_display(), "cause": e.get_cause_display() or "",
             "cause_note": e.cause_note, "above_scale": e.above_scale, "industry": e.industry_name,
             "measures": e.measures, "responsible": e.responsible}
            for e in troubled]
    by_status: dict[str, int] = {str(s): 0 for s in TROUBLED}
    for e in troubled:
        by_status[str(e.status)] = by_status.get(str(e.status), 0) + 1
    return {**_listed(rows), **{f"count_{k}": v for k, v in by_status.items()}}


def enterprises_troubled_counts(period: str | None = None) -> list[dict]:
    """Per county: the number of troubled enterprises by status (at the end of ``period``)."""
    from diaodu.enterprises.models import TROUBLED
    from diaodu.projects.queries import counties

    counts: dict[str, dict[str, int]] = {}
    for e in _enterprises_as_of(period, None):
        if e.status in TROUBLED:
            county = counts.setdefault(e.region_id, {})
            county[str(e.status)] = county.get(str(e.status), 0) + 1
    return [{"region_code": c.code, "region_name": c.name,
             **{str(s): counts.get(c.code, {}).get(str(s), 0) for s in TROUBLED}} for c in counties()]


def enterprises_new_above_scale(period: str) -> dict:
    """规上 enterprises whose 入规年份 is the period's year (as the ledger stood at its end)."""
    p = _p(period)
    new = [e for e in _enterprises_as_of(period, None) if e.above_scale and e.scale_year == p.year]
    return {"count": len(new), "names": "、".join(e.name for e in new[:5])}


def enterprises_candidates(period: str) -> dict:
    """升规 candidates at the period's month, with the gap to the 2000万元 threshold."""
    from diaodu.enterprises import rules, services

    p = _p(period)
    rows = [{"name": r.enterprise.name, "region_code": r.enterprise.region_id,
             "region_name": r.enterprise.region.name if r.enterprise.region_id else "",
             "annual_revenue": r.candidate.annual_revenue, "gap": r.candidate.gap, "label": r.candidate.label,
             "months_used": r.months_used}
            for r in services.upgrade_candidates((p.year, p.month))]
    return {**_listed(rows), "threshold": rules.SCALE_THRESHOLD}


# --- 督查督办 ---------------------------------------------------------------------------------

def open_tasks(period: str) -> list[dict]:
    """督办事项 open at the end of ``period``, as the supervision ledger then stood (state, title
    and deadline put back from the change records): begun by then (``start_date``), not 办结;
    soonest deadline first. Each row: title, lead_units (各县区 for all counties), deadline (a date
    or None), recurrence (每月报送 …, or empty)."""
    from diaodu.supervision.models import State, Task
    from diaodu.supervision.queries import units_label, with_units

    moment = period_end_moment(period)
    tasks = as_of(list(with_units(Task.objects.filter(start_date__lt=moment.date()))), moment)
    tasks = sorted((t for t in tasks if t.state != State.CLOSED),
                   key=lambda t: (t.deadline is None, t.deadline or dt.date.max, t.pk))
    return [{"title": t.title, "lead_units": units_label(t.lead_units()),
             "deadline": t.deadline, "recurrence": t.get_recurrence_display() if t.recurrence else ""}
            for t in tasks]


# --- 财政 -------------------------------------------------------------------------------------

def fiscal_execution(period: str) -> list[dict]:
    """全市, 市级 and each county × every item: budget, actual, rate, gap to 序时进度, amount behind."""
    from diaodu.fiscal import services

    p = _p(period)
    schedule = services.schedule(p.month)  # in each row, so a printed gap is rate − schedule as printed
    out = []
    for unit in services.execution_table(p.year, p.month):
        for item, cell in unit.cells.items():
            out.append({"unit": unit.code or "all", "label": unit.label, "item": item, "budget": cell.budget,
                        "actual": cell.actual, "rate": cell.rate, "schedule": schedule, "gap": cell.gap,
                        "behind": cell.behind})
    return out


def fiscal_schedule(period: str) -> dict:
    from diaodu.fiscal import services

    return {"schedule": services.schedule(_p(period).month)}


def fiscal_gaps(period: str) -> dict:
    from diaodu.fiscal import services

    p = _p(period)
    rows, total = services.gaps(p.year, p.month)
    return {"rows": [{"unit": r.code, "label": r.label, "revenue": r.result.revenue, "land": r.result.land,
                      "land_counted": r.result.land_counted, "available": r.result.available,
                      "need": r.result.need, "gap": r.result.gap} for r in rows],
            "total": total, "count": len(rows)}


LEDGER["fiscal_schedule"] = "diaodu.fiscal.services.schedule"
