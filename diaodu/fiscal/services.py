"""Fiscal queries shared by pages and briefings: the execution table, the land
revenue story, the 财力缺口 of each unit, parcels in arrears and bond progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Sum

from diaodu.engine.periods import schedule_share
from diaodu.fiscal import calc
from diaodu.fiscal.models import (
    BudgetExecution,
    FiscalItem,
    GapParameters,
    LandParcel,
    SpecialBond,
    unit_label,
)
from diaodu.org.home import home_code
from diaodu.org.models import Region

WHOLE_CITY_LABEL = "全市"


def latest_period() -> tuple[int, int] | None:
    row = BudgetExecution.objects.order_by("-year", "-month").values_list("year", "month").first()
    return tuple(row) if row else None


def units() -> list[Region]:
    """市级 (the home city's own level) then its counties."""
    home = home_code()
    return [*Region.objects.filter(code=home), *Region.objects.filter(parent_id=home).order_by("code")]


@dataclass
class Cell:
    budget: float | None
    actual: float | None
    month: int

    @property
    def rate(self) -> float | None:
        return calc.execution_rate(self.actual, self.budget)

    @property
    def gap(self) -> float | None:
        return calc.schedule_gap(self.actual, self.budget, self.month)

    @property
    def behind(self) -> float | None:
        if self.actual is None or self.budget is None:
            return None
        return calc.behind_schedule(self.actual, self.budget, self.month)


@dataclass
class UnitRow:
    code: str  # region code, or "" for 全市
    label: str
    cells: dict[str, Cell]


def execution_table(year: int, month: int) -> list[UnitRow]:
    """市级, each county and 全市 (= 市级 + counties) × every fiscal item."""
    values = {(r, i): (b, a) for r, i, b, a in BudgetExecution.objects.filter(year=year, month=month)
              .values_list("region_id", "item", "budget", "actual")}
    rows = []
    for region in units():
        cells = {}
        for item in FiscalItem.values:
            budget, actual = values.get((region.code, item), (None, None))
            cells[item] = Cell(_f(budget), _f(actual), month)
        rows.append(UnitRow(region.code, unit_label(region), cells))
    total = {}
    for item in FiscalItem.values:
        present = [(r.cells[item].actual, r.cells[item].budget) for r in rows
                   if r.cells[item].actual is not None or r.cells[item].budget is not None]
        if present:
            actual, budget, _ = calc.combined(present)
            total[item] = Cell(budget, actual, month)
        else:
            total[item] = Cell(None, None, month)
    return [UnitRow("", WHOLE_CITY_LABEL, total), *rows]


@dataclass
class GapRow:
    code: str
    label: str
    params: GapParameters
    result: calc.GapResult


def gaps(year: int, month: int) -> tuple[list[GapRow], float]:
    """Each unit's 财力缺口 by its parameters, and the 全市 total (Σ shortfalls)."""
    values = {(r, i): (b, a) for r, i, b, a in BudgetExecution.objects.filter(
        year=year, month=month, item__in=[FiscalItem.REVENUE_GENERAL, FiscalItem.LAND_REVENUE])
        .values_list("region_id", "item", "budget", "actual")}
    rows = []
    for params in GapParameters.objects.filter(year=year).select_related("region").order_by("region_id"):
        rev_b, rev_a = values.get((params.region_id, FiscalItem.REVENUE_GENERAL), (None, None))
        land_b, land_a = values.get((params.region_id, FiscalItem.LAND_REVENUE), (None, None))
        result = calc.fiscal_gap(calc.GapInputs(
            revenue_actual=_f(rev_a) or 0.0, revenue_budget=_f(rev_b) or 0.0,
            land_actual=_f(land_a) or 0.0, land_budget=_f(land_b) or 0.0, month=month,
            transfers=float(params.transfers), carryover=float(params.carryover),
            remittance=float(params.remittance), land_share=float(params.land_share),
            rigid_need=float(params.rigid_need), revenue_projection=params.revenue_projection,
            land_projection=params.land_projection,
        ))
        rows.append(GapRow(params.region_id, unit_label(params.region), params, result))
    home = home_code()
    rows.sort(key=lambda r: (r.code != home, r.code))
    return rows, calc.total_gap([r.result.gap for r in rows])


def parcels_in_arrears():
    """Parcels sold with fees unpaid (欠缴), the largest first."""
    return (LandParcel.objects.annotate(unpaid_amount=F("fee_due") - F("fee_paid"))
            .filter(unpaid_amount__gt=0).select_related("region", "department").order_by("-unpaid_amount"))


def arrears_by_unit() -> list[dict]:
    rows = (LandParcel.objects.values("region_id").annotate(due=Sum("fee_due"), paid=Sum("fee_paid"))
            .order_by("region_id"))
    names = {r.code: unit_label(r) for r in units()}
    return [{"code": r["region_id"], "label": names.get(r["region_id"], r["region_id"]), "due": r["due"],
             "paid": r["paid"], "unpaid": r["due"] - r["paid"]} for r in rows]


def bond_progress(year: int | None = None) -> tuple[list[dict], dict]:
    """专项债券 by unit: allocated, spent, rate; and the total."""
    qs = SpecialBond.objects.all()
    if year:
        qs = qs.filter(year=year)
    names = {r.code: unit_label(r) for r in units()}
    rows = []
    for r in qs.values("region_id").annotate(allocated=Sum("allocated"), spent=Sum("spent")).order_by("region_id"):
        rows.append({"code": r["region_id"], "label": names.get(r["region_id"], r["region_id"]),
                     "allocated": r["allocated"], "spent": r["spent"],
                     "rate": calc.spending_rate(_f(r["spent"]), _f(r["allocated"]))})
    allocated = sum(_f(r["allocated"]) or 0 for r in rows)
    spent = sum(_f(r["spent"]) or 0 for r in rows)
    return rows, {"allocated": allocated, "spent": spent, "rate": calc.spending_rate(spent, allocated)}


def schedule(month: int) -> float:
    return schedule_share(month)


def _f(value) -> float | None:
    return None if value is None else float(value)
