"""争先进位测算: what year-end result a unit needs to reach rank k among its peers.

Given the peers' year-end forecasts (:func:`diaodu.engine.forecast.forecast`), the unit reaches
rank k (ties share the better place, 1, 2, 2, 4) exactly when its result is at least as good as
the k-th best of the *other* units' forecasts. So:

- required growth (or total) for rank k = the k-th best of the others' forecast points;
- 差距 (gap) = required − the unit's own forecast point (polarity −1: lower is better);
- with the unit's current figures: required year-end total = last year's full-year value ×
  (1 + required growth), still needed = that − current cumulative value, per remaining month,
  and the growth the remaining months need over the same months last year. Last year's
  published value stands in for the same-scope base, which is not published: approximate.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._base import PeriodLike, indicator_table, latest_published_month, names_for, to_period
from .panel import Panel, as_panel

RULE = (
    "达到第k位所需 = 其他单位全年预计中第k好的值（并列取较好名次）；差距 = 所需 − 本单位预计；"
    "所需全年总量 = 上年全年值 × (1 + 所需增速)；尚需完成 = 所需全年总量 − 本期累计；"
    "剩余月份需增长 = 尚需完成/(上年全年 − 上年同期) − 1（以上年公布数为基数，近似）。"
)


def required_for_rank(
    forecasts: pd.DataFrame,
    region: str,
    indicator: str,
    peers: Sequence[str],
    indicators: pd.DataFrame,
    *,
    measure: str = "growth",
    target_rank: int | None = None,
    observations: pd.DataFrame | Panel | None = None,
    period: PeriodLike | None = None,
    regions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """For each rank k (or only ``target_rank``), the year-end result ``region`` needs on ``indicator``.

    Args:
        forecasts: rows of :func:`forecast` (``region_code, indicator, measure, point, low, high``).
        peers: the region codes of the peer group (the unit itself may be included).
        measure: ``growth`` (全年增速) or ``value`` (全年总量).
        observations, period: when given, convert the requirement into amounts for the rest of
            the year (see the module text).

    Returns rows ``region_code, region_name, indicator, measure, target_rank, required,
    own_point, own_low, own_high, gap, within_range, required_total, amount_needed,
    per_remaining_month, growth_needed, peer_count, note, rule``.
    """
    table = indicator_table(indicators) if indicators.index.name != "code" else indicators
    pol = float(table.loc[indicator, "polarity"])
    f = forecasts[(forecasts["indicator"] == indicator) & (forecasts["measure"] == measure)]
    f = f.set_index(f["region_code"].astype(str))
    region = str(region)
    others = [str(c) for c in peers if str(c) != region]
    other_points = f["point"].reindex(others).to_numpy(dtype=float)
    missing = [c for c, v in zip(others, other_points, strict=True) if np.isnan(v)]
    ordered = np.sort(other_points[~np.isnan(other_points)] * pol)[::-1] * pol  # best first
    n = len(ordered) + 1
    own = f.loc[region] if region in f.index else None
    def number(key: str) -> float:
        # A unit with too little history has a forecast row without numbers (None): 暂无全年预计.
        value = own[key] if own is not None else None
        return np.nan if value is None or pd.isna(value) else float(value)

    own_point, own_low, own_high = number("point"), number("low"), number("high")
    best_bound = own_high if pol > 0 else own_low
    ranks = range(1, n + 1) if target_rank is None else [int(target_rank)]

    v_now = l_m = l_12 = np.nan
    month = None
    if observations is not None and period is not None:
        panel = as_panel(observations)
        p = to_period(period)
        info = table.loc[indicator]
        month = latest_published_month(p.month, info["frequency"], int(info["first_month"]))
        r, i = panel.regions.get_indexer([region])[0], panel.indicators.get_indexer([indicator])[0]
        if month is not None and r >= 0 and i >= 0:
            t = (p.year - panel.first_year) * 12 + month - 1
            def cell(tt: int) -> float:
                return float(panel.value[r, i, tt]) if 0 <= tt < panel.n_t else np.nan
            v_now, l_m, l_12 = cell(t), cell(t - 12), cell(t - month)

    rows = []
    note_missing = f"无全年预计、未计入：{'、'.join(missing)}" if missing else ""
    for k in ranks:
        if k < 1 or k > n:
            raise ValueError(f"目标名次 {k} 超出 1–{n}")
        required = float(ordered[k - 1]) if k <= len(ordered) else np.nan
        note = "末位无需条件" if k == n else ""
        gap = (required - own_point) if not np.isnan(required) else np.nan
        within = bool(not np.isnan(required) and (best_bound - required) * pol >= 0)
        if measure == "growth":
            required_total = l_12 * (1 + required / 100)
        else:
            required_total = required
        amount = required_total - v_now
        remaining = 12 - month if month is not None else np.nan
        per_month = amount / remaining if month is not None and remaining > 0 else np.nan
        growth_needed = (amount / (l_12 - l_m) - 1) * 100 if month is not None and month < 12 else np.nan
        rows.append({
            "region_code": region, "indicator": indicator, "measure": measure, "target_rank": k,
            "required": required, "own_point": own_point, "own_low": own_low, "own_high": own_high,
            "gap": gap, "within_range": within, "required_total": required_total, "amount_needed": amount,
            "per_remaining_month": per_month, "growth_needed": growth_needed, "peer_count": n,
            "note": "；".join(x for x in (note, note_missing) if x), "rule": RULE,
        })
    out = pd.DataFrame(rows)
    out.insert(1, "region_name", names_for(out["region_code"].to_numpy(dtype=object), regions))
    return out
