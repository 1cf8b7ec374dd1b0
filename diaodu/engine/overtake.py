"""Who passed a unit, and since when (首次被超越): "GDP近3年来首次被定西（372.33亿元）超越".

For a unit and an indicator at a period, every peer that is ahead of the unit now (by the
reported cumulative value, or growth) is compared with the unit at the same period of each
earlier year. ``years_behind`` counts the consecutive earlier years, going back from last year,
in which the peer was behind the unit; ``first_time`` is true when it was behind in every
earlier year with data for both (so "近N年来首次" where N = ``years_behind``), false when it was
already ahead last year. Peers behind the unit now are not listed. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._base import PeriodLike, indicator_table, latest_published_month, names_for, obs_key, to_period

OVERTAKE_RULE = ("超越：本期累计值（或增速）高于本单位的对比单位，逐年向前比较上年同期：连续落后于本单位的年数"
                 "即“近N年来”，各有数年份均落后于本单位即“首次被超越”。")


def overtaken(
    observations: pd.DataFrame,
    indicators: pd.DataFrame,
    period: PeriodLike,
    region: str,
    peers: Sequence[str],
    indicator: str,
    *,
    regions: pd.DataFrame | None = None,
    measure: str = "value",
) -> pd.DataFrame:
    """Peers ahead of ``region`` at ``period`` on ``indicator``, with how long they had been behind.

    Quarterly indicators are read at their latest quarter not after ``period``. Columns:
    ``period, region_code, indicator, peer_code, peer_name, peer_value, own_value, margin,
    years_behind, years_compared, first_time, since_year, rule, sources``; the peer just ahead
    first (smallest margin).
    """
    p = to_period(period)
    table = indicator_table(indicators) if indicators.index.name != "code" else indicators
    columns = ["period", "region_code", "indicator", "peer_code", "peer_name", "peer_value", "own_value", "margin",
               "years_behind", "years_compared", "first_time", "since_year", "rule", "sources"]
    if indicator not in table.index:
        return pd.DataFrame(columns=columns)
    info = table.loc[indicator]
    month = latest_published_month(p.month, info["frequency"], int(info.get("first_month", 2) or 2))
    if month is None:
        return pd.DataFrame(columns=columns)
    sign = float(info.get("polarity", 1) or 1)
    obs = observations[(observations["indicator"] == indicator) & (observations["month"] == month)]
    wide = obs.pivot_table(index="year", columns="region", values=measure, aggfunc="first")
    if region not in wide.columns or p.year not in wide.index or pd.isna(wide.at[p.year, region]):
        return pd.DataFrame(columns=columns)
    own_now = float(wide.at[p.year, region])
    names = dict(zip(peers, names_for(list(peers), regions), strict=True)) if regions is not None else {}
    rows = []
    earlier = sorted((y for y in wide.index if y < p.year), reverse=True)
    for peer in peers:
        if peer == region or peer not in wide.columns:
            continue
        now = wide.at[p.year, peer]
        if pd.isna(now) or (float(now) - own_now) * sign <= 0:
            continue
        behind, compared, since = 0, 0, None
        streak = True
        for year in earlier:
            a, b = wide.at[year, peer], wide.at[year, region]
            if pd.isna(a) or pd.isna(b):
                continue
            compared += 1
            if streak and (float(a) - float(b)) * sign < 0:
                behind += 1
                since = int(year)
            else:
                streak = False
        sources = [obs_key(region, indicator, p.year, month), obs_key(peer, indicator, p.year, month)]
        for year in earlier[: max(behind, 1)]:
            sources += [obs_key(region, indicator, int(year), month), obs_key(peer, indicator, int(year), month)]
        rows.append({
            "period": f"{p.year:04d}-{month:02d}", "region_code": region, "indicator": indicator,
            "peer_code": peer, "peer_name": names.get(peer, peer), "peer_value": float(now), "own_value": own_now,
            "margin": abs(float(now) - own_now), "years_behind": behind, "years_compared": compared,
            "first_time": bool(compared and behind == compared), "since_year": since,
            "rule": OVERTAKE_RULE, "sources": sources,
        })
    out = pd.DataFrame(rows, columns=columns)
    if len(out):
        out = out.sort_values(["margin", "peer_code"], ignore_index=True)
        out["years_behind"] = out["years_behind"].astype(np.int64)
    return out
