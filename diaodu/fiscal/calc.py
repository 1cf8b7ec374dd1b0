"""Budget execution and the 财力缺口: pure functions, no Django.

Execution (预算执行):
    execution rate      = actual (1-n月累计) / annual budget (年初预算)
    序时进度             = month / 12  (diaodu.engine.periods.schedule_share)
    gap to schedule     = execution rate - 序时进度   (points; negative = behind)
    amount behind       = budget × 序时进度 - actual   (亿元 needed to be on schedule)
    remaining           = budget - actual
    needed per month    = remaining / months left
    全市 (whole city)    = 市级 (the city's own budget level) + Σ counties; its rate is
                          Σ actual / Σ budget, never an average of rates.

财力缺口 (no public definition exists, DOMAIN.md §4; this is the configurable one):
    可用财力 (available) = 一般公共预算收入 (projected full year)
                          + 上级补助 (transfers) + 上年结转及调入 (carry-over)
                          - 上解支出 (remittance)
                          + 土地出让收入 (projected full year) × 计入比例 (land share)
    财力缺口 (gap)       = 刚性支出需求 (rigid need: 保工资、保运转、保基本民生、还本付息)
                          - 可用财力; a surplus shows as a negative gap.
    全市缺口             = Σ max(gap, 0) over 市级 and the counties (one unit's surplus
                          does not pay another's shortfall).
Projection of a revenue to the full year, per parameter set:
    budget — the budget is met: max(actual, budget)
    pace   — at the year-to-date pace: actual × 12 / month
    actual — only what is already collected (the cautious view)
The parameters are data (``fiscal.models.GapParameters``), one set per unit and year.
"""

from __future__ import annotations

from dataclasses import dataclass

from diaodu.engine.periods import schedule_share

PROJECTIONS = ("budget", "pace", "actual")


def execution_rate(actual: float | None, budget: float | None) -> float | None:
    """Share of the annual budget done (0.4 = 40%); None without a positive budget."""
    if actual is None or not budget or budget <= 0:
        return None
    return actual / budget


def schedule_gap(actual: float | None, budget: float | None, month: int) -> float | None:
    """Execution rate minus 序时进度, as a share (negative = behind schedule)."""
    rate = execution_rate(actual, budget)
    return None if rate is None else rate - schedule_share(month)


def behind_schedule(actual: float, budget: float, month: int) -> float:
    """Amount short of the 序时 amount (budget × month/12); negative = ahead."""
    return budget * schedule_share(month) - actual


def needed_per_month(actual: float, budget: float, month: int) -> float | None:
    """What each remaining month must bring to meet the budget; None in December."""
    left = 12 - month
    if left <= 0:
        return None
    return max(budget - actual, 0.0) / left


def combined(rows: list[tuple[float | None, float | None]]) -> tuple[float, float, float | None]:
    """(Σ actual, Σ budget, rate) of several units (全市 = 市级 + counties)."""
    actual = sum(a or 0.0 for a, _ in rows)
    budget = sum(b or 0.0 for _, b in rows)
    return actual, budget, execution_rate(actual, budget)


def project_full_year(actual: float | None, budget: float | None, month: int, method: str) -> float:
    """A revenue's full-year figure by one of PROJECTIONS."""
    if method not in PROJECTIONS:
        raise ValueError(f"未知的推算方法“{method}”：可选 {'、'.join(PROJECTIONS)}")
    actual = actual or 0.0
    if method == "actual":
        return actual
    if method == "pace":
        return actual * 12 / month if month else 0.0
    return max(actual, budget or 0.0)


@dataclass(frozen=True)
class GapInputs:
    """Everything the 财力缺口 of one unit needs (亿元, shares as 0..1)."""

    revenue_actual: float  # 一般公共预算收入 1-n月
    revenue_budget: float
    land_actual: float  # 土地出让收入 1-n月
    land_budget: float
    month: int
    transfers: float = 0.0
    carryover: float = 0.0
    remittance: float = 0.0
    land_share: float = 1.0
    rigid_need: float = 0.0
    revenue_projection: str = "budget"
    land_projection: str = "pace"


@dataclass(frozen=True)
class GapResult:
    revenue: float  # projected 一般公共预算收入
    land: float  # projected 土地出让收入
    land_counted: float  # land × share
    available: float  # 可用财力
    need: float  # 刚性支出需求
    gap: float  # need - available (negative = surplus)


def fiscal_gap(inputs: GapInputs) -> GapResult:
    revenue = project_full_year(inputs.revenue_actual, inputs.revenue_budget, inputs.month,
                                inputs.revenue_projection)
    land = project_full_year(inputs.land_actual, inputs.land_budget, inputs.month, inputs.land_projection)
    land_counted = land * inputs.land_share
    available = revenue + inputs.transfers + inputs.carryover - inputs.remittance + land_counted
    return GapResult(revenue, land, land_counted, available, inputs.rigid_need, inputs.rigid_need - available)


def total_gap(gaps: list[float]) -> float:
    """全市财力缺口: the sum of the units' shortfalls (surpluses count as 0)."""
    return sum(max(g, 0.0) for g in gaps)


def spending_rate(spent: float | None, allocated: float | None) -> float | None:
    """专项债券 spending progress (支出进度) = spent / allocated."""
    return execution_rate(spent, allocated)
