"""Contribution and pull; the rank simulator."""

from __future__ import annotations

import pandas as pd
import pytest

from diaodu.engine import load_catalogue, region_contribution, required_for_rank, sector_contribution
from tests.engine.engine_frames import indicators, observations

CAT = load_catalogue()


def test_sector_contribution_and_pull_at_comparable_prices():
    obs = observations([
        ("621200", "gdp", 2020, 9, 400.0, 2.0), ("621200", "gdp", 2021, 9, 440.0, 8.0),
        ("621200", "gdp_primary", 2020, 9, 60.0, 5.0), ("621200", "gdp_primary", 2021, 9, 64.0, 6.0),
        ("621200", "gdp_secondary", 2020, 9, 100.0, 1.0), ("621200", "gdp_secondary", 2021, 9, 106.0, 4.0),
        ("621200", "gdp_tertiary", 2020, 9, 240.0, 3.0), ("621200", "gdp_tertiary", 2021, 9, 270.0, 10.0),
    ])
    out = sector_contribution(obs, CAT, "2021-10", "621200").set_index("part_indicator")
    # real increments: 60×6% = 3.6, 100×4% = 4, 240×10% = 24; GDP: 400×8% = 32
    assert out.loc["gdp_secondary", "contribution"] == pytest.approx(4 / 32 * 100)
    assert out.loc["gdp_secondary", "pull"] == pytest.approx(4 / 32 * 8)  # = 4/400 × 100
    assert out["share_sum"].iloc[0] == pytest.approx(31.6 / 32 * 100)
    assert (out["basis"] == "comparable").all() and (out["reason"] == "").all()


def test_county_contribution_at_current_prices_and_missing_base():
    obs = observations([
        ("621200", "x", 2020, 10, 100.0, 5.0), ("621200", "x", 2021, 10, 120.0, 20.0),
        ("621202", "x", 2020, 10, 40.0, 1.0), ("621202", "x", 2021, 10, 55.0, 37.5),
        ("621221", "x", 2021, 10, 65.0, 8.0),
    ])
    out = region_contribution(obs, indicators(), "2021-10", "621200", ["621202", "621221"], indicator="x")
    out = out.set_index("part_region")
    assert out.loc["621202", "contribution"] == pytest.approx(75.0)  # 15 of 20
    assert out.loc["621202", "pull"] == pytest.approx(15.0)  # 75% × 20%
    assert pd.isna(out.loc["621221", "contribution"]) and "增量不可算" in out.loc["621221", "reason"]


def test_required_growth_for_each_rank():
    fc = pd.DataFrame({"region_code": list("ABCD"), "indicator": "x", "measure": "growth",
                       "point": [8.0, 6.0, 6.0, 3.0], "low": [6.0, 4, 4, 1], "high": [10.0, 8, 8, 7]})
    obs = observations([("D", "x", 2020, 10, 80.0, 1.0), ("D", "x", 2020, 12, 100.0, 1.0),
                        ("D", "x", 2021, 10, 83.0, 3.0)])
    out = required_for_rank(fc, "D", "x", list("ABCD"), indicators(), observations=obs, period="2021-10")
    out = out.set_index("target_rank")
    assert out["required"].tolist()[:3] == [8.0, 6.0, 6.0]  # equal to 6.0 ties for 2nd
    assert out.loc[2, "gap"] == 3.0 and bool(out.loc[2, "within_range"]) and not bool(out.loc[1, "within_range"])
    assert out.loc[2, "required_total"] == pytest.approx(106.0)
    assert out.loc[2, "amount_needed"] == pytest.approx(23.0)
    assert out.loc[2, "per_remaining_month"] == pytest.approx(11.5)
    assert out.loc[2, "growth_needed"] == pytest.approx(15.0)  # 23 over last year's 20
    assert out.loc[4, "note"] == "末位无需条件"
    low_is_better = required_for_rank(fc, "A", "x", list("ABCD"), indicators(polarity=-1), target_rank=1)
    assert low_is_better["required"].iloc[0] == 3.0
