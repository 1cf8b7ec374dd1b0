"""Contribution (贡献率) and pull (拉动) of parts to a total's growth (DOMAIN.md §2).

贡献率 = part increment / total increment × 100%; 拉动 = 贡献率 × total growth (percentage points).

Increments follow the price basis of the growth: for comparable-price (可比价) indicators such as
GDP and its sectors, increment = last year's reported value × reported growth (the real
increment at last year's prices); for current-price indicators increment = value − last year's
value. The parts are the three sectors of GDP (``sector_contribution``) or the counties of a
city (``region_contribution``). Parts need not add up to 100% (rounding, same-scope bases,
non-additive indicators): ``share_sum`` says how far they do.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._base import PeriodLike, indicator_table, latest_published_month, names_for, obs_key, to_period
from .panel import Panel, as_panel

SECTORS = ("gdp_primary", "gdp_secondary", "gdp_tertiary")
RULE = {
    "comparable": "可比价：增量 = 上年同期值 × 累计增速；贡献率 = 部分增量/总体增量；拉动 = 贡献率 × 总体增速（百分点）。",
    "current": "现价：增量 = 本期累计值 − 上年同期累计值；贡献率 = 部分增量/总体增量；拉动 = 贡献率 × 总体增速（百分点）。",
}


def _figures(panel: Panel, region: str, indicator: str, year: int, month: int) -> tuple[float, float, float]:
    """(value, last year's value, growth) as reported; NaN where absent."""
    r = panel.regions.get_indexer([region])[0]
    i = panel.indicators.get_indexer([indicator])[0]
    t = (year - panel.first_year) * 12 + month - 1
    if r < 0 or i < 0:
        return np.nan, np.nan, np.nan
    def cell(a: np.ndarray, tt: int) -> float:
        return float(a[r, i, tt]) if 0 <= tt < panel.n_t else np.nan
    return cell(panel.value, t), cell(panel.value, t - 12), cell(panel.growth, t)


def _increment(value: float, last: float, growth: float, basis: str) -> float:
    if basis == "comparable":
        return last * growth / 100
    return value - last


def _contribution(panel, table, regions, p, rows, total_region, total_indicator, basis) -> pd.DataFrame:
    info = table.loc[total_indicator]
    month = latest_published_month(p.month, info["frequency"], int(info["first_month"]))
    if basis == "auto":
        basis = "comparable" if info.get("price_basis") == "comparable" else "current"
    out = []
    if month is None:
        return pd.DataFrame()
    tv, tl, tg = _figures(panel, total_region, total_indicator, p.year, month)
    total_inc = _increment(tv, tl, tg, basis)
    for part_region, part_indicator, part_name in rows:
        v, last, g = _figures(panel, part_region, part_indicator, p.year, month)
        inc = _increment(v, last, g, basis)
        reason = ""
        if np.isnan(inc):
            reason = "缺上年同期值或本期增速，增量不可算" if basis == "comparable" else "缺本期或上年同期累计值，增量不可算"
        elif np.isnan(total_inc) or total_inc == 0:
            reason = "总体增量不可算或为零，贡献率无意义"
        share = inc / total_inc * 100 if not reason else np.nan
        pull = share / 100 * tg if not np.isnan(share) else np.nan
        if not reason and np.isnan(tg):
            reason = "未报告总体增速，拉动不可算"
        out.append({
            "period": f"{p.year:04d}-{month:02d}", "region_code": total_region, "total_indicator": total_indicator,
            "part_region": part_region, "part_indicator": part_indicator, "part_name": part_name,
            "value": v, "last_year_value": last, "growth": g, "increment": inc,
            "total_value": tv, "total_last_year_value": tl, "total_growth": tg, "total_increment": total_inc,
            "contribution": share, "pull": pull, "basis": basis, "reason": reason, "rule": RULE[basis],
            "sources": [obs_key(part_region, part_indicator, p.year, month),
                        obs_key(part_region, part_indicator, p.year - 1, month),
                        obs_key(total_region, total_indicator, p.year, month),
                        obs_key(total_region, total_indicator, p.year - 1, month)],
        })
    frame = pd.DataFrame(out)
    frame["share_sum"] = frame["contribution"].sum(min_count=1)
    frame.insert(2, "region_name", names_for(frame["region_code"].to_numpy(dtype=object), regions))
    return frame


def sector_contribution(
    observations: pd.DataFrame | Panel,
    indicators: pd.DataFrame,
    period: PeriodLike,
    region: str,
    *,
    regions: pd.DataFrame | None = None,
    total: str = "gdp",
    parts: Sequence[str] = SECTORS,
    basis: str = "auto",
) -> pd.DataFrame:
    """贡献率 and 拉动 of GDP's three sectors (or other ``parts``) to ``total`` growth in one region.

    ``basis``: ``comparable``, ``current`` or ``auto`` (from the total's price basis). Returns one
    row per part: ``period, region_code, region_name, part_indicator, part_name, value,
    last_year_value, growth, increment, total_increment, total_growth, contribution`` (%),
    ``pull`` (percentage points), ``share_sum``, ``basis, reason, rule, sources``.
    """
    table = indicator_table(indicators) if indicators.index.name != "code" else indicators
    panel = as_panel(observations)
    rows = [(str(region), code, table.loc[code, "name"]) for code in parts]
    return _contribution(panel, table, regions, to_period(period), rows, str(region), total, basis)


def region_contribution(
    observations: pd.DataFrame | Panel,
    indicators: pd.DataFrame,
    period: PeriodLike,
    parent: str,
    children: Sequence[str],
    *,
    indicator: str = "gdp",
    regions: pd.DataFrame | None = None,
    basis: str = "auto",
) -> pd.DataFrame:
    """贡献率 and 拉动 of each county (``children``) to the city's (``parent``) growth of ``indicator``.

    Same columns as :func:`sector_contribution`, one row per child region.
    """
    table = indicator_table(indicators) if indicators.index.name != "code" else indicators
    panel = as_panel(observations)
    names = names_for(np.asarray(list(children), dtype=object), regions)
    rows = [(str(c), indicator, n) for c, n in zip(children, names, strict=True)]
    return _contribution(panel, table, regions, to_period(period), rows, str(parent), indicator, basis)
