"""Year-end forecast with an 80% range (全年预计), from the unit's own history and its peers'.

- Totals (value): ``seasonal_share`` (flow, survey; ``stock_ratio`` for balances): sₓ = Vₘ / V₁₂,
  the share of the month-m cumulative in the full year, in each of the previous years (up to
  ``window``). Point = Vₘ / exp(mean(log s)); range = point × exp(∓ k · sd(log s) · √(1 + 1/n)).
  The factor k is calibrated by backtest: every earlier year is forecast from the years before it
  (rolling origin, no look-ahead), the standardised errors are pooled over units and indicators,
  and k is their ``coverage`` quantile (80%). With fewer than 30 pooled errors k falls back to the
  Student t quantile. A unit with fewer than ``min_history`` usable years gets a reason, no number.
- Cumulative growth (累计增速): several methods — the naive rule "full year = year to date",
  momentum of the latest single-month growth, last year's base effects, a shrunk historical
  drift and their weighted combination — chosen per indicator and month by rolling-origin
  backtest over all units given, with ranges calibrated on the same backtest
  (:mod:`diaodu.engine.growth_methods`). Each row carries the chosen method's track record
  against the naive rule.

The value forecast and the growth forecast are separate: neither is derived from the other.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import growth_methods as gm
from ._base import (
    RATE,
    RATIO,
    STOCK,
    PeriodLike,
    indicator_table,
    lookup_indicators,
    names_for,
    obs_key,
    peer_groups_for,
    to_period,
)
from .panel import Panel, as_panel, subset
from .periods import QUARTERLY

# Student t quantile 0.90 (two-sided 80%) by degrees of freedom 1..30
_T90 = np.array([np.inf, 3.078, 1.886, 1.638, 1.533, 1.476, 1.440, 1.415, 1.397, 1.383, 1.372, 1.363,
                 1.356, 1.350, 1.345, 1.341, 1.337, 1.333, 1.330, 1.328, 1.325, 1.323, 1.321, 1.319,
                 1.318, 1.316, 1.315, 1.314, 1.313, 1.311, 1.310])
MIN_POOL = 30
SD_FLOOR = {"value": 1e-3, "growth": 0.05}

RULES = {
    "seasonal_share": "全年预计 = 本期累计 ÷ 历年同期累计占全年比重（对数均值）；80%区间 = 预计 × exp(∓k·σ·√(1+1/n))，"
                      "σ为历年占比对数的标准差，k由滚动回测校准。",
    "stock_ratio": "年末余额预计 = 本期余额 ÷ 历年本月余额与年末余额之比（对数均值）；80%区间同上。",
    **{name: text + gm.RANGE_RULE for name, text in gm.RULES.items()},
    "actual": "已到年末，全年数即本期累计数。",
}
METHOD_LABELS = {"seasonal_share": "历年同期占全年比重", "stock_ratio": "历年本月与年末余额之比",
                 "actual": "年末实际数", **gm.LABELS}


def _published_month(month: int, table: pd.DataFrame) -> np.ndarray:
    """Per indicator: the latest month ≤ ``month`` with a figure (quarterly: quarter end); 0 if none."""
    quarterly = (table["frequency"] == QUARTERLY).to_numpy()
    first = table["first_month"].to_numpy()
    m = np.where(quarterly, (month // 3) * 3, month)
    return np.where(m >= np.where(quarterly, 3, first), m, 0)


def _stats(panel: Panel, months: np.ndarray, measure: str, window: int, min_history: int, coverage: float):
    """Rolling-origin forecasts for every region × indicator × year at the given month per indicator.

    Returns a dict of arrays [R, I, Y]: current, actual (December), point, half (range half width
    in log or percentage points before scaling), n, z (standardised error where actual exists), and
    k [Y] (the calibrated factor usable for forecasting year Y, from years before Y).
    """
    n_r, n_i, n_y = len(panel.regions), len(panel.indicators), panel.n_years
    source = panel.value if measure == "value" else panel.growth
    cube = source.reshape(n_r, n_i, n_y, 12)
    m_idx = np.maximum(months - 1, 0)[None, :, None, None]
    current = np.take_along_axis(cube, np.broadcast_to(m_idx, (n_r, n_i, n_y, 1)), axis=3)[..., 0]
    current = np.where((months > 0)[None, :, None], current, np.nan)
    actual = cube[..., 11]
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "value":
            x = np.log(current / actual)  # log seasonal share
            x[~np.isfinite(x)] = np.nan
        else:
            x = actual - current  # growth drift
    mean = np.full((n_r, n_i, n_y), np.nan)
    sd = np.full((n_r, n_i, n_y), np.nan)
    n = np.zeros((n_r, n_i, n_y), dtype=np.int64)
    for y in range(n_y):
        hist = x[:, :, max(0, y - window) : y]
        count = (~np.isnan(hist)).sum(axis=2)
        n[:, :, y] = count
        if hist.shape[2] == 0:
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = _nanmean(hist, count)
            var = _nansum((hist - mu[..., None]) ** 2) / (count - 1)
        mean[:, :, y] = mu
        sd[:, :, y] = np.sqrt(var)
    ok = n >= max(min_history, 2)
    sd = np.maximum(sd, SD_FLOOR[measure])
    half = np.where(ok, sd * np.sqrt(1 + 1 / np.maximum(n, 1)), np.nan)
    if measure == "value":
        point = np.where(ok, current / np.exp(mean), np.nan)
        err = mean - x  # = log(actual) − log(point)
    else:
        point = np.where(ok, current + mean, np.nan)
        err = x - mean
    z = np.abs(err) / half
    k = np.full(n_y, np.nan)
    for y in range(n_y):
        pool = z[:, :, :y]
        pool = pool[np.isfinite(pool)]
        if pool.size >= MIN_POOL:
            k[y] = np.quantile(pool, coverage)
    t_fallback = _T90[np.clip(n - 1, 1, 30)] if coverage == 0.8 else np.full(n.shape, 1.2816 * 1.2)
    k_row = np.where(np.isnan(k)[None, None, :], t_fallback, k[None, None, :])
    return {"current": current, "actual": actual, "point": point, "half": half, "n": n, "z": z,
            "k": k_row, "ok": ok, "x": x}


def _nansum(a: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(a), 0, a).sum(axis=2)


def _nanmean(a: np.ndarray, count: np.ndarray) -> np.ndarray:
    return _nansum(a) / count


def _bounds(s: dict, measure: str) -> tuple[np.ndarray, np.ndarray]:
    width = s["k"] * s["half"]
    if measure == "value":
        return s["point"] * np.exp(-width), s["point"] * np.exp(width)
    return s["point"] - width, s["point"] + width


def _errors(s: dict, measure: str) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: covered (1/0, NaN where no backtest) and absolute error (pp for growth, % for value)."""
    low, high = _bounds(s, measure)
    actual = s["actual"]
    has = np.isfinite(s["point"]) & ~np.isnan(actual)
    covered = np.where(has, ((actual >= low) & (actual <= high)).astype(float), np.nan)
    if measure == "value":
        err = np.abs(s["point"] / actual - 1) * 100
    else:
        err = np.abs(s["point"] - actual)
    return covered, np.where(has, err, np.nan)


