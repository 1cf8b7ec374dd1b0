"""招商引资 pages: the pipeline by county with its rates and ranks, a deal with its funds
arrived and change history, and the forms that go through ``diaodu.investment.actions``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from diaodu.core import ledger_views
from diaodu.core.periods import page_period
from diaodu.investment import actions, queries
from diaodu.investment.forms import ArrivalForm, DealForm
from diaodu.investment.models import Channel, Deal, DealStage, FundsArrival
from diaodu.org import scopes
from diaodu.org.home import region_filter
from diaodu.org.models import Region


@login_required
def index(request):
    """Per county: the pipeline by stage, 开工率, 资金到位率, 履约率 with ranks; then the deals."""
    period = page_period(request.GET.get("period"), FundsArrival.objects.all())
    region = Region.objects.filter(code=request.GET.get("region") or "").first()
    qs = region_filter(scopes.restrict_ledger(request.user, Deal.objects.all()), getattr(region, "code", None))
    if request.GET.get("stage"):
        qs = qs.filter(stage=request.GET["stage"])
    if request.GET.get("channel"):
        qs = qs.filter(channel=request.GET["channel"])
    deals = queries.with_arrivals(qs, period).select_related("region").order_by("region_id", "code")
    return render(request, "investment/index.html", {
        "period": period, "region": region, "counties": Region.objects.home_counties(),
        "pipeline": list(queries.county_pipeline(period).values()), "deals": deals,
        "stages": DealStage.choices, "channels": Channel.choices,
        "can_add": scopes.writes_ledgers(request.user),
    })


@login_required
def detail(request, pk: int):
    deal = get_object_or_404(scopes.restrict_ledger(request.user, Deal.objects.select_related("region")), pk=pk)
    can_write = scopes.can_write_ledger(request.user, deal.region_id, deal.department_id)
    arrivals = deal.arrivals.order_by("-year", "-month")
    total = sum((a.amount for a in arrivals), 0)
    period = page_period(request.GET.get("period"), FundsArrival.objects.all())
    return render(request, "investment/detail.html", {
        "deal": deal, "arrivals": arrivals, "total": total, "history": ledger_views.history(deal, deal.arrivals.all()), "can_write": can_write,
        "rate": (total / deal.contract_amount) if deal.contract_amount else None,
        "form": DealForm(instance=deal) if can_write else None,
        "arrival_form": ArrivalForm(initial={"year": period.year, "month": period.month}) if can_write else None,
    })


@login_required
def new(request):
    form = DealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deal = form.save(commit=False)
        try:
            actions.create_deal(request.user, deal, reason=form.cleaned_data["reason"])
        except scopes.ScopeError as exc:
            raise PermissionDenied(str(exc))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "招商项目已登记。")
            return redirect(deal)
    return render(request, "investment/form.html", {"form": form})


@login_required
@require_POST
def edit(request, pk: int):
    deal = get_object_or_404(Deal, pk=pk)
    if not scopes.can_write_ledger(request.user, deal.region_id, deal.department_id):
        raise PermissionDenied("无权修改该招商项目：只能修改本县区的项目。")
    form = DealForm(request.POST, instance=Deal.objects.get(pk=pk))
    if not form.is_valid():
        return render(request, "investment/form.html", {"form": form, "deal": deal})
    changes = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "code"}
    try:
        changed = actions.update_deal(request.user, deal, changes, expected_version=form.cleaned_data["version"],
                                      reason=form.cleaned_data["reason"])
    except actions.ConflictError as exc:
        messages.error(request, str(exc))
    except scopes.ScopeError as exc:
        raise PermissionDenied(str(exc))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已保存。" if changed else "没有变化。")
    return redirect(deal)


@login_required
@require_POST
def arrival(request, pk: int):
    deal = get_object_or_404(Deal, pk=pk)
    if not scopes.can_write_ledger(request.user, deal.region_id, deal.department_id):
        raise PermissionDenied("无权登记该项目的到位资金。")
    form = ArrivalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(" ".join(v) for v in form.errors.values()))
        return redirect(deal)
    data = form.cleaned_data
    try:
        actions.record_arrival(request.user, deal, data["year"], data["month"], data["amount"], note=data["note"],
                               reason="到位资金登记")
    except (actions.ConflictError, ValidationError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已登记 {data['year']}年{data['month']}月到位资金。")
    return redirect(deal)
