"""Growth forecasts: implied single-month growth, the year-end, no look-ahead, the method choice."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diaodu.engine import Panel, backtest, forecast
from diaodu.engine import growth_methods as gm
from diaodu.engine._base import indicator_table
from diaodu.engine.forecast import _published_month, growth_stats, track_record_text
from tests.engine.engine_frames import indicators, observations

MONTHS = list(range(2, 13))  # 1-2月 is the first published cumulative figure


def monthly_panel(monthly: np.ndarray, first_year: int = 2016, region: str = "r0") -> pd.DataFrame:
    """Cumulative values and growth, as published, from single-month values [year, 12] (Jan+Feb
    reported together as month 2). The first year gives only the base of the second."""
    rows = []
    cum = np.cumsum(monthly, axis=1)
    for y in range(1, monthly.shape[0]):
        for m in MONTHS:
            growth = (cum[y, m - 1] / cum[y - 1, m - 1] - 1) * 100
            rows.append((region, "x", first_year + y, m, float(cum[y, m - 1]), float(growth)))
    return observations(rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.floats(1.0, 50.0), min_size=24, max_size=24), st.integers(3, 12))
def test_implied_single_month_growth_is_exact_with_cumulative_values(values, month):
    monthly = np.array(values).reshape(2, 12)
    obs = monthly_panel(monthly)
    panel = Panel.from_frame(obs)
    ind = indicator_table(indicators()).loc[["x"]]
    s = growth_stats(panel, ind, _published_month(month, ind))
    true = (monthly[1, month - 1] / monthly[0, month - 1] - 1) * 100
    assert np.isclose(s["recent"][0, 0, -1], true, rtol=1e-9, atol=1e-9)


def random_history(seed: int, n_units: int = 6, n_years: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for u in range(n_units):
        trend = rng.normal(1.06, 0.03, n_years + 1).cumprod()
        monthly = rng.uniform(0.8, 1.2, (n_years + 1, 12)) * trend[:, None] * 100
        frames.append(monthly_panel(monthly, region=f"r{u}"))
    return pd.concat(frames, ignore_index=True)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([2, 6, 9, 10, 11]), st.integers(2019, 2024))
def test_no_look_ahead(seed, month, year):
    obs = random_history(seed)
    before = forecast(obs, indicators(), f"{year}-{month:02d}", trace=False)
    later = (obs["year"] > year) | ((obs["year"] == year) & (obs["month"] > month))
    rng = np.random.default_rng(seed + 1)
    changed = obs.copy()
    changed.loc[later, "growth"] += rng.normal(0, 5, later.sum())
    changed.loc[later, "value"] *= rng.uniform(0.5, 1.5, later.sum())
    after = forecast(changed, indicators(), f"{year}-{month:02d}", trace=False)
    columns = ["point", "low", "high", "method", "backtest_mae", "naive_mae", "backtest_coverage", "range_factor",
               "reason"]
    pd.testing.assert_frame_equal(before[columns], after[columns])


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(2017, 2024))
def test_a_forecast_at_month_12_is_the_actual(seed, year):
    obs = random_history(seed)
    out = forecast(obs, indicators(), f"{year}-12", trace=False)
    actual = obs[(obs["year"] == year) & (obs["month"] == 12)].set_index("region")
    for measure in ("value", "growth"):
        rows = out[out["measure"] == measure].set_index("region_code")
        assert (rows["method"] == "actual").all()
        assert np.allclose(rows["point"], actual.loc[rows.index, measure])
        assert np.allclose(rows["low"], rows["point"]) and np.allclose(rows["high"], rows["point"])


def test_momentum_is_chosen_when_the_year_turns_late():
    """Units whose second half runs at a different pace than the first: the latest single-month
    growth says more about the year-end than the year to date, and the backtest finds that."""
    rng = np.random.default_rng(3)
    frames = []
    for u in range(8):
        monthly = np.ones((10, 12)) * 100
        for y in range(1, 10):
            early, late = rng.normal(6, 3), rng.normal(6, 3)  # growth of months 1-8 and 9-12
            monthly[y, :8] = monthly[y - 1, :8] * (1 + early / 100)
            monthly[y, 8:] = monthly[y - 1, 8:] * (1 + late / 100)
        frames.append(monthly_panel(monthly, region=f"u{u}"))
    obs = pd.concat(frames, ignore_index=True)
    out = backtest(obs, indicators(), months=[10]).query("measure == 'growth' and indicator == 'x'").iloc[0]
    assert out["mae_momentum"] < 0.2 * out["mae_naive"]
    assert out["chosen"] == "最近一期增速延续"
    fc = forecast(obs, indicators(), "2025-10").query("measure == 'growth'")
    assert (fc["method"] == "momentum").all() and (fc["backtest_mae"] < fc["naive_mae"]).all()
    assert fc["low"].notna().all() and (fc["low"] <= fc["point"]).all() and (fc["point"] <= fc["high"]).all()


def test_a_unit_without_history_gets_its_peers_width_flagged():
    obs = random_history(5)
    newcomer = obs[(obs["region"] == "r0") & (obs["year"] >= 2023)].assign(region="new")
    out = forecast(pd.concat([obs, newcomer]), indicators(), "2024-10").query("measure == 'growth'")
    row = out.set_index("region_code").loc["new"]
    assert row["history_years"] < 3  # min_history
    assert "同级单位合并值" in row["reason"]
    assert not np.isnan(row["low"])
    assert all(h["year"] < 2024 for r in out["history"] for h in r)


def test_the_range_factor_is_calibrated_per_indicator_and_short_ones_borrow_their_kinds_pool():
    from diaodu.engine.growth_methods import MIN_POOL, range_factors

    rng = np.random.default_rng(7)
    n_r, n_y = 20, 4
    z = np.abs(rng.normal(size=(n_r, 3, n_y)))
    z[:, 1] *= 2.0  # a volatile indicator: its standardised errors are twice as wide
    z[3:, 2] = np.nan  # a short one: 3 errors a year, never MIN_POOL of its own
    k = range_factors(z, 0.8, np.array(["flow", "flow", "flow"]))
    assert np.isnan(k[:, 0]).all()  # the first year has no past
    for y in range(2, n_y):
        own = [np.quantile(z[:, i, :y][np.isfinite(z[:, i, :y])], 0.8) for i in (0, 1)]
        assert k[0, y] == own[0] and k[1, y] == own[1]
        assert k[1, y] > 1.5 * k[0, y]
        pooled = z[:, :, :y][np.isfinite(z[:, :, :y])]
        assert (~np.isnan(z[:, 2, :y])).sum() < MIN_POOL and k[2, y] == np.quantile(pooled, 0.8)


def late_turning_units(n_units: int = 8, n_years: int = 10, seed: int = 3) -> pd.DataFrame:
    """Units whose months 9-12 grow at a pace of their own: momentum wins by far at month 10."""
    rng = np.random.default_rng(seed)
    frames = []
    for u in range(n_units):
        monthly = np.ones((n_years, 12)) * 100
        for y in range(1, n_years):
            early, late = rng.normal(6, 3), rng.normal(6, 3)
            monthly[y, :8] = monthly[y - 1, :8] * (1 + early / 100)
            monthly[y, 8:] = monthly[y - 1, 8:] * (1 + late / 100)
        frames.append(monthly_panel(monthly, region=f"u{u}"))
    return pd.concat(frames, ignore_index=True)


def test_the_backtest_says_which_choices_had_a_record():
    out = backtest(late_turning_units(), indicators(), months=[10]).query("measure == 'growth' and indicator == 'x'")
    row = out.iloc[0]
    # the first years are forecast before any method has MIN_CHOICE checks: the naive rule, untracked
    assert 0 < row["n_tracked"] < row["n"]
    assert row["ratio_tracked"] < 0.5 and row["ratio_tracked"] < row["ratio"]
    assert row["n_pooled"] == 0  # one indicator: its kind's record is the whole record


def two_kinds(seed: int, n_r: int, n_y: int = 7, missing: float = 0.3):
    """Method points of three indicators, two of kind "a" and one of kind "b", with gaps."""
    rng = np.random.default_rng(seed)
    actual = rng.normal(6, 2, (n_r, 3, n_y))
    points = {"naive": actual + rng.normal(0, 1.0, actual.shape)}
    for name, noise in (("momentum", 0.3), ("base_effect", 0.6), ("drift_shrunk", 1.2)):
        p = actual + rng.normal(0, noise, actual.shape)
        points[name] = np.where(rng.random(actual.shape) < missing, np.nan, p)
    return points, actual, np.array(["a", "a", "b"])


def _checks_before(points, actual, groups):
    """Checks per candidate method [M, I, Y] in the years before, pooled by ``groups``."""
    out = []
    for name in gm.CANDIDATES:
        ok = np.isfinite(points[name] - actual)
        out.append(gm._pool(gm._before(ok.sum(axis=0)), groups))
    return np.stack(out)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 4), st.floats(0.0, 0.9))
def test_the_pooled_choice_is_used_only_where_the_kinds_own_record_is_short(seed, n_r, missing):
    points, actual, groups = two_kinds(seed, n_r, missing=missing)
    s = gm.select(points, actual, groups=groups)
    own_long = (_checks_before(points, actual, groups) >= gm.MIN_CHOICE).any(axis=0)
    all_long = (_checks_before(points, actual, np.zeros(3, dtype=np.int64)) >= gm.MIN_CHOICE).any(axis=0)
    assert (s["pooled_choice"] == (~own_long & all_long)).all()
    assert (s["tracked"] == (own_long | all_long)).all()
    assert (s["chosen"][~s["tracked"]] == 0).all()  # no record: the naive rule


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 4), st.integers(1, 5))
def test_the_choice_does_not_look_ahead(seed, n_r, year):
    points, actual, groups = two_kinds(seed, n_r)
    before = gm.select(points, actual, groups=groups)
    rng = np.random.default_rng(seed + 1)
    later = {name: p.copy() for name, p in points.items()}
    for p in later.values():
        p[:, :, year + 1:] += rng.normal(0, 5, p[:, :, year + 1:].shape)
    changed_actual = actual.copy()
    changed_actual[:, :, year + 1:] += rng.normal(0, 5, actual[:, :, year + 1:].shape)
    after = gm.select(later, changed_actual, groups=groups)
    for key in ("chosen", "tracked", "pooled_choice", "k"):
        np.testing.assert_array_equal(before[key][:, :year + 1], after[key][:, :year + 1])
    for key in ("point", "low", "high"):
        np.testing.assert_array_equal(before[key][:, :, :year + 1], after[key][:, :, :year + 1])
    # the choice "for the next year" of a shorter history is the choice that year gets
    shorter = gm.select({name: p[:, :, :year] for name, p in points.items()}, actual[:, :, :year], groups=groups)
    for key, next_key in (("chosen", "next_chosen"), ("tracked", "next_tracked"), ("pooled_choice", "next_pooled")):
        np.testing.assert_array_equal(shorter[next_key], before[key][:, year])


def test_a_kind_with_a_short_record_borrows_the_choice_of_every_indicator_flagged():
    """Indicator y (the only rate) is published by one unit for four years: never MIN_CHOICE checks
    of its own. Its method is chosen on the record of x (flows, same units and month), and says so."""
    obs = late_turning_units()
    short = obs[(obs["region"] == "u0") & (obs["year"] >= 2022)].assign(indicator="y")
    table = pd.concat([indicators(), indicators(kind="rate").assign(code="y", name="测试比率")], ignore_index=True)
    fc = forecast(pd.concat([obs, short], ignore_index=True), table, "2025-10").query("measure == 'growth'")
    x, y = fc[fc["indicator"] == "x"], fc[fc["indicator"] == "y"]
    assert (x["method"] == "momentum").all() and not x["reason"].str.contains("同级全部指标").any()
    assert (y["method"] == "momentum").all() and y["reason"].str.contains("同级全部指标的回测选定").all()
    out = backtest(pd.concat([obs, short], ignore_index=True), table, months=[10]).query("measure == 'growth'")
    out = out.set_index("indicator")
    assert out.loc["y", "n_pooled"] == out.loc["y", "n_tracked"] > 0
    assert out.loc["x", "n_pooled"] == 0
    # The sentence shown beside the forecast (pages, drawer) carries the flag; x's does not.
    assert "同级全部指标的回测选定" in track_record_text(y.iloc[0].to_dict())
    assert "同级全部指标" not in track_record_text(x.iloc[0].to_dict())


def test_a_unit_without_the_chosen_methods_number_gets_the_next_best_method_not_the_naive_rule():
    """Momentum is the best of the record, the base effect next. A unit whose momentum has no
    number (no figure of the month before) gets the base effect's number (alone, or as the
    combination of what it has), not the naive rule; one with neither gets the naive rule."""
    rng = np.random.default_rng(11)
    actual = rng.normal(6, 2, (6, 1, 8))
    points = {"naive": actual + rng.normal(0, 1.0, actual.shape), "drift_shrunk": np.full(actual.shape, np.nan)}
    for name, noise in (("momentum", 0.0), ("base_effect", 0.4)):  # momentum exact: chosen, not the combination
        points[name] = actual + rng.normal(0, noise, actual.shape)
    points["momentum"][0, 0, -1] = np.nan  # unit 0: no momentum this year
    points["momentum"][1, 0, -1] = points["base_effect"][1, 0, -1] = np.nan  # unit 1: neither
    s = gm.select(points, actual)
    assert gm.METHODS[s["chosen"][0, -1]] == "momentum"
    assert s["fallback"][:, 0, -1].tolist() == [True, True, False, False, False, False]
    assert s["point"][0, 0, -1] == pytest.approx(points["base_effect"][0, 0, -1])
    assert gm.METHODS[s["used"][1, 0, -1]] == "naive" and s["point"][1, 0, -1] == points["naive"][1, 0, -1]
    # what the page shows: the method used, and why
    obs = late_turning_units()
    gap = (obs["region"] == "u0") & (obs["year"] == 2025) & (obs["month"] < 10)  # only 1-10月: no momentum
    fc = forecast(obs[~gap], indicators(), "2025-10").query("measure == 'growth'").set_index("region_code")
    assert fc.loc["u1", "method"] == "momentum" and fc.loc["u1", "reason"] == ""
    assert fc.loc["u0", "method"] != "momentum" and "改用往年回测次优且有数据的方法" in fc.loc["u0", "reason"]


def test_a_short_pool_that_holds_a_shock_widens_the_range_beyond_the_t_quantile():
    """Fewer than MIN_POOL standardised errors: the t quantile of the pool's size is a floor, and a
    pool whose errors lie far beyond their scale (a year of shock) gets its own, larger quantile."""
    from diaodu.engine.growth_methods import _T90, MIN_POOL, range_factors

    calm = np.full((4, 1, 3), 0.5)
    k = range_factors(calm, 0.8)
    assert k[0, 2] == _T90[calm[:, :, :2].size - 1]  # quiet errors: the floor
    shock = calm.copy()
    shock[:, 0, 1] = 6.0  # the second year's errors twelve times their scale
    k = range_factors(shock, 0.8)
    pool = shock[:, :, :2].ravel()
    assert pool.size < MIN_POOL and k[0, 2] == np.quantile(pool, 0.8) > 3 * _T90[pool.size - 1]


def test_a_shock_year_widens_later_ranges_through_their_scale_not_twice():
    """Forty units forecast to 0.1 points for four years, then a year 3 points off, then calm again.
    The shock enters the later years' scale; standardised by a scale that includes its own year it
    does not also blow up the range factor (judged by the calm years' scale it would be 30 scales
    wide, and every later range ten times wider than the errors it is meant to hold)."""
    n_r, n_y = 40, 8
    actual = np.zeros((n_r, 1, n_y))
    rng = np.random.default_rng(5)
    errors = np.abs(rng.normal(0.1, 0.02, actual.shape)) * np.where(rng.random(actual.shape) < 0.5, -1, 1)
    errors[:, :, 4] *= 30
    nan = np.full(actual.shape, np.nan)
    s = gm.select({"naive": errors, "momentum": nan, "base_effect": nan, "drift_shrunk": nan}, actual)
    assert (s["covered"][:, 0, 4] == 0).all()  # nothing foresaw the shock
    assert s["k"][0, 5] < 2.5 and s["k"][0, 7] < 2.5
    half = (s["high"] - s["point"])[:, 0, 5:]
    assert (half < 4 * s["scale"][:, 0, 5:]).all() and (half > 1.0).all()  # the shock is in the scale, once


def common_turn_units(n_units: int = 8, n_years: int = 10, seed: int = 4) -> pd.DataFrame:
    """Units whose months 9-12 turn together each year (a pace shared by all, and a little of their own)."""
    rng = np.random.default_rng(seed)
    turns = rng.normal(6, 3, (n_years, 2))  # every unit's growth of months 1-8 and 9-12, before its own part
    frames = []
    for u in range(n_units):
        monthly = np.ones((n_years, 12)) * 100
        for y in range(1, n_years):
            early, late = turns[y] + rng.normal(0, 0.3, 2)
            monthly[y, :8] = monthly[y - 1, :8] * (1 + early / 100)
            monthly[y, 8:] = monthly[y - 1, 8:] * (1 + late / 100)
        frames.append(monthly_panel(monthly, region=f"u{u}"))
    return pd.concat(frames, ignore_index=True)


def test_a_unit_without_the_month_before_gets_the_median_shift_of_its_peers():
    """u0 has only 1-10月 this year, so no momentum of its own; its peers' momentum moves their
    year-ends by about the same amount, and their median moved u0's 1-10月 figure is far closer to
    its year-end than the naive rule."""
    obs = common_turn_units()
    gap = (obs["region"] == "u0") & (obs["year"] == 2025) & (obs["month"] < 10)
    panel = Panel.from_frame(obs[~gap])
    ind = indicator_table(indicators()).loc[["x"]]
    s = growth_stats(panel, ind, _published_month(10, ind))
    u0, y = panel.regions.get_loc("u0"), -1
    assert np.isnan(s["point_momentum"][u0, 0, y])
    shifts = [s["point_momentum"][r, 0, y] - s["point_naive"][r, 0, y] for r in range(len(panel.regions)) if r != u0]
    assert s["point_peer_shift"][u0, 0, y] == pytest.approx(s["point_naive"][u0, 0, y] + np.median(shifts))
    actual = s["actual"][u0, 0, y]
    assert abs(s["point_peer_shift"][u0, 0, y] - actual) < 0.5 * abs(s["point_naive"][u0, 0, y] - actual)


def test_peers_are_the_units_of_the_same_group_and_need_three_shifts():
    shift = np.array([1.0, 2.0, np.nan, 3.0, 100.0, 200.0, -5.0, np.nan, 7.0])[:, None, None]
    groups = np.array(["a", "a", "a", "a", "b", "b", "c", "c", "c"])
    out = gm.peer_median(shift, groups)[:, 0, 0]
    assert out[:4].tolist() == [2.0, 2.0, 2.0, 2.0]  # a's median, for its unit without a shift too
    assert np.isnan(out[4:]).all()  # b and c: two shifts each, fewer than MIN_PEERS
    assert gm.peer_median(shift, None)[0, 0, 0] == np.median(shift[np.isfinite(shift)])  # no groups: every unit


def test_the_range_widens_where_the_units_own_methods_disagree():
    """Forty units; in calm years momentum is about 0.2 points off, the naive rule 0.4. In the
    last year the naive rule is 3 points off (a year-end turn) and momentum catches two thirds of
    it: ranges from the past errors alone would miss every year-end; the methods' spread widens
    them to hold it."""
    rng = np.random.default_rng(8)
    n_r, n_y = 40, 9
    actual = rng.normal(6, 2, (n_r, 1, n_y))
    momentum = actual + rng.normal(0, 0.2, actual.shape)
    naive = actual + rng.normal(0, 0.4, actual.shape)
    naive[:, :, -1] = actual[:, :, -1] - 3.0
    momentum[:, :, -1] = actual[:, :, -1] - 1.0 + rng.normal(0, 0.1, (n_r, 1))
    nan = np.full(actual.shape, np.nan)
    s = gm.select({"naive": naive, "momentum": momentum, "base_effect": nan, "drift_shrunk": nan}, actual)
    assert s["point"][:, 0, -1] == pytest.approx(momentum[:, 0, -1])  # momentum (alone, or as the combination)
    past = gm.range_scale(s["error"], 3, gm._before)[0][:, 0, -1]  # the past errors' scale alone
    spread = np.abs(momentum - naive)[:, 0, -1]
    assert s["scale"][:, 0, -1] == pytest.approx(np.sqrt(past**2 + spread**2))
    assert (s["k"][0, -1] * past < 0.9).all()  # the past errors alone: every year-end outside
    assert np.nanmean(s["covered"][:, 0, -1]) >= 0.8
    assert 0.7 < np.nanmean(s["covered"][:, 0, 3:-1]) < 0.9  # calm years: about 80%


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), gaps=st.floats(0, 0.9))
def test_the_latest_earlier_month_steps_back_over_gaps_as_a_clerk_would(seed, gaps):
    """The month before m with a figure, found for every unit at once, equals stepping back one
    month (three for a quarterly indicator) at a time until a figure turns up, never before the
    indicator's first month (1-2月 → 2, a quarter → 3)."""
    rng = np.random.default_rng(seed)
    n_r, n_i, n_y = 3, 6, 2
    growth = rng.normal(6, 3, (n_r, n_i, n_y, 12))
    growth[rng.random(growth.shape) < gaps] = np.nan
    quarterly = rng.random(n_i) < 0.5
    first = np.where(quarterly, 3, rng.integers(1, 3, n_i))
    months = rng.integers(0, 13, n_i)
    m = np.broadcast_to(months[None, :, None], (n_r, n_i, n_y))
    found = gm.latest_earlier_month(growth, m, quarterly, first)
    for r, i, y in np.ndindex(n_r, n_i, n_y):
        step = 3 if quarterly[i] else 1
        lowest = max(first[i], step)
        expected = next((c for c in range(months[i] - step, lowest - 1, -step) if np.isfinite(growth[r, i, y, c - 1])), 0)
        assert found[r, i, y] == expected, (r, i, y, months[i], quarterly[i], first[i])