def _measures_for(kind: str) -> list[str]:
    return ["growth"] if kind in (RATE, RATIO) else ["value", "growth"]


def forecast(
    observations: pd.DataFrame | Panel,
    indicators: pd.DataFrame,
    period: PeriodLike,
    *,
    regions: pd.DataFrame | None = None,
    region_codes: Sequence[str] | None = None,
    indicator_codes: Sequence[str] | None = None,
    min_history: int = 3,
    window: int = 6,
    coverage: float = 0.8,
    trace: bool = True,
) -> pd.DataFrame:
    """Year-end forecast of value and growth for every unit reporting at ``period``.

    Quarterly indicators use the latest quarter at or before the period (2021-10 → 前三季度).

    Returns columns ``period, data_period, region_code, region_name, indicator, indicator_name,
    unit, measure`` (``value`` or ``growth``), ``current, point, low, high, method, history_years,
    range_factor, backtest_coverage, backtest_mae, backtest_n, reason, rule`` (+ ``sources``).
    ``backtest_coverage`` is the share of earlier year-ends (same indicator and month, all units
    given) inside their 80% range; ``backtest_mae`` the mean absolute error of the year-end
    forecast: percentage points for growth, percent of the actual for value. Rows without a
    number carry the ``reason``.
    """
    p = to_period(period)
    table = indicator_table(indicators) if indicators.index.name != "code" else indicators
    panel = subset(as_panel(observations), list(indicator_codes) if indicator_codes else None)
    ind = lookup_indicators(table, panel.indicators)
    months = _published_month(p.month, ind)
    y = p.year - panel.first_year
    frames = []
    if not 0 <= y < panel.n_years:
        return _empty_forecast()
    region_filter = None if region_codes is None else np.isin(np.asarray(panel.regions), list(map(str, region_codes)))
    for measure in ("value", "growth"):
        if measure == "growth":
            frames.append(_growth_frame(panel, ind, months, p, y, regions, region_filter, window=window,
                                        min_history=min_history, coverage=coverage, trace=trace))
            continue
        s = _stats(panel, months, measure, window, min_history, coverage)
        covered, err = _errors(s, measure)
        low, high = _bounds(s, measure)
        # track record per indicator: all units, years before the forecast year
        bt_cov = _mean_by_indicator(covered[:, :, :y])
        bt_n = (~np.isnan(covered[:, :, :y])).sum(axis=(0, 2))
        bt_mae = _mean_by_indicator(err[:, :, :y])
        current = s["current"][:, :, y]
        rr, ii = np.nonzero(~np.isnan(current))
        if region_filter is not None:
            keep = region_filter[rr]
            rr, ii = rr[keep], ii[keep]
        kinds = ind["kind"].to_numpy(dtype=object)[ii]
        relevant = np.array([measure in _measures_for(k) for k in kinds], dtype=bool)
        rr, ii, kinds = rr[relevant], ii[relevant], kinds[relevant]
        at_end = months[ii] == 12
        point = np.where(at_end, current[rr, ii], s["point"][rr, ii, y])
        lo = np.where(at_end, current[rr, ii], low[rr, ii, y])
        hi = np.where(at_end, current[rr, ii], high[rr, ii, y])
        n_hist = s["n"][rr, ii, y]
        method = np.where(at_end, "actual", np.where(kinds == STOCK, "stock_ratio", "seasonal_share"))
        reason = np.where(
            np.isnan(point),
            [f"历史不足：只有{int(k)}年同期与年末数据，至少需要{min_history}年" for k in n_hist],
            "",
        )
        frames.append(pd.DataFrame({
            "period": str(p),
            "data_period": [f"{p.year:04d}-{int(m):02d}" for m in months[ii]],
            "region_code": np.asarray(panel.regions, dtype=object)[rr],
            "region_name": names_for(np.asarray(panel.regions, dtype=object)[rr], regions),
            "indicator": np.asarray(panel.indicators, dtype=object)[ii],
            "indicator_name": ind["name"].to_numpy(dtype=object)[ii],
            "unit": np.where(measure == "growth", "%", ind["unit"].to_numpy(dtype=object)[ii]),
            "measure": measure,
            "current": current[rr, ii],
            "point": point,
            "low": lo,
            "high": hi,
            "method": method,
            "history_years": n_hist,
            "range_factor": np.where(at_end, np.nan, s["k"][rr, ii, y]),
            "backtest_coverage": bt_cov[ii] * 100,
            "backtest_mae": bt_mae[ii],
            "backtest_n": bt_n[ii],
            "naive_mae": np.nan,
            "method_label": [METHOD_LABELS[m] for m in method],
            "reason": reason,
            "rule": [RULES[m] for m in method],
        }))
    frames = [f for f in frames if len(f)]
    out = pd.concat(frames, ignore_index=True) if frames else _empty_forecast()
    out = out.sort_values(["indicator", "region_code", "measure"], ignore_index=True)
    if trace:
        out["sources"] = [_forecast_sources(r, i, dp, window) for r, i, dp in
                          zip(out["region_code"], out["indicator"], out["data_period"], strict=True)]
    return out


