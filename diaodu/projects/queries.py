"""Read-side of the project ledger: the derived lists and county tables the pages and
briefings show. Arithmetic comes from ``diaodu.projects.rates``; this module only fetches
(one query per table, no per-row queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from diaodu.core.params import id_param
from diaodu.core.periods import page_period, period_end
from diaodu.engine.periods import Period, schedule_share
from diaodu.org.home import region_filter
from diaodu.org.models import Region
from diaodu.projects import rates
from diaodu.projects.models import IN_CONSTRUCTION, STARTED, Obstacle, ProgressReport, Project, StatsStatus

ZERO = Decimal("0")


def current_period(text: str | None = None) -> Period:
    """The period asked for, else the latest published figures' period, else the latest
    progress report's, else last month."""
    return page_period(text, ProgressReport.objects.all())


def counties() -> list[Region]:
    """The home city's counties, in code order."""
    return list(Region.objects.home_counties())


def with_progress(qs: QuerySet, period: Period) -> QuerySet:
    """Annotate ``ytd`` (本年累计完成 at the period: the latest report of the year up to it)
    and ``ytd_month`` (that report's month, None without a report)."""
    latest = (ProgressReport.objects.filter(project=OuterRef("pk"), year=period.year, month__lte=period.month)
              .order_by("-month"))
    money = DecimalField(max_digits=14, decimal_places=4)
    return qs.annotate(
        ytd=Coalesce(Subquery(latest.values("completed_ytd")[:1], output_field=money), Value(ZERO),
                     output_field=money),
        ytd_month=Subquery(latest.values("month")[:1], output_field=IntegerField()),
    )


@dataclass
class BehindRow:
    project: Project
    ytd: Decimal
    target: float
    gap: float
    completion: float | None


def behind_plan(qs: QuerySet, period: Period) -> list[BehindRow]:
    """Started projects with an annual plan whose year-to-date completion is below the
    序时 share of it, largest gap first."""
    rows = []
    for project in with_progress(qs.filter(stage__in=STARTED, annual_plan__gt=0), period) \
            .select_related("region", "department", "batch"):
        if rates.is_behind_plan(project.ytd, project.annual_plan, period.month):
            rows.append(BehindRow(project, project.ytd, rates.schedule_target(project.annual_plan, period.month),
                                  rates.schedule_gap(project.ytd, project.annual_plan, period.month),
                                  rates.plan_completion_rate(project.ytd, project.annual_plan)))
    rows.sort(key=lambda r: (-r.gap, r.project.code))
    return rows


@dataclass
class IdleRow:
    project: Project
    since: dt.date
    reports_since: int
    last_report: str


def idle_since_batch(qs: QuerySet, period: Period) -> list[IdleRow]:
    """集中开工 projects with no investment reported since their batch's month
    ("不能一开了之、久无动静"), oldest batch first."""
    end = period_end(period)
    rows = []
    projects = (qs.filter(batch__isnull=False, batch__date__lte=end)
                .select_related("batch", "region").prefetch_related("reports"))
    for project in projects:
        start = (project.batch.date.year, project.batch.date.month)
        since = [r for r in project.reports.all() if start <= (r.year, r.month) <= (period.year, period.month)]
        if sum((r.completed_month for r in since), ZERO) > 0:
            continue
        # the latest report as of the period (a past period's 通报 does not show later months)
        last = max((r for r in project.reports.all() if (r.year, r.month) <= (period.year, period.month)),
                   key=lambda r: (r.year, r.month), default=None)
        rows.append(IdleRow(project, project.batch.date, len(since), last.period_label if last else "从未报送"))
    rows.sort(key=lambda r: (r.since, r.project.region_id or "", r.project.code))
    return rows


