"""Small synthetic tables for the engine tests (no database, no Django)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from diaodu.engine import load_catalogue

CATALOGUE = load_catalogue()
COUNTIES = ["621202", "621221", "621222", "621223", "621224", "621225", "621226", "621227", "621228"]
NAMES = ["武都区", "成县", "文县", "宕昌县", "康县", "西和县", "礼县", "徽县", "两当县"]
OBS_COLUMNS = ["region", "indicator", "year", "month", "value", "growth"]


def regions(codes: list[str] | None = None) -> pd.DataFrame:
    codes = codes or COUNTIES
    names = [dict(zip(COUNTIES, NAMES, strict=True)).get(c, c) for c in codes]
    return pd.DataFrame({
        "code": ["621200", *codes], "name": ["陇南市", *names], "short_name": ["陇南", *names],
        "level": ["city"] + ["county"] * len(codes), "parent": ["620000"] + ["621200"] * len(codes),
    })


def indicators(polarity: int = 1, kind: str = "flow", frequency: str = "monthly") -> pd.DataFrame:
    """One test indicator ``x`` with the given polarity, kind and frequency."""
    return pd.DataFrame([{"code": "x", "name": "测试指标", "unit": "亿元", "frequency": frequency, "kind": kind,
                          "price_basis": "current", "polarity": polarity, "additive": True,
                          "first_month": 3 if frequency == "quarterly" else 2}])


def observations(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=OBS_COLUMNS)


def one_period(values: dict[str, tuple[float, float]], year: int = 2021, month: int = 10,
               indicator: str = "x") -> pd.DataFrame:
    """Observations of one period: region -> (value, growth)."""
    return observations([(r, indicator, year, month, v, g) for r, (v, g) in values.items()])


def seasonal_history(n_years: int, share: float = 0.8, growth_drift: float = -0.5, region: str = "621202",
                     start: int = 2014, noise: float = 0.0, seed: int = 0) -> pd.DataFrame:
    """Years of month-10 and December figures with a fixed seasonal share and growth drift."""
    rng = np.random.default_rng(seed)
    rows = []
    level = 100.0
    for k in range(n_years):
        year = start + k
        level *= 1.07
        g10 = 7.0 + rng.normal(0, 1)
        s = share * (1 + rng.normal(0, noise))
        d = growth_drift + rng.normal(0, noise * 10)
        rows.append((region, "x", year, 10, level * s, g10))
        rows.append((region, "x", year, 12, level, g10 + d))
    return observations(rows)