def growth_stats(panel: Panel, ind: pd.DataFrame, months: np.ndarray, *, window: int = 6, min_history: int = 3,
                 coverage: float = 0.8, regions: pd.DataFrame | None = None) -> dict:
    """Every growth method's rolling-origin forecasts at the given month per indicator, the choice,
    the ranges and the errors (:func:`diaodu.engine.growth_methods.select`), arrays [R, I, Y].
    ``regions`` tells which units are peers (same level and parent); without it, all of them."""
    n_r, n_i, n_y = len(panel.regions), len(panel.indicators), panel.n_years
    growth = panel.growth.reshape(n_r, n_i, n_y, 12)
    value = panel.value.reshape(n_r, n_i, n_y, 12)
    quarterly = (ind["frequency"] == QUARTERLY).to_numpy()
    first = ind["first_month"].to_numpy(dtype=np.int64)
    points = gm.method_points(value, growth, months, quarterly, first, window,
                              cumulative=(ind["kind"] != STOCK).to_numpy(),
                              peer_groups=peer_groups_for(panel.regions, regions))
    actual = np.where((months < 12)[None, :, None], growth[..., 11], np.nan)
    s = gm.select({name: points[name] for name in gm.POINT_METHODS}, actual, min_history=min_history,
                  coverage=coverage, groups=ind["kind"].to_numpy(dtype=object).astype(str))
    s["current"], s["actual"], s["recent"] = points["naive"], growth[..., 11], points["_recent"]
    return s


