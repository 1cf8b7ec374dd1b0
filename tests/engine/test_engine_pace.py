"""序时进度, completion and what remains: a worked example, honest gaps, identities."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diaodu.engine import gap, load_catalogue
from tests.engine.engine_frames import indicators, observations

CAT = load_catalogue()


def targets(rows):
    return pd.DataFrame(rows, columns=["region", "indicator", "year", "total", "growth", "source"])


def test_gdp_worked_example():
    # 前三季度: 330 of a 460 target; last year 300 at 前三季度 and 420 for the year
    obs = observations([("621200", "gdp", 2020, 9, 300.0, 3.0), ("621200", "gdp", 2020, 12, 420.0, 3.5),
                        ("621200", "gdp", 2021, 9, 330.0, 7.0)])
    row = gap(obs, targets([("621200", "gdp", 2021, 460.0, 6.5, "省定目标")]), CAT, "2021-10").iloc[0]
    assert row["period"] == "2021-09"  # quarterly: the latest quarter at or before October
    assert row["schedule"] == 75.0
    assert row["completion"] == pytest.approx(330 / 460 * 100)
    assert row["schedule_gap"] == pytest.approx(330 / 460 * 100 - 75)
    # 按上年进度: last year's first three quarters were 300/420 = 71.4% of its year
    assert row["seasonal_schedule"] == pytest.approx(300 / 420 * 100)
    assert row["seasonal_gap"] == pytest.approx(330 / 460 * 100 - 300 / 420 * 100)
    assert row["amount_needed"] == 130.0 and row["months_remaining"] == 3
    assert row["per_remaining_month"] == pytest.approx(130 / 3)
    assert row["growth_needed"] == pytest.approx((130 / 120 - 1) * 100)  # 8.33%
    assert row["growth_gap"] == pytest.approx(0.5) and bool(row["growth_target_met"])
    w = 300 / 420
    assert row["growth_needed_for_growth"] == pytest.approx(((1.065 - w * 1.07) / (1 - w) - 1) * 100)
    assert row["not_computable"] == ""


def test_rate_only_and_stock_say_what_cannot_be_computed():
    obs = observations([("621200", "industry_va", 2021, 10, np.nan, 9.0),
                        ("621200", "loans_balance", 2021, 10, 1200.0, 10.0),
                        ("621200", "fai", 2021, 10, np.nan, 12.0)])
    tg = targets([("621200", "industry_va", 2021, np.nan, 8.0, ""), ("621200", "loans_balance", 2021, 1300.0, np.nan, ""),
                  ("621200", "fai", 2021, 900.0, 10.0, "")])
    out = gap(obs, tg, CAT, "2021-10").set_index("indicator")
    rate = out.loc["industry_va"]
    assert rate["growth_gap"] == 1.0 and math.isnan(rate["growth_needed_for_growth"])
    assert "只报告增速" in rate["not_computable"]
    stock = out.loc["loans_balance"]
    assert stock["completion"] == pytest.approx(1200 / 1300 * 100) and math.isnan(stock["schedule"])
    assert "不适用序时进度" in stock["not_computable"]
    fai = out.loc["fai"]  # growth reported, total not: completion is not derived from growth
    assert math.isnan(fai["completion"]) and "未报告累计值" in fai["not_computable"]
    assert fai["growth_gap"] == 2.0


def test_bulk_mode_has_every_publishing_month():
    obs = observations([("621202", "x", 2021, m, 10.0 * m, 5.0) for m in range(2, 13)])
    out = gap(obs, targets([("621202", "x", 2021, 120.0, 6.0, "")]), indicators(), None, trace=False)
    assert out["month"].tolist() == list(range(2, 13))
    assert out.loc[out["month"] == 12, "not_computable"].iloc[0].startswith("已到年末")


@settings(max_examples=80, deadline=None)
@given(
    month=st.integers(2, 11),
    value=st.floats(1, 1e4),
    target=st.floats(1, 1e4),
    last_m=st.floats(1, 1e4),
    rest=st.floats(1, 1e4),
    growth=st.floats(-20, 30),
    target_growth=st.floats(-20, 30),
)
def test_completion_and_pace_identities(month, value, target, last_m, rest, growth, target_growth):
    obs = observations([("621202", "x", 2020, month, last_m, 1.0), ("621202", "x", 2020, 12, last_m + rest, 1.0),
                        ("621202", "x", 2021, month, value, growth)])
    tg = targets([("621202", "x", 2021, target, target_growth, "")])
    row = gap(obs, tg, indicators(), f"2021-{month:02d}", trace=False).iloc[0]
    assert row["schedule"] == pytest.approx(month / 12 * 100)
    assert row["completion"] * target / 100 == pytest.approx(value)
    assert row["schedule_gap"] == pytest.approx(row["completion"] - row["schedule"])
    assert value + row["amount_needed"] == pytest.approx(target)
    assert row["per_remaining_month"] * (12 - month) == pytest.approx(row["amount_needed"])
    # if the remaining months grow at growth_needed, the year ends exactly on target
    assert value + rest * (1 + row["growth_needed"] / 100) == pytest.approx(target, rel=1e-9, abs=1e-6)
    # if they grow at growth_needed_for_growth, the full-year growth is the target growth
    w = last_m / (last_m + rest)
    year = w * (1 + growth / 100) + (1 - w) * (1 + row["growth_needed_for_growth"] / 100)
    assert (year - 1) * 100 == pytest.approx(target_growth, abs=1e-6)
