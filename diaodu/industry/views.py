"""Industry pages: the chains (链长制) with one graph each, and the 百亿产业园区."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from diaodu.industry.graph import chain_graph
from diaodu.industry.models import ChainEnterprise, IndustryChain, Park
from diaodu.industry.services import parks_due
from diaodu.org import scopes


def _today():
    """The same clock as 督查 (DIAODU_TODAY, else the office's configured date, else today): a park's
    逾期N天 and a task's warning count from one date."""
    from diaodu.supervision.models import SupervisionSettings

    return SupervisionSettings.today()


@login_required
def index(request):
    chains = scopes.restrict_ledger(request.user, IndustryChain.objects.select_related("department"))
    return render(request, "industry/index.html", {
        "chains": chains.order_by("code"),
        "parks": scopes.restrict_ledger(request.user, Park.objects.select_related("department", "region")),
        "due": parks_due(_today(), within_days=60),
    })


@login_required
def chain(request, code: str):
    obj = get_object_or_404(scopes.restrict_ledger(request.user, IndustryChain.objects.select_related("department")),
                            code=code)
    members = list(obj.members.select_related("enterprise", "enterprise__region").order_by("segment", "-is_leader",
                                                                                          "name"))
    by_segment = [(label, [m for m in members if m.segment == value]) for value, label in
                  ChainEnterprise.Segment.choices]
    return render(request, "industry/chain.html", {
        "chain": obj, "members": members, "by_segment": by_segment, "graph": chain_graph(obj, members),
        "leaders": [m for m in members if m.is_leader],
    })


@login_required
def parks(request):
    today = _today()
    qs = scopes.restrict_ledger(request.user, Park.objects.select_related("department", "region"))
    rows = [{"park": p, "days_left": p.days_left(today) if not p.plan_done_on else None} for p in qs]
    return render(request, "industry/parks.html", {"rows": rows, "statuses": Park.PlanStatus.choices,
                                                   "today": today})
