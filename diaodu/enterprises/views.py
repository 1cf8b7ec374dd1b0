"""Enterprise pages: the ledger, one enterprise, the stopped enterprises of a
county (linked from its 规上工业增加值 on the figures page) and 升规 candidates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from diaodu.core import write_path
from diaodu.enterprises import rules, services
from diaodu.enterprises.forms import StatusForm
from diaodu.enterprises.models import TROUBLED, Enterprise, ProductionStatus
from diaodu.org import scopes
from diaodu.org.home import home_code
from diaodu.org.models import Region

INDUSTRY_INDICATOR = "industry_va"


def _counties():
    return Region.objects.home_counties()


@login_required
def index(request):
    qs = scopes.restrict_ledger(request.user, Enterprise.objects.select_related("region"))
    region = request.GET.get("region") or ""
    status = request.GET.get("status") or ""
    scale = request.GET.get("scale") or ""
    q = (request.GET.get("q") or "").strip()
    if region:
        qs = qs.filter(region_id=region)
    if status == "troubled":
        qs = qs.filter(status__in=TROUBLED)
    elif status:
        qs = qs.filter(status=status)
    if scale in ("1", "0"):
        qs = qs.filter(above_scale=scale == "1")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q.upper()))
    counts = services.troubled_counts()
    county_rows = [{"region": c, **{s: counts.get(c.code, {}).get(s, 0) for s in TROUBLED},
                    "total": sum(counts.get(c.code, {}).values())} for c in _counties()]
    return render(request, "enterprises/index.html", {
        "enterprises": qs.order_by("region_id", "name")[:500], "total": qs.count(),
        "counties": _counties(), "statuses": ProductionStatus.choices,
        "filters": {"region": region, "status": status, "scale": scale, "q": q},
        "county_rows": county_rows, "summary": services.status_summary(),
    })


@login_required
def detail(request, pk: int):
    ent = get_object_or_404(scopes.restrict_ledger(request.user, Enterprise.objects.select_related("region")),
                            pk=pk)
    months = list(ent.months.order_by("-year", "-month")[:24])
    latest = services.latest_month()
    revenue, used = (0.0, 0)
    if latest:
        monthly = {(m.year, m.month): float(m.revenue) for m in ent.months.all() if m.revenue is not None}
        revenue, used = rules.annual_revenue(monthly, latest)
    ytd = ent.months.filter(year=latest[0]).aggregate(r=Sum("revenue"), o=Sum("output")) if latest else {}
    can_write = scopes.can_write_ledger(request.user, ent.region_id, ent.department_id)
    form = StatusForm(initial={**{f: getattr(ent, f) for f in StatusForm.FIELDS}, "version": ent.version}) \
        if can_write else None
    return render(request, "enterprises/detail.html", {
        "ent": ent, "months": months, "form": form, "can_write": can_write, "latest": latest, "ytd": ytd,
        "annual": revenue, "annual_months": used, "threshold": rules.SCALE_THRESHOLD,
        "candidate": rules.upgrade_candidate(revenue, above_scale=ent.above_scale) if used else None,
    })


@login_required
@require_POST
def edit(request, pk: int):
    ent = get_object_or_404(Enterprise, pk=pk)
    if not scopes.can_write_ledger(request.user, ent.region_id, ent.department_id):
        raise PermissionDenied("无权修改该企业：只能修改本单位的台账记录。")
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label if k in form.fields else ''}：{' '.join(v)}"
                                         for k, v in form.errors.items()))
        return redirect(ent)
    data = form.cleaned_data
    changes = {f: data[f] for f in StatusForm.FIELDS}
    try:
        changed = write_path.update_record(request.user, ent, changes, expected_version=data["version"],
                                        reason=data["reason"] or "网页修改", source="web")
    except write_path.ConflictError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "；".join(" ".join(v) for v in exc.message_dict.values()))
    except scopes.ScopeError as exc:
        raise PermissionDenied(str(exc))
    else:
        messages.success(request, "已保存。" if changed else "内容未变化。")
    return redirect(ent)


def _industry_figure(region: Region):
    """The region's latest published 规上工业增加值 growth and its target, for context."""
    from diaodu.indicators.models import Observation, Target

    obs = (Observation.objects.filter(region=region, indicator__code=INDUSTRY_INDICATOR,
                                      published_revision__isnull=False)
           .order_by("-year", "-month").first())
    if obs is None:
        return None
    target = Target.objects.filter(region=region, indicator__code=INDUSTRY_INDICATOR, year=obs.year).first()
    return {"obs": obs, "growth": obs.published_growth, "target": target.growth if target else None,
            "label": obs.period.full_label()}


@login_required
def stopped(request):
    """The enterprises behind a county's 规上工业 slowdown: 停产, 半停产, 未销售."""
    code = request.GET.get("region") or home_code()
    region = get_object_or_404(Region, code=code)
    qs = scopes.restrict_ledger(request.user, services.troubled(region.code))
    rows = list(qs)
    groups = []
    if region.is_county:
        groups.append({"region": region, "figure": _industry_figure(region), "enterprises": rows})
    else:
        by_region: dict[str, list] = {}
        for ent in rows:
            by_region.setdefault(ent.region_id, []).append(ent)
        for county in _counties():
            if county.code in by_region:
                groups.append({"region": county, "figure": _industry_figure(county),
                               "enterprises": by_region[county.code]})
        groups.sort(key=lambda g: (g["figure"]["growth"] if g["figure"] and g["figure"]["growth"] is not None
                                   else 999))
    counts = {s.value: sum(1 for e in rows if e.status == s.value) for s in ProductionStatus if s in TROUBLED}
    return render(request, "enterprises/stopped.html", {
        "region": region, "groups": groups, "total": len(rows), "counts": counts,
        "labels": dict(ProductionStatus.choices), "counties": _counties(),
    })


@login_required
def candidates(request):
    region = request.GET.get("region") or None
    rows = services.upgrade_candidates(region_code=region)
    return render(request, "enterprises/candidates.html", {
        "rows": rows, "as_of": services.latest_month(), "threshold": rules.SCALE_THRESHOLD,
        "band_floor": rules.SCALE_THRESHOLD * rules.CANDIDATE_BAND, "counties": _counties(), "region": region or "",
    })
