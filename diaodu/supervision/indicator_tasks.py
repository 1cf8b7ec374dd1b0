"""Indicator → task: a red indicator opens a task for its owning unit; recovery closes it.

For the home city and its counties, each published figure of the period with a
target is judged by ``warnings.indicator_pace`` (completion vs 序时, or growth vs
the growth target). A red figure opens one task (source 指标预警, assigned at
once) for its owner — the county for a county's figure, the owning department
(``SupervisionSettings.indicator_owners`` or ``DEFAULT_OWNERS``) for the city's —
unless an open task already follows that indicator there, or one was already
opened for the same period (a task done stays done). An open indicator task
whose indicator is no longer red closes itself (``recover``).

Runs when ``SupervisionSettings.indicator_tasks_enabled`` is on (or forced):
``diaodu tasks sync-indicators --period YYYY-MM``, e.g. after each release.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from diaodu.engine.periods import Period
from diaodu.indicators.models import Observation, Target, TargetResponsibility
from diaodu.org.home import home_code
from diaodu.org.models import Department, Region
from diaodu.supervision import actions
from diaodu.supervision.models import OPEN_STATES, SupervisionSettings, Task
from diaodu.supervision.warnings import indicator_pace

# Indicator code → the department that answers for it at city level.
DEFAULT_OWNERS = {
    "gdp": "tjj", "gdp_primary": "nyj", "gdp_secondary": "gxj", "gdp_tertiary": "fgw",
    "industry_va": "gxj", "fai": "fgw", "fai_industry": "gxj", "retail": "swuj",
    "revenue_broad": "czj", "revenue_general": "czj", "revenue_tax": "swj", "expenditure_general": "czj",
    "land_revenue": "zrzyj", "income_urban": "dcd", "income_rural": "dcd", "eco_industry_va": "fgw",
    "investment_arrived": "tzcjj", "loans_balance": "jrb",
}


@dataclass
class SyncResult:
    enabled: bool
    red: list[str] = field(default_factory=list)
    opened: list[Task] = field(default_factory=list)
    closed: list[Task] = field(default_factory=list)
    kept: list[Task] = field(default_factory=list)
    unowned: list[str] = field(default_factory=list)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def sync_indicator_tasks(period: Period, *, today: dt.date, force: bool = False) -> SyncResult:
    config = SupervisionSettings.get()
    if not (config.indicator_tasks_enabled or force):
        return SyncResult(enabled=False)
    result = SyncResult(enabled=True)
    home = home_code()
    regions = [home, *Region.objects.filter(parent_id=home).values_list("code", flat=True)]
    owners = {**DEFAULT_OWNERS, **(config.indicator_owners or {})}
    departments = {d.code: d for d in Department.objects.all()}
    region_objs = {r.code: r for r in Region.objects.filter(code__in=regions)}
    targets = {(t.region_id, t.indicator_id): t
               for t in Target.objects.filter(year=period.year, region_id__in=regions)}
    # A target's 目标责任书 names who answers for it: its lead unit gets the task, its leader is named.
    pledges = {(r.region_id, r.indicator_id): r
               for r in TargetResponsibility.objects.filter(year=period.year, region_id__in=regions)
               .select_related("lead_department").prefetch_related("co_departments")}
    observations = (Observation.objects.filter(year=period.year, month=period.month, region_id__in=regions,
                                               published_revision__isnull=False)
                    .select_related("indicator", "region").order_by("indicator__order", "region_id"))
    open_tasks = {(t.indicator_id, t.indicator_region_id): t
                  for t in Task.objects.filter(source=Task.Source.INDICATOR, state__in=OPEN_STATES)}
    done = set(Task.objects.filter(source=Task.Source.INDICATOR, indicator_period=str(period))
               .values_list("indicator_id", "indicator_region_id"))
    # The unit answers by the end of the following month (before the next dispatch meeting).
    due = _month_end(period.year + period.month // 12, period.month % 12 + 1)
    with transaction.atomic():
        for obs in observations:
            target = targets.get((obs.region_id, obs.indicator_id))
            if target is None:
                continue
            pace = indicator_pace(
                kind=obs.indicator.kind, month=obs.month, value=obs.published_value,
                growth=obs.published_growth, target_total=target.total, target_growth=target.growth,
                red_points=config.indicator_red_points, red_growth_points=config.indicator_red_growth_points,
            )
            key = (obs.indicator_id, obs.region_id)
            existing = open_tasks.get(key)
            label = f"{obs.region.name}{obs.indicator.name}"
            if not pace.red:
                if existing is not None:
                    actions.transition(None, existing, "recover", reason=f"{period}：{pace.text}", today=today,
                                       source="sync")
                    result.closed.append(existing)
                continue
            result.red.append(f"{label}：{pace.text}")
            if existing is not None:
                result.kept.append(existing)
                continue
            if key in done:
                continue
            pledge = pledges.get(key[::-1])
            cos: list = []
            if pledge is not None:
                owner = pledge.lead_department
                cos = list(pledge.co_departments.all())
            elif obs.region_id == home:
                owner = departments.get(owners.get(obs.indicator.code, ""))
            else:
                owner = region_objs[obs.region_id]
            if owner is None:
                result.unowned.append(label)
                continue
            period_label = obs.period.full_label(obs.indicator.frequency)
            pledge_text = ""
            if pledge is not None:
                pledge_text = (f"（目标责任书{pledge.document_number and '：' + pledge.document_number}，"
                               f"责任领导 {pledge.leader_label}）")
            task = Task(
                title=f"{label}滞后序时进度"[:120],
                content=(f"{label}{period_label}{pace.text}，低于序时进度。请分析原因，制定追赶措施，"
                         f"逐月反馈进展，确保完成年度目标{pledge_text}。"),
                leader=pledge.leader_label[:60] if pledge is not None else "",
                source=Task.Source.INDICATOR, source_ref=f"{period_label}指标预警",
                start_date=today, deadline=max(due, today), deadline_text="下月调度前",
                indicator=obs.indicator, indicator_region=obs.region, indicator_period=str(period),
                matched=[{"kind": "indicator", "text": pace.text, "value": pace.method}],
            )
            actions.create_task(None, task, [owner], cos, assign=True, system=True,
                                reason=f"红灯指标自动交办：{pace.text}", source="sync")
            result.opened.append(task)
    return result


__all__ = ["DEFAULT_OWNERS", "SyncResult", "sync_indicator_tasks"]
