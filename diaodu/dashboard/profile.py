"""一县一档: one county's page — every indicator with its rank among the counties and its status,
its evaluation items, and the ledgers behind its figures (projects behind plan, stopped enterprises,
open tasks), read through those apps' own query functions and the user's scope.

The figures come from ``compute`` like every dispatch-room page and are kept per data fingerprint.
The ledger lists depend on the tasks the reader may see and on the ledgers' last write, so the page
body is kept per (data fingerprint, task scope, entry menu, supervision day, latest change record):
any write to a project, an enterprise or a task is recorded and so shows at once.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from diaodu.audit.records import latest_change_id
from diaodu.core.caching import key, remember
from diaodu.dashboard import pages, sources
from diaodu.engine.periods import Period
from diaodu.evaluation import compute
from diaodu.org.home import home_code


def county_figures(period: Period, code: str) -> dict:
    """Every indicator of the county: value, growth, ranks among the counties, status."""
    inds = pages.all_indicators()
    ranks = pages.Ranks(period, "county", inds)
    gap_rows = pages.index_rows(compute.gaps(period, "county"), "indicator", "region_code")
    rows = [pages.indicator_cells(ind, code, ranks, gap_rows, period, "county") for ind in inds]
    evaluation = compute.evaluation(period, level="county")
    summary = next((r for r in evaluation["summary"] if r["region_code"] == code), None)
    score = None
    if summary is not None:
        esrc = pages.src("evaluation", period, level="county", region=code)
        score = {"score": pages.Num(pages.fmt(summary["score"], 2), esrc, raw=summary["score"]),
                 "rank": pages.Num(pages.fmt(summary["rank"], 0), esrc, raw=summary["rank"]),
                 "change": pages.change_text(summary["rank_change"]),
                 "change_cls": pages.change_cls(summary["rank_change"]),
                 "peer_count": len(evaluation["summary"]), "scheme": evaluation["scheme"],
                 "items": sources.explain_score(summary, evaluation)}
    counts = {c: sum(1 for r in rows if r["colour"] == c) for c in ("red", "yellow", "green")}
    return {"rows": rows, "score": score, "counts": counts}


def county_ledgers(user, period: Period, code: str, today) -> dict:
    """The county's projects behind plan, troubled enterprises and open tasks, as the user may see them."""
    from diaodu.enterprises import services as enterprise_services
    from diaodu.enterprises.models import ProductionStatus
    from diaodu.org import scopes
    from diaodu.projects import queries as project_queries
    from diaodu.projects.models import Project
    from diaodu.supervision import queries as task_queries

    projects = project_queries.behind_plan(
        project_queries.region_filter(scopes.restrict_ledger(user, Project.objects.all()), code), period)
    enterprises = list(scopes.restrict_ledger(user, enterprise_services.troubled(code)))
    statuses = dict(ProductionStatus.choices)
    tasks = task_queries.battle_map({"region_id": code}, user, today)
    return {"projects": projects, "enterprises": [(e, statuses.get(e.status, e.status)) for e in enterprises],
            "tasks_lead": tasks["lead"], "tasks_co": tasks["co"], "task_counts": tasks["counts"]}


def county_responsibilities(code: str, period: Period, rows: list[dict]) -> list[dict]:
    """The county's 目标责任书 for the year, each beside its indicator's target and status on this page."""
    from diaodu.indicators.responsibility import responsibilities_of

    by_indicator = {r["indicator"]["code"]: r for r in rows}
    return [{"pledge": pledge, "cells": by_indicator.get(pledge.indicator.code)}
            for pledge in responsibilities_of(code, period.year)]


@login_required
@require_GET
def county(request, code: str):
    county = next((c for c in pages.counties() if c["code"] == code), None)
    if county is None:
        raise Http404("没有这个县区")
    from diaodu.dashboard.landing import menus
    from diaodu.dashboard.views import _period, fingerprint
    from diaodu.supervision.models import SupervisionSettings
    from diaodu.supervision.queries import task_scope_key

    with compute.snapshot(fingerprint()) as fingerprint_now:
        period = _period(request, fingerprint_now)
        today = SupervisionSettings.today()  # the clock 督查 counts from
        body_key = key("county-body", code, period, fingerprint_now, today, task_scope_key(request.user),
                       menus(request.user)["entry"], latest_change_id())
        title, body = remember("default", body_key, lambda: _county_body(request, county, period, fingerprint_now, today))
    return render(request, "dashboard/page.html", {"title": title, "body": body, "page": "counties"})


def _county_body(request, county: dict, period: Period | None, fingerprint_now: str, today) -> tuple[str, str]:
    from django.conf import settings

    from diaodu.dashboard.views import map_note

    context = {"county": county, "counties": pages.counties(), "period": period,
               "periods": pages.published_periods(), "params": {}, "home": pages.home(), "page": "county",
               "map_note": map_note(), "path": request.path, "title": f"{county['name']} · 一县一档"}
    if period is None:
        context["empty"] = True
    else:
        code = county["code"]
        fai = next((i for i in pages.all_indicators() if i["code"] == "fai"), None) or pages.all_indicators()[0]
        figures = remember("default", key("county-figures", period, code, fingerprint_now),
                           lambda: county_figures(period, code))  # the same for every reader
        context.update(figures, ledgers=county_ledgers(request.user, period, code, today),
                       responsibilities=county_responsibilities(code, period, figures["rows"]),
                       map=pages.map_data(period, "county", fai), map_name=home_code(), indicator=fai,
                       title=f"{county['name']} · 一县一档 · {period.full_label()}")
    context["thresholds"] = {"green": settings.DIAODU_PACE_GREEN_POINTS,
                             "yellow": settings.DIAODU_PACE_YELLOW_POINTS,
                             "growth_yellow": settings.DIAODU_GROWTH_YELLOW_POINTS}
    return context["title"], render_to_string("dashboard/county.html", context, request=request)