GROWTH_FLAGS = ["本单位缺少所选方法需要的数据，改用往年回测次优且有数据的方法", "本单位往年检验不足，区间宽度取同级单位合并值",
                "往年回测不足，暂无区间", "本类指标往年回测不足，方法按同级全部指标的回测选定"]


def _growth_frame(panel: Panel, ind: pd.DataFrame, months: np.ndarray, p, y: int, regions, region_filter, *,
                  window: int, min_history: int, coverage: float, trace: bool) -> pd.DataFrame:
    s = growth_stats(panel, ind, months, window=window, min_history=min_history, coverage=coverage, regions=regions)
    current = s["current"][:, :, y]
    rr, ii = np.nonzero(~np.isnan(current))
    if region_filter is not None:
        keep = region_filter[rr]
        rr, ii = rr[keep], ii[keep]
    track = gm.track_before(s, y)
    at_end = months[ii] == 12
    fallback = s["fallback"][rr, ii, y]
    method = np.where(at_end, "actual", np.asarray(gm.METHODS, dtype=object)[np.maximum(s["used"][rr, ii, y], 0)])
    point = np.where(at_end, current[rr, ii], s["point"][rr, ii, y])
    lo = np.where(at_end, current[rr, ii], s["low"][rr, ii, y])
    hi = np.where(at_end, current[rr, ii], s["high"][rr, ii, y])
    no_range = ~at_end & np.isnan(lo)
    flags = (fallback & ~at_end).astype(np.int64) | ((s["pooled_width"][rr, ii, y] & ~at_end & ~no_range) << 1) \
        | (no_range.astype(np.int64) << 2) | ((s["pooled_choice"][ii, y] & ~at_end & ~fallback).astype(np.int64) << 3)
    codes = np.asarray(panel.regions, dtype=object)[rr]
    frame = pd.DataFrame({
        "period": str(p),
        "data_period": [f"{p.year:04d}-{int(m):02d}" for m in months[ii]],
        "region_code": codes,
        "region_name": names_for(codes, regions),
        "indicator": np.asarray(panel.indicators, dtype=object)[ii],
        "indicator_name": ind["name"].to_numpy(dtype=object)[ii],
        "unit": "%",
        "measure": "growth",
        "current": current[rr, ii],
        "point": point,
        "low": lo,
        "high": hi,
        "method": method,
        "history_years": s["n_own"][rr, ii, y],
        "range_factor": np.where(at_end, np.nan, s["k"][ii, y]),
        "backtest_coverage": track["coverage"][ii] * 100,
        "backtest_mae": track["mae"][ii],
        "backtest_n": track["n"][ii],
        "naive_mae": track["mae_naive"][ii],
        "method_label": [METHOD_LABELS[m] for m in method],
        "reason": [GROWTH_FLAGS_TEXT[f] for f in flags],
        "rule": [RULES[m] for m in method],
    })
    if trace:
        frame["history"] = [_past_forecasts(s, r, i, y, panel.first_year) for r, i in zip(rr, ii, strict=True)]
    return frame


GROWTH_FLAGS_TEXT = ["；".join(t for b, t in enumerate(GROWTH_FLAGS) if f & (1 << b)) for f in range(16)]


