"""Targets, 序时进度 and what the rest of the year must deliver (目标完成、序时进度、剩余任务).

For a unit with an annual target at cumulative period (year, m):

- 序时进度 (schedule) = m / 12 (一季度 25%, 上半年 50%, 前三季度 75%);
- total target T, cumulative value V: 完成率 (completion) = V / T; 与序时进度差距 (schedule_gap) =
  completion − schedule, in percentage points ("时间过半、任务过半");
- 尚需完成 (amount_needed) = T − V (negative: already exceeded); 月均需完成 (per_remaining_month) =
  (T − V) / (12 − m);
- 剩余月份需增长 (growth_needed) = (T − V) / (L₁₂ − Lₘ) − 1, where L₁₂ and Lₘ are last year's reported
  full-year and month-m cumulative values: the growth the remaining months need over the same
  months last year;
- growth target g*, reported cumulative growth g: 增速差距 (growth_gap) = g − g*; 剩余月份需增长
  (growth_needed_for_growth) = ((1 + g*) − w(1 + g)) / (1 − w) − 1 with w = Lₘ / L₁₂, last year's
  share of months 1..m in its full year (an approximation: the same-scope base of the reported
  growth is not published, so last year's published values stand in for its weights).

Value and growth are used as reported and never derived from each other. Rate-only indicators
(only 累计增速 published) get the growth gap only; stock indicators (余额) get completion and
amount needed but no 序时进度. What cannot be computed is NaN with the reason in ``not_computable``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._base import (
    FLOW,
    RATE,
    RATIO,
    STOCK,
    SURVEY,
    TARGET_COLUMNS,
    PeriodLike,
    constant_column,
    flag_texts,
    indicator_table,
    labels_categorical,
    lookup_indicators,
    names_for,
    obs_key,
    require_columns,
    to_period,
)
from .panel import Panel, as_panel
from .periods import QUARTERLY

PACE_RULE = (
    "序时进度 = 月数/12；完成率 = 累计值/目标总量；与序时进度差距 = 完成率 − 序时进度；"
    "尚需完成 = 目标总量 − 累计值；月均需完成 = 尚需完成/剩余月数；"
    "剩余月份需增长 = 尚需完成/(上年全年累计 − 上年同期累计) − 1；增速差距 = 累计增速 − 目标增速；"
    "完成增速目标剩余月份需增长 = ((1+目标增速) − w×(1+累计增速))/(1 − w) − 1，w = 上年同期累计/上年全年累计"
    "（同口径基数未公布，以上年公布值作权重，为近似值）。"
)
REASONS = [
    "本期无观测值",
    "未报告累计值，无法计算总量完成率和剩余任务",
    "该类指标（余额、只报增速或比率）不适用序时进度",
    "缺上年同期或上年全年累计值，无法计算剩余月份所需增速",
    "只报告增速、没有总量，无法计算剩余月份所需增速",
    "未报告累计增速（不由总量推算增速）",
    "已到年末，无剩余月份",
    "余额指标没有“剩余月份增速”的含义",
]


def gap(
    observations: pd.DataFrame | Panel,
    targets: pd.DataFrame,
    indicators: pd.DataFrame,
    period: PeriodLike | None = None,
    *,
    regions: pd.DataFrame | None = None,
    region_codes: Sequence[str] | None = None,
    indicator_codes: Sequence[str] | None = None,
    trace: bool = True,
) -> pd.DataFrame:
    """Target completion, 序时进度 and what remains, for every target.

    Args:
        observations: tidy observations (or a :class:`Panel`).
        targets: ``region, indicator, year, total, growth[, source]`` (total in the indicator's
            unit, growth in percent; either may be NaN).
        indicators: indicators table (kind, frequency).
        period: ``"2021-10"``: one row per target of that year, at the latest month ≤ 10 the
            indicator publishes (GDP: 前三季度). None: every publishing month of every target year.
        regions: for ``region_name``.

    Returns a DataFrame with columns ``period, year, month, region_code, region_name, indicator,
    indicator_name, unit, kind, target_total, target_growth, target_source, value, growth,
    schedule, completion, schedule_gap, amount_needed, months_remaining, per_remaining_month,
    growth_needed, growth_gap, growth_target_met, growth_needed_for_growth,
    last_year_same_period, last_year_total, not_computable, rule`` (+ ``sources``). Percentages
    (schedule, completion, growth…) are in percent; gaps in percentage points.
    """
    require_columns(targets, TARGET_COLUMNS, "目标表")
    table = indicator_table(indicators) if indicators.index.name != "code" else indicators
    panel = as_panel(observations)
    tg = targets.copy()
    tg["region"] = tg["region"].astype(str)
    tg["indicator"] = tg["indicator"].astype(str)
    for column in ("total", "growth"):
        if column not in tg.columns:
            tg[column] = np.nan
    if "source" not in tg.columns:
        tg["source"] = ""
    if region_codes is not None:
        tg = tg[tg["region"].isin([str(c) for c in region_codes])]
    if indicator_codes is not None:
        tg = tg[tg["indicator"].isin([str(c) for c in indicator_codes])]
    if period is not None:
        p = to_period(period)
        tg = tg[tg["year"] == p.year]
    tg = tg.reset_index(drop=True)
    ind = lookup_indicators(table, tg["indicator"].unique())
    info = ind.loc[tg["indicator"]]
    quarterly = (info["frequency"] == QUARTERLY).to_numpy()
    first = info["first_month"].to_numpy()

    # rows × months
    if period is not None:
        m = np.where(quarterly, (p.month // 3) * 3, p.month)
        row = np.arange(len(tg))
        keep = m >= np.where(quarterly, 3, first)
        row, month = row[keep], m[keep]
    else:
        row = np.repeat(np.arange(len(tg)), 12)
        month = np.tile(np.arange(1, 13), len(tg))
        keep = np.where(quarterly[row], month % 3 == 0, month >= first[row])
        row, month = row[keep], month[keep]

    year = tg["year"].to_numpy(dtype=np.int64)[row]
    kind_of_target = info["kind"].to_numpy(dtype=object)
    r = panel.region_index(tg["region"].to_numpy(dtype=object))[row]
    i = panel.indicator_index(tg["indicator"].to_numpy(dtype=object))[row]
    t = (year - panel.first_year) * 12 + month - 1
    cell = _Cells(r, i, t, len(panel.indicators), panel.n_t)
    value = cell.take(panel.value, 0)
    growth = cell.take(panel.growth, 0)
    ly_m = cell.take(panel.value, 12)
    ly_12 = cell.take(panel.value, month)  # last year's December
    del cell
    target_total = tg["total"].to_numpy(dtype=np.float64)[row]
    target_growth = tg["growth"].to_numpy(dtype=np.float64)[row]
    polarity = info["polarity"].to_numpy(dtype=np.float64)[row]

    cumulative = np.isin(kind_of_target, [FLOW, SURVEY])[row]
    is_stock = (kind_of_target == STOCK)[row]
    no_schedule = np.isin(kind_of_target, [STOCK, RATE, RATIO])[row]
    rate_like = np.isin(kind_of_target, [RATE, RATIO])[row]
    has_level = cumulative | is_stock
    remaining = 12 - month
    schedule = np.where(cumulative, month / 12 * 100, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        completion = np.where(has_level, value / target_total * 100, np.nan)
        schedule_gap = completion - schedule
        amount = np.where(has_level, target_total - value, np.nan)
        per_month = np.where(remaining > 0, amount / remaining, np.nan)
        ly_rest = ly_12 - ly_m
        growth_needed = np.where(cumulative & (remaining > 0), (amount / ly_rest - 1) * 100, np.nan)
        growth_gap = growth - target_growth
        w = ly_m / ly_12
        needed_g = ((1 + target_growth / 100) - w * (1 + growth / 100)) / (1 - w) - 1
        growth_needed_for_growth = np.where(cumulative & (remaining > 0), needed_g * 100, np.nan)
    met = np.where(np.isnan(growth_gap), np.nan, (growth_gap * polarity >= 0).astype(float))

    has_total, has_growth = ~np.isnan(target_total), ~np.isnan(target_growth)
    no_obs = np.isnan(value) & np.isnan(growth)
    flags = no_obs.astype(np.int64)
    flags |= (has_total & np.isnan(value) & has_level & ~no_obs) << 1
    flags |= (has_total & no_schedule) << 2
    usable = (has_total & ~np.isnan(value)) | (has_growth & ~np.isnan(growth))
    flags |= (usable & cumulative & (remaining > 0) & (np.isnan(ly_m) | np.isnan(ly_12))) << 3
    flags |= ((has_total | has_growth) & rate_like) << 4
    flags |= (has_growth & np.isnan(growth) & ~no_obs) << 5
    flags |= ((has_total | has_growth) & (remaining == 0) & cumulative) << 6
    flags |= (has_growth & is_stock) << 7

    y0 = int(year.min()) if len(year) else 2000
    n_years = int(year.max()) - y0 + 1 if len(year) else 1
    all_labels = np.array([f"{y0 + k // 12:04d}-{k % 12 + 1:02d}" for k in range(n_years * 12)], dtype=object)
    labels = labels_categorical((year - y0) * 12 + month - 1, all_labels)
    out = pd.DataFrame({
        "period": labels,
        "year": year,
        "month": month,
        "region_code": _spread(tg["region"], row),
        "region_name": _spread(pd.Series(names_for(tg["region"].to_numpy(dtype=object), regions)), row),
        "indicator": _spread(tg["indicator"], row),
        "indicator_name": _spread(info["name"], row),
        "unit": _spread(info["unit"], row),
        "kind": _spread(info["kind"], row),
        "target_total": target_total,
        "target_growth": target_growth,
        "target_source": _spread(tg["source"].fillna(""), row),
        "value": value,
        "growth": growth,
        "schedule": schedule,
        "completion": completion,
        "schedule_gap": schedule_gap,
        "amount_needed": amount,
        "months_remaining": remaining,
        "per_remaining_month": per_month,
        "growth_needed": growth_needed,
        "growth_gap": growth_gap,
        "growth_target_met": pd.arrays.BooleanArray(met == 1, np.isnan(met)),
        "growth_needed_for_growth": growth_needed_for_growth,
        "last_year_same_period": ly_m,
        "last_year_total": ly_12,
        "not_computable": flag_texts(flags, REASONS),
        "rule": constant_column(PACE_RULE, len(row)),
    }, copy=False)  # fresh arrays: no need to copy them into one block
    if period is not None:  # a handful of rows: plain text columns read best
        for column in ("period", "region_code", "region_name", "indicator", "indicator_name", "unit", "kind",
                       "target_source", "not_computable", "rule"):
            out[column] = out[column].astype(object)
    if trace:
        out["sources"] = [
            [obs_key(rc, ic, y, mm), obs_key(rc, ic, y - 1, mm), obs_key(rc, ic, y - 1, 12)]
            for rc, ic, y, mm in zip(out["region_code"].astype(object), out["indicator"].astype(object),
                                     year.tolist(), month.tolist(),
                                     strict=True)
        ]
    return out


def _spread(labels: pd.Series, row: np.ndarray) -> pd.Categorical:
    """``labels[row]`` as a categorical: cheap for millions of rows of few distinct labels."""
    codes, uniques = pd.factorize(labels.to_numpy(dtype=object))
    return pd.Categorical.from_codes(codes[row], categories=pd.Index(uniques, dtype=object))


class _Cells:
    """Flat positions of (region, indicator, time) cells in the panel, for fast repeated lookups."""

    def __init__(self, r: np.ndarray, i: np.ndarray, t: np.ndarray, n_i: int, n_t: int) -> None:
        self.ok = (r >= 0) & (i >= 0) & (t >= 0) & (t < n_t)
        self.t = np.where(self.ok, t, 0)
        self.start = np.where(self.ok, (r.astype(np.int64) * n_i + i) * n_t, 0)  # position of t = 0

    def take(self, array: np.ndarray, back: int | np.ndarray) -> np.ndarray:
        """``array[r, i, t - back]``, NaN where that cell lies outside the panel."""
        t = self.t - back
        ok = self.ok & (t >= 0)
        return np.where(ok, np.take(array.reshape(-1), self.start + np.where(ok, t, 0)), np.nan)
