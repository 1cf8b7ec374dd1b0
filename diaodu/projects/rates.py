"""The arithmetic of the project ledger (DOMAIN.md §2 序时进度, §4 ledgers). Pure: numbers in, numbers out.

- 年度计划投资完成率 = 本年累计完成投资 / 本年计划投资.
- 序时目标 (what should be done by the end of month m) = 本年计划投资 × m/12
  (``diaodu.engine.periods.schedule_share``).
- A project is behind plan (滞后) when 本年累计完成投资 < 序时目标; its 差额 = 序时目标 − 累计完成.
- 项目开工率 = 已开工项目数 / 计划本年开工项目数 (projects whose planned start falls in the year
  up to the period; a project counts as started once it has an actual start date on or before the period end).
- Ranks: 1 is best; equal values share a rank and the next rank skips ("1, 2, 2, 4"); a missing
  value ranks nowhere.
"""

from __future__ import annotations

from diaodu.core.rates import Number, rank, ratio  # noqa: F401  (rank: used as rates.rank)
from diaodu.engine.periods import schedule_share


def plan_completion_rate(completed: Number, annual_plan: Number) -> float | None:
    """年度计划投资完成率."""
    return ratio(completed, annual_plan)


def schedule_target(annual_plan: Number, month: int) -> float:
    """序时目标: the annual plan × month/12."""
    return float(annual_plan) * schedule_share(month)


def schedule_gap(completed: Number, annual_plan: Number, month: int) -> float:
    """序时目标 − 累计完成: positive when behind plan."""
    return schedule_target(annual_plan, month) - float(completed)


def is_behind_plan(completed: Number, annual_plan: Number, month: int) -> bool:
    """Completed less than the 序时 share of a positive annual plan (1e-9 亿元 tolerance)."""
    return float(annual_plan) > 0 and schedule_gap(completed, annual_plan, month) > 1e-9


def start_rate(started: int, planned: int) -> float | None:
    """项目开工率 = 已开工 / 计划开工."""
    return ratio(started, planned)

