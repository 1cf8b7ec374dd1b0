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
    code_dtype,
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
    "按上年进度 = 上年同期累计/上年全年累计（季节规律）；与按上年进度差距 = 完成率 − 按上年进度；"
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
    schedule, completion, schedule_gap, seasonal_schedule, seasonal_gap, amount_needed, months_remaining,
    per_remaining_month, growth_needed, growth_gap, growth_target_met, growth_needed_for_growth,
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
    # per target (few): its indicator's attributes through one factorisation of the codes
    ind_code, ind_uniques = pd.factorize(tg["indicator"].to_numpy(dtype=object))
    info = ind.loc[ind_uniques]
    quarterly = (info["frequency"] == QUARTERLY).to_numpy()[ind_code]
    first = info["first_month"].to_numpy()[ind_code]
    kind = info["kind"].to_numpy(dtype=object)
    cumulative = np.isin(kind, [FLOW, SURVEY])[ind_code]
    is_stock = (kind == STOCK)[ind_code]
    no_schedule = np.isin(kind, [STOCK, RATE, RATIO])[ind_code]
    rate_like = np.isin(kind, [RATE, RATIO])[ind_code]

    # rows: (target, month), target by target
    if period is not None:
        target_month = np.where(quarterly, (p.month // 3) * 3, p.month)
        row = np.flatnonzero(target_month >= np.where(quarterly, 3, first))
        month = target_month[row]
    else:
        months = np.arange(1, 13)
        publishes = np.where(quarterly[:, None], months % 3 == 0, months >= first[:, None])
        row, month0 = np.nonzero(publishes)
        month = month0 + 1
    row = row.astype(np.int32)
    month = month.astype(np.int8)

    # this year's and last year's figures of each row's month, gathered through one flat index
    # into the panel (a national recompute has millions of rows: no [targets, 12] blocks)
    target_year = tg["year"].to_numpy(dtype=np.int64)
    r = panel.region_index(tg["region"].to_numpy(dtype=object))
    i = panel.indicator_index(list(ind_uniques))[ind_code]
    y = target_year - panel.first_year
    flat, inside, inside_ly = _flat_index(panel, r, i, y, row, month)
    value = _gather(panel.value, flat, inside)
    growth = _gather(panel.growth, flat, inside)
    flat -= 12  # the same month of last year
    ly_m = _gather(panel.value, flat, inside_ly)
    flat += 12 - month  # last year's December
    ly_12 = _gather(panel.value, flat, inside_ly)
    del flat, inside, inside_ly
    target_total = tg["total"].to_numpy(dtype=np.float64)[row]
    target_growth = tg["growth"].to_numpy(dtype=np.float64)[row]
    cumulative, is_stock, no_schedule, rate_like = (a[row] for a in (cumulative, is_stock, no_schedule, rate_like))

    has_level = cumulative | is_stock
    no_level = ~has_level
    remaining = (12 - month).astype(np.int8)
    ahead = cumulative & (remaining > 0)  # a cumulative figure with months still to come
    # written with few temporaries: each is tens of megabytes in a national recompute
    with np.errstate(divide="ignore", invalid="ignore"):
        schedule = month * 100.0
        schedule /= 12
        schedule[~cumulative] = np.nan
        completion = value / target_total
        completion *= 100
        completion[no_level] = np.nan
        schedule_gap = completion - schedule
        # 按上年进度: last year's cumulative share of its full year at this month (the season's
        # own profile: GDP's first three quarters were 70.6% of 2020, not 75%)
        seasonal = ly_m / ly_12
        seasonal *= 100
        seasonal[~cumulative] = np.nan
        seasonal_gap = completion - seasonal
        amount = target_total - value
        amount[no_level] = np.nan
        per_month = amount / remaining
        per_month[remaining == 0] = np.nan
        growth_needed = ly_12 - ly_m
        np.divide(amount, growth_needed, out=growth_needed)
        growth_needed -= 1
        growth_needed *= 100
        growth_needed[~ahead] = np.nan
        growth_gap = growth - target_growth
        # ((1 + g*) − w(1 + g)) / (1 − w) − 1 = (g* − w·g) / (1 − w), also in percent
        w = ly_m / ly_12
        needed_g = growth * w
        np.subtract(target_growth, needed_g, out=needed_g)
        np.subtract(1, w, out=w)
        needed_g /= w
        needed_g[~ahead] = np.nan
        del w
    better_low = (info["polarity"].to_numpy(dtype=np.float64) < 0)[ind_code][row]
    met = pd.arrays.BooleanArray(np.where(better_low, growth_gap <= 0, growth_gap >= 0), np.isnan(growth_gap))

    has_total, has_growth = ~np.isnan(target_total), ~np.isnan(target_growth)
    no_value, no_growth = np.isnan(value), np.isnan(growth)
    no_obs = no_value & no_growth
    flags = no_obs.view(np.uint8).copy()
    flags |= (has_total & no_value & has_level & ~no_obs).view(np.uint8) << 1
    flags |= (has_total & no_schedule).view(np.uint8) << 2
    usable = (has_total & ~no_value) | (has_growth & ~no_growth)
    flags |= (usable & ahead & (np.isnan(ly_m) | np.isnan(ly_12))).view(np.uint8) << 3
    flags |= ((has_total | has_growth) & rate_like).view(np.uint8) << 4
    flags |= (has_growth & no_growth & ~no_obs).view(np.uint8) << 5
    flags |= ((has_total | has_growth) & (remaining == 0) & cumulative).view(np.uint8) << 6
    flags |= (has_growth & is_stock).view(np.uint8) << 7

    year = target_year.astype(np.int16)[row]
    y0 = int(year.min()) if len(year) else 2000
    n_years = int(year.max()) - y0 + 1 if len(year) else 1
    all_labels = np.array([f"{y0 + k // 12:04d}-{k % 12 + 1:02d}" for k in range(n_years * 12)], dtype=object)
    period_code = ((target_year - y0) * 12 - 1).astype(np.int16)[row]
    period_code += month
    labels = labels_categorical(period_code, all_labels)
    del period_code
    region_code, region_uniques = pd.factorize(tg["region"].to_numpy(dtype=object))
    out = pd.DataFrame({
        "period": labels,
        "year": year,
        "month": month,
        "region_code": _labels(region_code, region_uniques, row),
        "region_name": _labels(region_code, names_for(region_uniques, regions), row),
        "indicator": _labels(ind_code, ind_uniques, row),
        "indicator_name": _labels(ind_code, info["name"], row),
        "unit": _labels(ind_code, info["unit"], row),
        "kind": _labels(ind_code, info["kind"], row),
        "target_total": target_total,
        "target_growth": target_growth,
        "target_source": _labels(*pd.factorize(tg["source"].fillna("").to_numpy(dtype=object)), row),
        "value": value,
        "growth": growth,
        "schedule": schedule,
        "completion": completion,
        "schedule_gap": schedule_gap,
        "seasonal_schedule": seasonal,
        "seasonal_gap": seasonal_gap,
        "amount_needed": amount,
        "months_remaining": remaining,
        "per_remaining_month": per_month,
        "growth_needed": growth_needed,
        "growth_gap": growth_gap,
        "growth_target_met": met,
        "growth_needed_for_growth": needed_g,
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


def _labels(codes: np.ndarray, labels, row: np.ndarray) -> pd.Categorical:
    """``labels[codes[row]]`` as a categorical (``codes`` per target, ``row`` a target per row);
    repeated labels are merged. The codes are gathered in the categorical's own small integers."""
    merged, uniques = pd.factorize(np.asarray(labels, dtype=object))
    per_target = merged.astype(code_dtype(len(uniques)))[np.asarray(codes)]
    return pd.Categorical.from_codes(per_target[row], categories=pd.Index(uniques, dtype=object))


def _flat_index(panel: Panel, r: np.ndarray, i: np.ndarray, y: np.ndarray, row: np.ndarray,
                month: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: the flat position in the panel's arrays of (r, i, year index y, month) of its
    target, and whether that cell and the one a year earlier lie inside the panel."""
    _, n_i, n_t = panel.value.shape
    known = (r >= 0) & (i >= 0)
    inside = known & (y >= 0) & (y < n_t // 12)
    inside_ly = known & (y >= 1) & (y - 1 < n_t // 12)
    start = (r.astype(np.int64) * n_i + i) * n_t + y * 12 - 1  # the month added below
    start[~(inside | inside_ly)] = 12  # any position of the panel: read and then discarded
    flat = start[row]
    flat += month
    return flat, inside[row], inside_ly[row]


def _gather(array: np.ndarray, flat: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """``array`` at the flat positions, NaN where the cell is outside the panel."""
    out = np.take(array.reshape(-1), flat, mode="clip")
    out[~inside] = np.nan
    return out
