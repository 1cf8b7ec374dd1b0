"""大屏 /screen/: the meeting-room wall. One 16:9 stage scaled to the viewport, paged
总览 → 县区 → 全省 → 目标差距 → 督查 by keyboard or timer, redrawn in place when the
data or the tasks change (the page polls ``/screen/state.json``; no reload, no flicker).

Every figure is a row of ``compute`` shaped by ``pages`` like the other dispatch-room pages.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from diaodu.audit.records import latest_change_id
from diaodu.core.caching import key
from diaodu.dashboard import pages
from diaodu.engine.periods import Period
from diaodu.evaluation import compute

PANELS = [("overview", "总览"), ("counties", "县区"), ("province", "全省"), ("gap", "目标差距"),
          ("tasks", "督查")]
TREND_COUNT = 4  # main indicators drawn in the overview's trend chart


def trends(period: Period, region: str, inds: list[dict]) -> dict:
    """This year's monthly cumulative growth of the first main indicators (the overview's trend chart)."""
    lines = []
    for ind in inds[:TREND_COUNT]:
        s = compute.series(period, region, ind["code"])
        lines.append({"name": ind["short_name"] or ind["name"], "points": {r["month"]: r["growth"] for r in s["this_year"]}})
    return {"months": list(range(1, period.month + 1)), "lines": lines, "year": period.year}


def task_summary(user) -> dict:
    """督查: open tasks by warning level and the most overdue ones, as the user may read them."""
    from diaodu.supervision import queries
    from diaodu.supervision.models import SupervisionSettings
    from diaodu.supervision.warnings import BLUE, RED, YELLOW

    rows = queries.countdown(user, SupervisionSettings.today())  # the clock 督查 counts from
    overdue = sorted((r for r in rows if r.warning.level == RED), key=lambda r: r.warning.days_left or 0)
    return {"open": len(rows), "red": len(overdue), "yellow": sum(1 for r in rows if r.warning.level == YELLOW),
            "blue": sum(1 for r in rows if r.warning.level == BLUE), "overdue": overdue[:8]}


def screen_context(request, period: Period) -> dict:
    inds = pages.main_indicators()
    overview = pages.overview(period)
    home = overview["home"]
    fai = next((i for i in inds if i["code"] == "fai"), inds[0] if inds else None)
    gdp = next((i for i in inds if i["code"] == "gdp"), inds[0] if inds else None)
    county_matrix = pages.region_matrix(period, "county", pages.counties(), inds)
    city_matrix = pages.region_matrix(period, "city", pages.cities(), inds)
    for matrix in (county_matrix, city_matrix):  # the wall reads best sorted by the first indicator's rank
        pages.by_rank(matrix)
    return {
        "home": home, "period": period, "rows": overview["rows"], "score": overview["score"],
        "province": {c["indicator"]["code"]: c for c in pages.province_comparison(period, overview["rows"])},
        "weak": overview["weak"][:6],
        "province_map": pages.map_data(period, "city", gdp) if gdp else None,
        "county_map": pages.map_data(period, "county", fai) if fai else None,
        "trends": trends(period, home.code, inds),
        "county_matrix": county_matrix, "city_matrix": city_matrix,
        "county_eval": pages.evaluation_table(period, "county"),
        "gap": pages.gap_page(period, None),
        "tasks": task_summary(request.user),
        "panels": PANELS, "thresholds": {"green": settings.DIAODU_PACE_GREEN_POINTS,
                                         "yellow": settings.DIAODU_PACE_YELLOW_POINTS,
                                         "growth_yellow": settings.DIAODU_GROWTH_YELLOW_POINTS},
    }


def _state(request):
    from diaodu.dashboard.views import _period, fingerprint

    with compute.snapshot(fingerprint()) as fingerprint_now:
        return fingerprint_now, _period(request, fingerprint_now)


@login_required
@require_GET
def screen(request):
    """The wall. ``?part=body`` returns the panels alone: what the page swaps in after a publication."""
    from diaodu.dashboard.views import _period, fingerprint, map_note

    with compute.snapshot(fingerprint()) as fingerprint_now:  # the fingerprint re-read as the other pages do
        period = _period(request, fingerprint_now)
        context = {"period": period, "version": version(fingerprint_now), "map_note": map_note(),
                   "refresh": settings.DIAODU_SCREEN_REFRESH_SECONDS, "panels": PANELS,
                   "pinned": bool(request.GET.get("period"))}
        context["body"] = _body(request, period, fingerprint_now, context)
        if request.GET.get("part") == "body":
            return HttpResponse(context["body"])
        if period is not None:
            context["home"] = pages.home()
    return render(request, "dashboard/screen.html", context)


def version(fingerprint_now: str) -> str:
    """What the wall watches: the data fingerprint and the latest change record, so a task closed
    or a ledger edited redraws the 督查 panel as a publication redraws the figures."""
    return f"{fingerprint_now}:{latest_change_id()}"


def _body(request, period: Period | None, fingerprint_now: str, context: dict) -> str:
    """The panels, kept in Django's cache per (period, data, tasks, day, task scope): every wall in
    the building asks for the same body after a publication. The 督查 panel depends on what the
    user may read, so readers of every task share one copy and each unit's staff another."""
    from diaodu.supervision.models import SupervisionSettings
    from diaodu.supervision.queries import task_scope_key

    body_key = key("screen", period, context["version"], SupervisionSettings.today(), task_scope_key(request.user),
                   settings.DIAODU_STATUS_BASIS)
    body = cache.get(body_key)
    if body is None:
        if period is not None:
            context.update(screen_context(request, period))
        body = render_to_string("dashboard/_screen_body.html", context, request=request)
        cache.set(body_key, body, 3600)
    return body


@login_required
@require_GET
def state(request):
    """The data fingerprint, the wall's version and the period it would show now (polled by the wall)."""
    fingerprint_now, period = _state(request)
    return JsonResponse({"fingerprint": fingerprint_now, "version": version(fingerprint_now),
                         "period": str(period) if period else None})
