"""Year-end forecast and backtest."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from diaodu.engine import backtest, forecast
from tests.engine.engine_frames import indicators, observations, seasonal_history


def test_exact_seasonal_share_gives_the_exact_year_end():
    obs = seasonal_history(6, share=0.8, growth_drift=-0.5)
    obs = obs[~((obs["year"] == 2019) & (obs["month"] == 12))]  # the forecast year has no December yet
    out = forecast(obs, indicators(), "2019-10").set_index("measure")
    current_value = obs[(obs["year"] == 2019) & (obs["month"] == 10)]["value"].iloc[0]
    assert out.loc["value", "point"] == pytest.approx(current_value / 0.8)
    assert out.loc["value", "method"] == "seasonal_share"
    assert out.loc["value", "low"] <= out.loc["value", "point"] <= out.loc["value", "high"]
    g10 = obs[(obs["year"] == 2019) & (obs["month"] == 10)]["growth"].iloc[0]
    # one unit, three checked years: too few for any method to be chosen over the naive rule
    assert out.loc["growth", "method"] == "naive"
    assert out.loc["growth", "point"] == pytest.approx(g10)


def test_a_steady_drift_across_many_units_is_learned_and_chosen():
    obs = pd.concat([seasonal_history(6, growth_drift=-0.5, region=f"r{k}", seed=k) for k in range(5)])
    obs = obs[~((obs["year"] == 2019) & (obs["month"] == 12))]
    out = forecast(obs, indicators(), "2019-10").query("measure == 'growth'").set_index("region_code")
    g10 = obs[(obs["year"] == 2019) & (obs["month"] == 10)].set_index("region")["growth"]
    assert (out["method"] == "drift_shrunk").all()
    assert np.allclose(out["point"], g10.loc[out.index] - 0.5)
    # the track record is the procedure's: naive in the first years, the drift once learned
    assert np.allclose(out["naive_mae"], 0.5) and (out["backtest_mae"] < out["naive_mae"]).all()


def test_too_little_history_gives_a_reason_and_no_range():
    obs = seasonal_history(3)
    out = forecast(obs[~((obs["year"] == 2016) & (obs["month"] == 12))], indicators(), "2016-10")
    value, growth = out.set_index("measure").loc["value"], out.set_index("measure").loc["growth"]
    assert np.isnan(value["point"]) and "历史不足" in value["reason"]
    # growth: the naive rule needs no history, but nothing calibrates a range yet
    assert growth["point"] == growth["current"] and growth["method"] == "naive"
    assert np.isnan(growth["low"]) and "暂无区间" in growth["reason"]


def test_rate_only_indicator_gets_only_a_growth_forecast():
    obs = seasonal_history(6)
    obs["value"] = np.nan
    out = forecast(obs, indicators(kind="rate"), "2019-10")
    assert out["measure"].tolist() == ["growth"]


def test_backtest_reports_coverage_and_mae_at_each_month():
    rng = np.random.default_rng(7)
    rows = []
    for r in range(12):
        level = 100.0 + r
        for year in range(2010, 2022):
            level *= 1.06
            g = rng.normal(7, 2)
            for m in (6, 9, 10, 12):
                share = {6: 0.45, 9: 0.7, 10: 0.8, 12: 1.0}[m] * (1 + rng.normal(0, 0.03) * (m < 12))
                rows.append((f"r{r}", "x", year, m, level * share, g + rng.normal(0, 1.0) * (m < 12)))
    out = backtest(observations(rows), indicators())
    overall = out[out["indicator"] == "全部"].set_index(["month", "measure"])
    assert set(overall.index.get_level_values("month")) == {6, 9, 10}
    for (_, _), row in overall.iterrows():
        assert row["n"] > 50
        assert 60 <= row["coverage"] <= 95
        assert row["mae"] > 0
    fc = forecast(observations(rows), indicators(), "2021-10")
    assert fc["backtest_coverage"].notna().all() and fc["backtest_mae"].notna().all()
    assert not math.isnan(fc["range_factor"].iloc[0])


def test_december_is_the_actual():
    obs = seasonal_history(2)
    out = forecast(obs, indicators(), "2015-12").set_index("measure")
    assert out.loc["value", "method"] == "actual"
    assert out.loc["value", "point"] == out.loc["value", "current"] == out.loc["value", "high"]
    assert isinstance(out, pd.DataFrame)
