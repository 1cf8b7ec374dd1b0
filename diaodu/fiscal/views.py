"""Fiscal pages: budget execution against 序时进度, the 财力缺口, land parcels in
arrears and 专项债券 progress."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from diaodu.engine.periods import schedule_share
from diaodu.fiscal import services
from diaodu.fiscal.models import BudgetExecution, FiscalItem, LandParcel, SpecialBond
from diaodu.org import scopes


def _period(request) -> tuple[int, int] | None:
    text = request.GET.get("period") or ""
    try:
        year, month = (int(p) for p in text.split("-"))
        if 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return services.latest_period()


@login_required
def index(request):
    period = _period(request)
    periods = list(BudgetExecution.objects.values_list("year", "month").distinct().order_by("-year", "-month")[:36])
    context = {"period": period, "periods": periods, "items": FiscalItem.choices}
    if period:
        year, month = period
        gap_rows, gap_total = services.gaps(year, month)
        bonds, bond_total = services.bond_progress(year)
        rows = services.execution_table(year, month)
        land = {"whole": rows[0].cells[FiscalItem.LAND_REVENUE], "city": rows[1].cells[FiscalItem.LAND_REVENUE]} \
            if len(rows) > 1 else None
        context.update({
            "rows": rows, "schedule": schedule_share(month), "land": land,
            "gap_rows": gap_rows, "gap_total": gap_total, "arrears": services.arrears_by_unit(),
            "bonds": bonds, "bond_total": bond_total,
        })
    return render(request, "fiscal/index.html", context)


@login_required
def gap(request):
    period = _period(request)
    rows, total = services.gaps(*period) if period else ([], 0.0)
    return render(request, "fiscal/gap.html", {"period": period, "rows": rows, "total": total})


@login_required
def parcels(request):
    qs = scopes.restrict_ledger(request.user, LandParcel.objects.select_related("region", "department"))
    only_unpaid = request.GET.get("unpaid") == "1"
    if only_unpaid:
        qs = qs.filter(pk__in=services.parcels_in_arrears().values("pk"))
    return render(request, "fiscal/parcels.html", {
        "parcels": qs.order_by("region_id", "code"), "arrears": services.arrears_by_unit(), "only_unpaid": only_unpaid,
    })


@login_required
def bonds(request):
    qs = scopes.restrict_ledger(request.user, SpecialBond.objects.select_related("region"))
    rows, total = services.bond_progress()
    return render(request, "fiscal/bonds.html", {"bonds": qs.order_by("region_id", "code"), "rows": rows,
                                                 "total": total})
