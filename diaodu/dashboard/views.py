"""The dispatch room: 总览, indicator, 县区, 全省, 目标差距 pages, the source drawer and the maps.

A page's body depends only on the published data and its parameters, never on the user: it is
rendered once per (page, parameters, data fingerprint) and kept in the cache (Django's cache
framework: this process's memory, or Redis shared by the workers), so a page view costs one
fingerprint query and a lookup. Figures come from ``diaodu.evaluation.compute`` (cached per
fingerprint in the database too, filled by ``diaodu precompute``); the views never compute them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from diaodu.core.caching import MISSING, key, recent, remember
from diaodu.dashboard import maps, pages, sources
from diaodu.engine.periods import Period
from diaodu.evaluation import compute, frames
from diaodu.indicators.models import Observation
from diaodu.indicators.releases import latest_released_period, period_status
from diaodu.org.home import home_code


def _latest(fingerprint: str) -> tuple[Period | None, bool]:
    """The latest released period and whether anything is published at all, once per data."""
    return remember("default", key("latest-period", fingerprint),
                    lambda: (latest_released_period(),
                             Observation.objects.filter(published_revision__isnull=False).exists()))


def _period(request, fingerprint: str) -> Period | None:
    """The chosen period, else the latest released one (``latest_released_period``); None while
    nothing is released and no period is asked for, or nothing is published at all."""
    latest, any_published = _latest(fingerprint)
    if not any_published:
        return None
    return pages.parse_period(request.GET.get("period")) or latest


def _indicator(code: str | None, default: str | None = None, main_only: bool = False) -> dict | None:
    pool = pages.main_indicators() if main_only else pages.all_indicators()
    by_code = {i["code"]: i for i in pool}
    return by_code.get(code or "") or by_code.get(default or "") or (pool[0] if pool else None)


def fingerprint() -> str:
    """The data fingerprint, re-read at most every DIAODU_FINGERPRINT_SECONDS per process: under
    load a page view then costs no query but the session's and the user's; a publication shows
    on the pages at most that many seconds later."""
    return recent("fingerprint", frames.fingerprint)


def _page(request, name: str, params: dict, build) -> HttpResponse:
    """Render (or reuse) the body of page ``name`` for ``params`` under the current data."""
    with compute.snapshot(fingerprint()) as fingerprint_now:
        period = _period(request, fingerprint_now)
        body_key = key("page", name, sorted(params.items()), period, fingerprint_now, map_note())
        hit = cache.get(body_key, MISSING)
        if hit is MISSING:
            release = period_status(period)
            if period is None:
                context = {"empty": True}
                title = "暂无已发布数据"
            else:
                context = build(period)
                title = context.pop("title")
                if release["label"]:
                    title = f"{title} · {release['label']}"
            context.update(period=period, release=release, periods=pages.published_periods(), page=name, params=params,
                           path=request.path, map_note=map_note(), home=context.get("home") or pages.home(),
                           thresholds={"green": settings.DIAODU_PACE_GREEN_POINTS,
                                       "yellow": settings.DIAODU_PACE_YELLOW_POINTS,
                                       "growth_yellow": settings.DIAODU_GROWTH_YELLOW_POINTS})
            context["latest_released"] = _latest(fingerprint_now)[0]
            body = render_to_string("dashboard/_release.html", context) + render_to_string(
                f"dashboard/{name}.html", context)
            hit = (title, body)
            cache.set(body_key, hit)
    title, body = hit
    request.page_fingerprint = fingerprint_now  # lets page_cache keep this response for the same reader
    return render(request, "dashboard/page.html", {"title": title, "body": body, "page": name})


def map_note() -> str:
    """The 示意图 note while the bundled maps are in use (README of static/maps)."""
    return "" if settings.DIAODU_MAP_DIR else "示意图，不作为行政区划边界依据"


@login_required
@require_GET
def home(request):
    def build(period: Period) -> dict:
        context = pages.overview(period)
        context["province"] = pages.province_comparison(period, context["rows"])
        context["title"] = f"{context['home'].name}经济运行总览 · {period.full_label()}"
        return context

    return _page(request, "home", {}, build)


@login_required
@require_GET
def indicator(request, code: str):
    from diaodu.indicators.responsibility import responsibility_for

    ind = _indicator(code)
    if ind is None or ind["code"] != code:
        raise Http404("没有这个指标")
    region = request.GET.get("region") or home_code()
    county_codes = {c["code"] for c in pages.counties()}
    if region != home_code() and region not in county_codes:
        region = home_code()

    def build(period: Period) -> dict:
        context = pages.indicator_page(period, ind, region)
        regions = [{"code": home_code(), "name": pages.home().name}, *pages.counties()]
        name = next(r["name"] for r in regions if r["code"] == region)
        context.update(indicator=ind, region=region, region_name=name, regions=regions,
                       indicators=pages.all_indicators(),
                       responsibility=responsibility_for(region, ind["code"], period.year),
                       title=f"{name} · {ind['name']} · {period.full_label()}")
        return context

    return _page(request, "indicator", {"code": code, "region": region}, build)


@login_required
@require_GET
def counties(request):
    ind = _indicator(request.GET.get("indicator"), "fai")
    measure = "total" if request.GET.get("measure") == "total" else "growth"

    def build(period: Period) -> dict:
        inds = pages.main_indicators()
        return {
            "title": f"县区主要经济指标 · {period.full_label()}",
            "matrix": pages.region_matrix(period, "county", pages.counties(), inds),
            "map": pages.map_data(period, "county", ind, measure),
            "map_name": home_code(), "has_map": maps.has_map(home_code()),
            "map_missing": f"暂无{pages.home().name}的县区地图：可在 DIAODU_MAP_DIR 放置 {home_code()}.json（见 README）。",
            "indicator": ind, "measure": measure, "indicators": pages.all_indicators(),
            "evaluation": pages.evaluation_table(period, "county"),
        }

    return _page(request, "counties", {"indicator": ind["code"] if ind else "", "measure": measure}, build)


@login_required
@require_GET
def province(request):
    ind = _indicator(request.GET.get("indicator"), "gdp")
    measure = "total" if request.GET.get("measure") == "total" else "growth"

    def build(period: Period) -> dict:
        inds = pages.main_indicators()
        parent = pages.home().parent
        province, province_name = (parent.code, parent.name) if parent else ("", "全省")
        return {
            "title": f"全省市州主要经济指标 · {period.full_label()}",
            "matrix": pages.by_rank(pages.region_matrix(period, "city", pages.cities(), inds)),
            "map": pages.map_data(period, "city", ind, measure),
            "map_name": province, "has_map": maps.has_map(province),
            "map_missing": f"暂无{province_name}的地图：可在 DIAODU_MAP_DIR 放置 {province}.json（见 README）。",
            "indicator": ind, "measure": measure, "indicators": pages.all_indicators(),
            "evaluation": pages.evaluation_table(period, "city"),
        }

    return _page(request, "province", {"indicator": ind["code"] if ind else "", "measure": measure}, build)


@login_required
@require_GET
def gap(request):
    ind = _indicator(request.GET.get("indicator"), "gdp", main_only=True)

    def build(period: Period) -> dict:
        context = pages.gap_page(period, ind)
        context["title"] = f"目标差距：剩余月份要完成什么 · {period.full_label()}"
        return context

    return _page(request, "gap", {"indicator": ind["code"] if ind else ""}, build)


@login_required
@require_GET
def source(request):
    """The drawer: the observations and the rule behind one number (an htmx partial)."""
    with compute.snapshot():
        try:
            found = sources.resolve(sources.find(request.GET), request.user)
        except sources.UnknownNumber as exc:
            return render(request, "dashboard/_source.html", {"error": str(exc)}, status=404)
    template = "dashboard/_source.html" if request.headers.get("HX-Request") else "dashboard/source_page.html"
    return render(request, template, {"source": found, "ids": ",".join(map(str, found.observation_ids))})


@login_required
@require_GET
def map_file(request, name: str):
    """A map's GeoJSON by region code: the deployment's approved map from DIAODU_MAP_DIR, else the
    bundled 示意图 (``diaodu.dashboard.maps``)."""
    body = maps.geojson(name)
    if body is None:
        raise Http404(f"没有这张地图：{name}")
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=3600"
    return response
