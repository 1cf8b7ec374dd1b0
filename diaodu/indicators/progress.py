"""报送进度: for a period, which units have submitted, been approved, been published, and which are
late against the reporting calendar (配置 → 报送日历; default the 8th of the next month)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from diaodu.engine.periods import Period
from diaodu.indicators.models import Indicator, Observation, ReportingDeadline, RevisionStatus
from diaodu.org.home import home_code
from diaodu.org.models import Department, Region

STATE_TEXT = {"published": "已发布", "approved": "已审核", "submitted": "已报送", "partial": "部分报送",
              "missing": "未报送"}


@dataclass
class UnitProgress:
    kind: str  # county, city, department
    code: str
    name: str
    expected: int
    entered: int = 0
    approved: int = 0
    published: int = 0
    due: dt.date | None = None
    late: bool = False
    region: Region | None = None
    department: Department | None = None
    indicators: list[str] = field(default_factory=list)

    @property
    def reported(self) -> int:
        return self.entered + self.approved + self.published

    @property
    def state(self) -> str:
        if self.expected and self.published >= self.expected:
            return "published"
        if self.expected and self.approved + self.published >= self.expected:
            return "approved"
        if self.expected and self.reported >= self.expected:
            return "submitted"
        return "partial" if self.reported else "missing"

    @property
    def state_text(self) -> str:
        return STATE_TEXT[self.state]


def expected_indicators(region_code: str, period: Period, indicators: list[Indicator]) -> list[Indicator]:
    """What a region reports for ``period``: the publishing indicators it reported a year before
    (its own data set), else every publishing indicator."""
    publishing = [i for i in indicators if i.publishes(period)]
    before = set(Observation.objects.filter(region_id=region_code, year=period.year - 1, month=period.month,
                                            indicator__in=publishing).values_list("indicator_id", flat=True))
    return [i for i in publishing if i.pk in before] or publishing


def due_date(period: Period, kind: str) -> dt.date:
    day = ReportingDeadline.objects.filter(unit_kind=kind).values_list("due_day", flat=True).first() or 8
    year, month = (period.year + 1, 1) if period.month == 12 else (period.year, period.month + 1)
    return dt.date(year, month, day)


def progress(period: Period, today: dt.date) -> list[UnitProgress]:
    """The home city, its counties and the departments with assigned indicators, for ``period``."""
    indicators = [i for i in Indicator.objects.prefetch_related("departments") if i.publishes(period)]
    every = [i.pk for i in indicators]
    home = Region.objects.filter(code=home_code()).first()
    units: list[UnitProgress] = []
    if home is not None:
        counties = Region.objects.home_counties()
        for kind, region in [("city", home), *(("county", c) for c in counties)]:
            wanted = [i.pk for i in expected_indicators(region.code, period, indicators)]
            units.append(UnitProgress(kind, region.code, region.name, len(wanted), region=region,
                                      indicators=[str(i) for i in wanted]))
    by_department: dict[int, list[int]] = {}
    for ind in indicators:
        for dep in ind.departments.all():
            by_department.setdefault(dep.pk, []).append(ind.pk)
    for dep in Department.objects.filter(pk__in=by_department).order_by("order", "code"):
        units.append(UnitProgress("department", dep.code, dep.name, len(by_department[dep.pk]), department=dep,
                                  indicators=[str(i) for i in by_department[dep.pk]]))
    counts = {
        (row["region_id"], row["indicator_id"]): row for row in
        Observation.objects.filter(year=period.year, month=period.month, indicator_id__in=every)
        .values("region_id", "indicator_id").annotate(
            entered=Count("id", filter=Q(status__in=[RevisionStatus.ENTERED])),
            approved=Count("id", filter=Q(status=RevisionStatus.APPROVED)),
            published=Count("id", filter=Q(status=RevisionStatus.PUBLISHED)))
    }
    for unit in units:
        region = unit.region.code if unit.region else (home.code if home else "")
        wanted = [int(i) for i in unit.indicators]
        for pk in wanted:
            row = counts.get((region, pk))
            if row:
                unit.entered += row["entered"]
                unit.approved += row["approved"]
                unit.published += row["published"]
        unit.due = due_date(period, unit.kind)
        unit.late = today > unit.due and unit.state in ("missing", "partial")
    return units
