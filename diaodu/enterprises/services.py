"""Queries over the enterprise ledger that pages, briefings and the overview share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from diaodu.enterprises import rules
from diaodu.enterprises.models import TROUBLED, Enterprise, EnterpriseMonth, ProductionStatus


def latest_month() -> tuple[int, int] | None:
    row = EnterpriseMonth.objects.order_by("-year", "-month").values_list("year", "month").first()
    return tuple(row) if row else None


def troubled(region_code: str | None = None):
    """Enterprises not producing normally (半停产, 停产, 未销售), of one county or of
    every county when ``region_code`` is the city or None."""
    qs = Enterprise.objects.filter(status__in=TROUBLED).select_related("region", "department")
    if region_code:
        qs = qs.filter(Q(region_id=region_code) | Q(region__parent_id=region_code))
    return qs.order_by("region_id", "status", "name")


def troubled_counts() -> dict[str, dict[str, int]]:
    """Per county: {status: count} of troubled enterprises (one query)."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (Enterprise.objects.filter(status__in=TROUBLED)
                .values("region_id", "status").annotate(n=Count("id"))):
        out[row["region_id"]][row["status"]] = row["n"]
    return dict(out)


def status_summary() -> dict[str, int]:
    counts = dict(Enterprise.objects.values_list("status").annotate(n=Count("id")))
    return {s.value: counts.get(s.value, 0) for s in ProductionStatus}


@dataclass
class CandidateRow:
    enterprise: Enterprise
    candidate: rules.Candidate
    months_used: int


def upgrade_candidates(as_of: tuple[int, int] | None = None, *, band: float = rules.CANDIDATE_BAND,
                       region_code: str | None = None) -> list[CandidateRow]:
    """升规 candidates at ``as_of`` (default: the latest month with figures), the
    closest to the threshold first (达标未入规 at the top)."""
    as_of = as_of or latest_month()
    if as_of is None:
        return []
    year = as_of[0]
    qs = Enterprise.objects.filter(above_scale=False).select_related("region")
    if region_code:
        qs = qs.filter(Q(region_id=region_code) | Q(region__parent_id=region_code))
    enterprises = {e.pk: e for e in qs}
    monthly: dict[int, dict[tuple[int, int], float]] = defaultdict(dict)
    for ent_id, y, m, revenue in (EnterpriseMonth.objects
                                  .filter(enterprise_id__in=enterprises, year__in=(year - 1, year),
                                          revenue__isnull=False)
                                  .values_list("enterprise_id", "year", "month", "revenue")):
        if (y, m) <= as_of:
            monthly[ent_id][(y, m)] = float(revenue)
    rows = []
    for ent_id, months in monthly.items():
        revenue, used = rules.annual_revenue(months, as_of)
        candidate = rules.upgrade_candidate(revenue, above_scale=False, band=band)
        if candidate is not None:
            rows.append(CandidateRow(enterprises[ent_id], candidate, used))
    rows.sort(key=lambda r: (r.candidate.gap, r.enterprise.name))
    return rows
