"""Who answers for a target (目标责任书): lookups shared by the import, the pages and the task sync."""

from __future__ import annotations

from diaodu.indicators.models import TargetResponsibility
from diaodu.org.home import home_code


def department_names(region_code: str | None = None) -> dict[str, object]:
    """Name, full name and alias → Department, for the departments of one government
    (default: the home city). The one place units of a 责任书 are resolved; when the
    departments move only this function follows.
    """
    from diaodu.org.models import Department

    region_code = region_code or home_code()
    out: dict[str, object] = {}
    departments = list(Department.objects.filter(region_id=region_code).order_by("order", "code"))
    for d in departments:
        out.setdefault(d.name, d)
        out.setdefault(d.code, d)
    for d in departments:
        for alias in (d.full_name, *(d.aliases or [])):
            if alias:
                out.setdefault(str(alias).strip(), d)
    return out


def responsibilities_of(region_code: str, year: int) -> list[TargetResponsibility]:
    """Every 目标责任书 a region signed for ``year``, in the indicators' order."""
    return list(
        TargetResponsibility.objects.select_related("indicator", "lead_department")
        .prefetch_related("co_departments")
        .filter(region_id=region_code, year=year)
        .order_by("indicator__order", "indicator__code")
    )


def responsibility_for(region_code: str, indicator_code: str, year: int) -> TargetResponsibility | None:
    return (
        TargetResponsibility.objects.select_related("lead_department")
        .prefetch_related("co_departments")
        .filter(region_id=region_code, indicator__code=indicator_code, year=year)
        .first()
    )