def _past_forecasts(s: dict, r: int, i: int, y: int, first_year: int) -> list[dict]:
    """The unit's forecasts of earlier years (as made then) against their outcomes."""
    out = []
    for year in range(y):
        actual, point = s["actual"][r, i, year], s["point"][r, i, year]
        if np.isnan(actual) or np.isnan(point):
            continue
        method = gm.METHODS[s["used"][r, i, year]]
        out.append({"year": first_year + year, "current": float(s["current"][r, i, year]), "point": float(point),
                    "low": float(s["low"][r, i, year]), "high": float(s["high"][r, i, year]),
                    "actual": float(actual), "method": METHOD_LABELS[method]})
    return out


def track_record_text(row: dict) -> str:
    """One sentence on a growth forecast's method and record: "最近一期增速延续；往年回测平均误差0.42个百分点
    （年内累计不变0.61），80%区间覆盖79%（n=24）", and what the forecast's reason flags (the method
    chosen from every indicator's record, the naive rule for want of the method's data …)."""
    label = row.get("method_label") or METHOD_LABELS.get(row.get("method"), "")
    mae, naive, cov, n = (row.get(k) for k in ("backtest_mae", "naive_mae", "backtest_coverage", "backtest_n"))
    if row.get("method") == "actual":
        return label
    reason = f"；{row['reason']}" if row.get("reason") else ""  # a pooled choice, a naive fallback …
    if not n or mae is None or (isinstance(mae, float) and np.isnan(mae)):
        return f"{label}；尚无往年回测{reason}"
    text = f"{label}；往年回测平均误差{mae:.2f}个百分点（年内累计不变{naive:.2f}）"
    if cov is not None and not (isinstance(cov, float) and np.isnan(cov)):
        text += f"，80%区间覆盖{cov:.0f}%"
    return f"{text}（n={int(n)}）{reason}"