def not_started(qs: QuerySet, period: Period) -> dict[str, list[Project]]:
    """Projects due to start by the period's end but not started, grouped by obstacle label."""
    end = period_end(period)
    groups: dict[str, list[Project]] = {label: [] for value, label in Obstacle.choices if value}
    groups[Obstacle.NONE.label] = []
    for project in (qs.filter(actual_start__isnull=True, planned_start__lte=end)
                    .exclude(stage__in=STARTED).select_related("region", "department")
                    .order_by("planned_start", "code")):
        groups[Obstacle(project.obstacle).label].append(project)
    return {k: v for k, v in groups.items() if v}


def not_in_statistics(qs: QuerySet) -> QuerySet:
    """In-construction projects eligible for the statistics (≥ 500 万元) not yet entered,
    by deadline (none last)."""
    from diaodu.projects.models import STATS_THRESHOLD

    return (qs.filter(stage__in=IN_CONSTRUCTION, total_investment__gte=STATS_THRESHOLD)
            .exclude(stats_status=StatsStatus.ENTERED)
            .select_related("region", "department")
            .order_by(Coalesce("stats_deadline", Value(dt.date(9999, 12, 31))), "code"))


@dataclass
class CountyRow:
    region: Region
    projects: int = 0
    planned_starts: int = 0
    started: int = 0
    annual_plan: Decimal = ZERO
    ytd: Decimal = ZERO
    behind: int = 0
    start_rate: float | None = None
    completion: float | None = None
    funds_rate: float | None = None
    deal_start_rate: float | None = None
    ranks: dict = field(default_factory=dict)


def county_table(period: Period) -> list[CountyRow]:
    """Per county: 项目开工率, 年度计划投资完成率 (against 序时), and the 招商引资
    资金到位率 and 签约项目开工率, each ranked among the counties."""
    from diaodu.investment.queries import county_pipeline

    end = period_end(period)
    rows = {r.code: CountyRow(r) for r in counties()}
    year_start = dt.date(period.year, 1, 1)
    qs = with_progress(Project.objects.filter(region_id__in=rows), period)
    for p in qs.only("region_id", "stage", "planned_start", "actual_start", "annual_plan"):
        row = rows[p.region_id]
        row.projects += 1
        if p.planned_start and year_start <= p.planned_start <= end:
            row.planned_starts += 1
            if p.actual_start and p.actual_start <= end:
                row.started += 1
        if p.stage in STARTED:
            row.annual_plan += p.annual_plan
            row.ytd += p.ytd
            if rates.is_behind_plan(p.ytd, p.annual_plan, period.month):
                row.behind += 1
    pipeline = county_pipeline(period)
    for code, row in rows.items():
        row.start_rate = rates.start_rate(row.started, row.planned_starts)
        row.completion = rates.plan_completion_rate(row.ytd, row.annual_plan)
        if code in pipeline:
            row.funds_rate = pipeline[code].rates.funds_rate
            row.deal_start_rate = pipeline[code].rates.start_rate
    for key in ("start_rate", "completion", "funds_rate", "deal_start_rate"):
        for code, position in rates.rank({c: getattr(r, key) for c, r in rows.items()}).items():
            rows[code].ranks[key] = position
    return list(rows.values())


def schedule_percent(period: Period) -> float:
    return schedule_share(period.month) * 100


def search(qs: QuerySet, params) -> QuerySet:
    """The project list's filters: region, category, stage, list, batch, obstacle, q."""
    if params.get("region"):
        qs = region_filter(qs, params["region"])
    for key in ("category", "stage", "obstacle", "stats_status"):
        if params.get(key):
            qs = qs.filter(**{key: params[key]})
    if params.get("list"):
        qs = qs.filter(lists__code=params["list"])
    batch = id_param(params, "batch")
    if batch is not None:
        qs = qs.filter(batch_id=batch)
    if params.get("q"):
        qs = qs.filter(Q(name__icontains=params["q"]) | Q(code__icontains=params["q"]) |
                       Q(leader__icontains=params["q"]))
    return qs