def _mean_by_indicator(a: np.ndarray) -> np.ndarray:
    """Mean over regions and years, per indicator, ignoring NaN (NaN when nothing)."""
    valid = ~np.isnan(a)
    count = valid.sum(axis=(0, 2))
    total = np.where(valid, a, 0).sum(axis=(0, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, np.nan)


def _forecast_sources(region: str, indicator: str, data_period: str, window: int) -> list[str]:
    year, month = int(data_period[:4]), int(data_period[5:])
    keys = [obs_key(region, indicator, year, month)]
    for y in range(year - window, year):
        keys += [obs_key(region, indicator, y, month), obs_key(region, indicator, y, 12)]
    return keys


def _empty_forecast() -> pd.DataFrame:
    return pd.DataFrame(columns=["period", "data_period", "region_code", "region_name", "indicator",
                                 "indicator_name", "unit", "measure", "current", "point", "low", "high",
                                 "method", "history_years", "range_factor", "backtest_coverage",
                                 "backtest_mae", "backtest_n", "naive_mae", "method_label", "reason", "rule"])


def backtest(
    observations: pd.DataFrame | Panel,
    indicators: pd.DataFrame,
    months: Sequence[int] = (6, 9, 10),
    *,
    regions: pd.DataFrame | None = None,
    indicator_codes: Sequence[str] | None = None,
    min_history: int = 3,
    window: int = 6,
    coverage: float = 0.8,
) -> pd.DataFrame:
    """Rolling-origin backtest of the year-end forecast at the given months (``regions``: which
    units are peers, as in :func:`forecast`).

    Every year is forecast from the years before it only (the method's choice and the range
    factor too), then compared with its reported December figure.

    Returns rows ``month, measure, indicator`` (``全部`` for all indicators together), ``n``
    (forecasts checked), ``coverage`` (percent of actual year-ends inside the 80% range), ``mae``
    (growth: percentage points; value: percent of the actual), ``mae_unit``; for growth also
    ``mae_naive`` (the naive rule on the same forecasts), ``mae_<method>`` for every method (on the
    checked forecasts where the method had a number), ``ratio`` (mae ÷ mae_naive), ``n_tracked`` and
    ``ratio_tracked`` (the same on the year-ends whose choice was made from a long enough record,
    not the naive rule for lack of one), ``n_pooled`` (of those, the ones chosen from the record of
    every indicator because the kind's was short) and ``chosen`` (the method the forecast chooses
    from the whole history for the next year; ``各指标不同`` for ``全部`` where the indicators' differ).
    """
    table = indicator_table(indicators) if indicators.index.name != "code" else indicators
    panel = subset(as_panel(observations), list(indicator_codes) if indicator_codes else None)
    ind = lookup_indicators(table, panel.indicators)
    rows = []
    for month in months:
        published = _published_month(month, ind)
        for measure in ("value", "growth"):
            relevant = np.array([measure in _measures_for(k) for k in ind["kind"]], dtype=bool)
            relevant &= (published > 0) & (published < 12)
            if measure == "growth":
                s = growth_stats(panel, ind, published, window=window, min_history=min_history, coverage=coverage,
                                 regions=regions)
                for i, code in enumerate(panel.indicators):
                    if relevant[i]:
                        row = _growth_backtest_row(s, [i])
                        if row["n"]:
                            rows.append({"month": month, "measure": measure, "indicator": code, **row})
                rows.append({"month": month, "measure": measure, "indicator": "全部",
                             **_growth_backtest_row(s, list(np.flatnonzero(relevant)))})
                continue
            s = _stats(panel, published, measure, window, min_history, coverage)
            covered, err = _errors(s, measure)
            for i, code in enumerate(panel.indicators):
                if not relevant[i]:
                    continue
                c, e = covered[:, i], err[:, i]
                n = int((~np.isnan(c)).sum())
                if n:
                    rows.append({"month": month, "measure": measure, "indicator": code, "n": n,
                                 "coverage": float(np.nanmean(c)) * 100, "mae": float(np.nanmean(e)), "mae_unit": "%"})
            c, e = covered[:, relevant], err[:, relevant]
            n = int((~np.isnan(c)).sum())
            rows.append({"month": month, "measure": measure, "indicator": "全部", "n": n,
                         "coverage": float(np.nanmean(c)) * 100 if n else np.nan,
                         "mae": float(np.nanmean(e)) if n else np.nan, "mae_unit": "%"})
    columns = ["month", "measure", "indicator", "n", "coverage", "mae", "mae_unit", "mae_naive",
               *[f"mae_{m}" for m in gm.METHODS[1:]], "ratio", "n_tracked", "ratio_tracked", "n_pooled", "chosen"]
    return pd.DataFrame(rows, columns=columns).astype({"n_tracked": "Int64", "n_pooled": "Int64"})  # none for value


def _growth_backtest_row(s: dict, indicator_idx: list[int]) -> dict:
    """The growth track record over the given indicators, every unit and year."""
    idx = np.asarray(indicator_idx, dtype=np.int64)
    error, naive = s["error"][:, idx], s["err_naive"][:, idx]
    checked = np.isfinite(error) & np.isfinite(naive)
    n = int(checked.sum())
    row = {"n": n, "coverage": np.nan, "mae": np.nan, "mae_unit": "百分点", "mae_naive": np.nan, "ratio": np.nan,
           "n_tracked": 0, "ratio_tracked": np.nan, "n_pooled": 0, "chosen": ""}
    if not n:
        return row
    tracked = checked & s["tracked"][None, idx]
    row["n_tracked"] = int(tracked.sum())
    row["n_pooled"] = int((tracked & s["pooled_choice"][None, idx]).sum())
    naive_tracked = float(np.abs(naive[tracked]).sum())
    if naive_tracked > 0:
        row["ratio_tracked"] = float(np.abs(error[tracked]).sum()) / naive_tracked
    covered = s["covered"][:, idx][checked]
    covered = covered[np.isfinite(covered)]
    row["coverage"] = float(covered.mean()) * 100 if covered.size else np.nan
    row["mae"] = float(np.abs(error[checked]).mean())
    row["mae_naive"] = float(np.abs(naive[checked]).mean())
    row["ratio"] = row["mae"] / row["mae_naive"] if row["mae_naive"] > 0 else np.nan
    for name in gm.METHODS[1:]:
        e = s[f"err_{name}"][:, idx]
        ok = checked & np.isfinite(e)
        row[f"mae_{name}"] = float(np.abs(e[ok]).mean()) if ok.any() else np.nan
    chosen = {METHOD_LABELS[gm.METHODS[s["next_chosen"][i]]] + ("（借全部指标记录）" if s["next_pooled"][i] else "")
              for i in idx}
    row["chosen"] = chosen.pop() if len(chosen) == 1 else "各指标不同"
    return row
