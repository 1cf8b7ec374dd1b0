"""Year-end growth forecasts (全年增速预计) by several methods, chosen by rolling-origin backtest.

Every array here is ``[region, indicator, year]`` for one forecast month per indicator (``months``,
1-12, 0 where the indicator has no figure yet). Growth is in percent.

Methods (the point forecast of the full-year cumulative growth G₁₂ from the month-m figure Gₘ):

- ``naive``: G₁₂ = Gₘ ("the full year will be what the year to date is"). Always computed; it is
  the baseline every other method must beat.
- ``momentum``: the growth of the latest published stretch (当月增速 for monthly figures), implied
  by the two latest cumulative figures p < m: with s the share of months 1..p in months 1..m of
  last year, (1+Gₘ) = s(1+Gₚ) + (1−s)(1+g). s is exact when this year's cumulative values exist
  (last year's base = value ÷ (1+growth)); otherwise last year's value profile, otherwise p/m.
  The growth g is carried over the remaining months: G₁₂ = Gₘ + (1−S)(g − Gₘ), S the share of
  months 1..m in last year's full year (same fallbacks, m/12 last).
- ``base_effect``: last year's remaining months grew r' (from last year's Gₘ and G₁₂); a weak end
  of last year lifts this year's: the two-year growth of the remaining months is taken equal to
  the two-year growth of the months so far, (1+r)(1+r') = (1+Gₘ)(1+G'ₘ).
- ``drift_shrunk``: the mean of earlier years' G₁₂ − Gₘ (up to ``window`` years), shrunk toward
  zero by its noise: λ = μ² / (μ² + σ²/n).
- ``peer_shift``: the unit's Gₘ moved by the median of its peers' momentum shifts (momentum − Gₘ,
  the same indicator, year and month, peers: the units of the same group, ``peer_groups``), where
  at least ``MIN_PEERS`` peers have one. A year-end move shared by every unit (the recovery after
  a shock, the base effect of the year after) is seen in the peers' latest month even where the
  unit's own month before is missing.
- ``combined``: the average of the methods above weighted by the inverse of their mean squared
  backtest error in earlier years.

For year Y the method is chosen per indicator kind (flow, rate, survey …) by its absolute error
relative to the naive rule's on the same forecasts, over every unit and every year before Y
(rolling origin: a year is judged only on what was known before it); a method needs
``MIN_CHOICE`` checked forecasts to be chosen, and it is chosen only when it beat the naive rule.
Where no method of a kind has that record yet, the choice is made the same way from the record
pooled over every indicator of the units given (one level, the same month; flagged
``pooled_choice``); only where that too is short does the naive rule stand for lack of a record
(``tracked`` False). A unit without the chosen method's number (no figure of the month before,
say) gets the next method of the record's order that has one, down to the naive rule.

The 80% range is point ± k·s: s combines the unit's own root-mean-square error of the chosen
procedure in earlier years, blended with its peers' pooled one (a unit with fewer than
``min_history`` checked years gets the pooled width and a flag), with the spread of this year's
forecasts by the unit's own methods (:func:`method_spread`); k is the 80% quantile of the standardised errors
|error| / s of earlier years pooled over units (each standardised by the s that includes its own
year, :func:`range_scale`), per indicator (its kind's pool, then all indicators', while it has
fewer than ``MIN_POOL`` errors; while even that pool is short, the larger of its quantile and the
Student t quantile of its size: a floor for short histories), see :func:`range_factors`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

METHODS = ("naive", "momentum", "base_effect", "drift_shrunk", "peer_shift", "combined")
POINT_METHODS = METHODS[:-1]  # computed before the backtest (the combination needs it)
OWN_METHODS = METHODS[:4]  # from the unit's own figures alone
# what the combination averages: not the naive rule (only the baseline), not peer_shift (momentum again)
CANDIDATES = METHODS[1:4]
LABELS = {
    "naive": "年内累计不变",
    "momentum": "最近一期增速延续",
    "base_effect": "上年基数效应",
    "drift_shrunk": "历年变动（收缩）",
    "peer_shift": "同级单位最近一期变动",
    "combined": "多方法加权",
}
RULES = {
    "naive": "全年增速预计 = 本期累计增速（“全年与年内累计持平”，作为比较基准）。",
    "momentum": "由最近两期累计增速推算最近一期当月增速（有累计值时精确，只有增速时按上年各月结构近似），"
                "并假定其余月份保持这一增速：全年 = 本期累计 + (1−S)·(当月 − 本期累计)，S为上年1至本月占全年的比重。",
    "base_effect": "上年其余月份增速为r′，按两年平均：(1+本年其余月份增速)(1+r′) = (1+本期累计)(1+上年同期累计)，"
                   "上年年末偏弱则本年其余月份偏强。",
    "drift_shrunk": "全年 = 本期累计 + λ·历年（全年 − 同期累计）均值，λ = μ²/(μ²+σ²/n) 按历年波动向零收缩。",
    "peer_shift": "全年 = 本期累计 + 同级单位按“最近一期增速延续”推算的全年较本期累计变动的中位数"
                  "（至少3个同级单位有该数；本单位缺少上一期数据时仍可用）。",
    "combined": "最近一期增速延续、上年基数效应、历年变动（收缩）三法按往年回测均方误差的倒数加权平均。",
}
RANGE_RULE = ("80%区间 = 预计 ± k·s：s由两部分平方和开方：本单位往年误差的均方根（与同级单位合并值加权；本单位检验年份不足时取同级合并值），"
              "和本年本单位各方法预计值的极差（各方法分歧大的年份，如冲击年份及其后一年，区间随之放宽）；"
              "k为本指标往年标准化误差（按含该年在内的误差均方根标准化，冲击年份不致在以后各年重复放大区间）的80%分位数（本指标不足30个时取同类指标、再取全部指标的合并值，仍不足30个时取其分位数与t分布分位数中较大者）；"
              "均只用预测年份之前的数据（滚动回测）。")
MIN_CHOICE = 6  # checked forecasts a method needs before it can be chosen over the naive rule
MIN_POOL = 30
MIN_PEERS = 3  # units with a momentum shift before their median is a peer_shift
PRIOR_WEIGHT = 2.0  # pooled width counts as this many years of a unit's own history
SCALE_FLOOR = 0.1  # percentage points
# Student t quantile 0.90 (two-sided 80%) by degrees of freedom 1..30
_T90 = np.array([np.inf, 3.078, 1.886, 1.638, 1.533, 1.476, 1.440, 1.415, 1.397, 1.383, 1.372, 1.363,
                 1.356, 1.350, 1.345, 1.341, 1.337, 1.333, 1.330, 1.328, 1.325, 1.323, 1.321, 1.319,
                 1.318, 1.316, 1.315, 1.314, 1.313, 1.311, 1.310])


def _take(cube: np.ndarray, month: np.ndarray) -> np.ndarray:
    """cube[r, i, y, month-1] with ``month`` of shape [I] or [R, I, Y] (0 → NaN)."""
    month = np.asarray(month)
    if month.ndim == 1:
        month = np.broadcast_to(month[None, :, None], cube.shape[:3])
    out = np.take_along_axis(cube, np.maximum(month - 1, 0)[..., None], axis=3)[..., 0]
    return np.where(month > 0, out, np.nan)


def _last_year(a: np.ndarray) -> np.ndarray:
    out = np.full_like(a, np.nan)
    out[:, :, 1:] = a[:, :, :-1]
    return out


def _first_finite(*arrays: np.ndarray) -> np.ndarray:
    out = arrays[0].copy()
    for a in arrays[1:]:
        out = np.where(np.isfinite(out), out, a)
    return out


def _share(value: np.ndarray, upto: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """value[upto] / value[whole] per cell, NaN where not both reported and positive."""
    with np.errstate(divide="ignore", invalid="ignore"):
        s = _take(value, upto) / _take(value, whole)
    return np.where((s > 0) & (s <= 1.0001), s, np.nan)


def implied_growth(g_from: np.ndarray, g_to: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Growth of the stretch between two cumulative figures: (1+Gₜ) = s(1+G_f) + (1−s)(1+g)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        g = ((100 + g_to) - (100 + g_from) * share) / (1 - share) - 100
    return np.where((share > 0) & (share < 0.999), g, np.nan)


def latest_earlier_month(growth: np.ndarray, m: np.ndarray, quarterly: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Per unit [R, I, Y]: the latest month p < m of the same year with a growth figure, stepping back
    by the indicator's step (3 months for a quarterly one) over gaps, not before its first month;
    0 where there is none."""
    n_r, n_i, n_y, _ = growth.shape
    # the month number where there is a figure, else 0; then the latest one up to each month, within
    # each month's step class (every month for a monthly indicator, m mod 3 for a quarterly one)
    have = np.where(np.isfinite(growth), np.arange(1, 13, dtype=np.int8), np.int8(0))
    latest = np.maximum.accumulate(have, axis=3)
    by_class = np.maximum.accumulate(have.reshape(n_r, n_i, n_y, 4, 3), axis=3).reshape(have.shape)
    latest[:, quarterly] = by_class[:, quarterly]
    step = np.where(quarterly, 3, 1)[None, :, None]
    before = m - step  # the month just before m on the indicator's step
    p = np.take_along_axis(latest, np.clip(before - 1, 0, 11)[..., None], axis=3)[..., 0].astype(np.int64)
    lowest = np.maximum(first, np.where(quarterly, 3, 1))[None, :, None]
    return np.where((before >= 1) & (p >= lowest), p, 0)


def method_points(value: np.ndarray, growth: np.ndarray, months: np.ndarray, quarterly: np.ndarray,
                  first: np.ndarray, window: int, cumulative: np.ndarray | None = None,
                  peer_groups: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Point forecasts [R, I, Y] of every method but ``combined`` (which needs the backtest).

    ``cumulative`` [I] is False for balances (stock): their growth is not a sum over months, so
    momentum and base effects do not apply and only the naive rule and the drift remain.
    ``peer_groups`` [R] groups the units whose momentum shifts make each other's peer_shift (None:
    every unit given)."""
    n_r, n_i, n_y, _ = growth.shape
    shape = (n_r, n_i, n_y)
    m = np.broadcast_to(months[None, :, None], shape)
    g_m = _take(growth, m)
    p = latest_earlier_month(growth, m, quarterly, first)
    g_p = _take(growth, p)
    v_m, v_p = _take(value, m), _take(value, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        exact = (v_p / (1 + g_p / 100)) / (v_m / (1 + g_m / 100))  # last year's base, p within m
    exact = np.where((exact > 0) & (exact < 1), exact, np.nan)
    twelve = np.full(shape, 12)
    share_year = _share(value, m, twelve)  # months 1..m within the full year, per year
    S = _first_finite(_last_year(share_year), _last_year(_last_year(share_year)), m / 12.0)
    s_pm = _first_finite(exact, _last_year(_share(value, p, m)), np.where(p > 0, p / np.maximum(m, 1), np.nan))
    g_recent = implied_growth(g_p, g_m, s_pm)
    momentum = g_m + (1 - S) * (g_recent - g_m)

    g_12 = growth[..., 11]
    S_last = _last_year(S)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_last = _last_year(g_m) + (_last_year(g_12) - _last_year(g_m)) / (1 - S_last)  # last year's remaining months
        r_now = (100 + g_m) * (100 + _last_year(g_m)) / (100 + r_last) - 100
    base = g_m + (1 - S) * (r_now - g_m)
    base = np.where(np.isfinite(base) & (S_last < 0.999) & (r_last > -100), base, np.nan)

    drift = g_12 - g_m
    shrunk = np.full(shape, np.nan)
    for y in range(n_y):
        hist = drift[:, :, max(0, y - window):y]
        n = np.isfinite(hist).sum(axis=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = np.nansum(hist, axis=2) / n
            var = np.nansum((hist - mu[..., None]) ** 2, axis=2) / (n - 1)
            lam = np.where(n >= 2, mu**2 / (mu**2 + var / n), 0.0)
        lam = np.where(np.isfinite(lam), lam, 0.0)
        shrunk[:, :, y] = np.where(n >= 2, g_m[:, :, y] + lam * np.where(np.isfinite(mu), mu, 0), np.nan)
    if cumulative is not None:
        flows = np.asarray(cumulative, dtype=bool)[None, :, None]
        momentum, base = np.where(flows, momentum, np.nan), np.where(flows, base, np.nan)
    peer_shift = g_m + peer_median(momentum - g_m, peer_groups)
    return {"naive": g_m, "momentum": momentum, "base_effect": base, "drift_shrunk": shrunk,
            "peer_shift": peer_shift, "_recent": g_recent, "_share": S}


def peer_median(shift: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
    """Per unit [R, I, Y]: the median of ``shift`` over the units of its group (itself included),
    NaN where fewer than ``MIN_PEERS`` of them have one. ``groups`` [R] (None: one group)."""
    n_r = shift.shape[0]
    inverse = np.zeros(n_r, dtype=np.int64) if groups is None else np.unique(np.asarray(groups), return_inverse=True)[1]
    by_group = pd.DataFrame(shift.reshape(n_r, -1)).groupby(inverse)
    median = np.where(by_group.count().to_numpy() >= MIN_PEERS, by_group.median().to_numpy(), np.nan)
    return median[inverse].reshape(shift.shape)


def method_spread(points: dict[str, np.ndarray]) -> np.ndarray:
    """Per unit [R, I, Y]: the largest minus the smallest of the forecasts by the unit's own methods
    (0 where only one has a number). Known when the forecast is made: where the methods disagree
    (the year of a shock, the year after it), the year is not like the calm years the past errors
    come from, and the range widens with the disagreement."""
    stack = np.stack([points[name] for name in OWN_METHODS])
    have = np.isfinite(stack)
    high = np.where(have, stack, -np.inf).max(axis=0)
    low = np.where(have, stack, np.inf).min(axis=0)
    return np.where(have.any(axis=0), high - low, 0.0)


def _before(per_year: np.ndarray) -> np.ndarray:
    """Exclusive cumulative sum over the last axis: entry y sums entries < y."""
    c = np.cumsum(per_year, axis=-1)
    out = np.zeros_like(c)
    out[..., 1:] = c[..., :-1]
    return out


def _pool(per_indicator: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
    """Sums [I, Y] pooled over the indicators of the same group (kind), given back per indicator."""
    if groups is None:
        return per_indicator
    codes, inverse = np.unique(groups, return_inverse=True)
    pooled = np.zeros((len(codes), per_indicator.shape[1]), dtype=per_indicator.dtype)
    np.add.at(pooled, inverse, per_indicator)
    return pooled[inverse]


def select(points: dict[str, np.ndarray], actual: np.ndarray, *, min_history: int = 3,
           coverage: float = 0.8, min_choice: int = MIN_CHOICE, groups: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Rolling-origin choice, combination and ranges.

    Returns arrays [R, I, Y] ``point, low, high, scale, n_own, covered, error`` (the chosen
    procedure's error where the actual exists), [I, Y] ``chosen`` (index into METHODS), ``tracked``
    (the choice was made from a record of ``min_choice`` checks; False: the naive rule for lack of
    one) and ``pooled_choice`` (made from the record of every indicator, the kind's being short),
    [I] ``next_chosen``, ``next_tracked`` and ``next_pooled`` (the same for the year after the last),
    per-method [R, I, Y] errors ``err_<method>``, and [I, Y] ``k``. Year y uses only years < y.
    ``groups`` [I] pools the choice and the combination's weights over indicators of the same kind
    (None: each indicator on its own record).
    """
    n_r, n_i, n_y = actual.shape
    missing = np.full(actual.shape, np.nan)  # a method not given has no number anywhere
    points = {name: points.get(name, missing) for name in POINT_METHODS}
    err = {name: points[name] - actual for name in POINT_METHODS}
    # the kind's own record first; where it is short, the record of every indicator of the units
    # given (same level, same month), then the naive rule. One year more than given, without
    # figures: its choice is the one the whole record makes for the next year.
    def more(a):
        return np.concatenate([a, np.full((n_r, n_i, 1), np.nan)], axis=2)

    padded = {name: more(points[name]) for name in POINT_METHODS}
    padded_err = {name: more(e) for name, e in err.items()}
    own = _choose(padded, padded_err, more(actual), groups, min_choice)
    every = _choose(padded, padded_err, more(actual), np.zeros(n_i, dtype=np.int64), min_choice)
    pooled_choice = ~own["tracked"] & every["tracked"]
    order = np.where(pooled_choice[None], every["order"], own["order"])  # [M, I, Y+1], best first
    chosen = order[0]
    tracked = own["tracked"] | every["tracked"]
    combined = np.where(pooled_choice[None], every["combined"], own["combined"])[:, :, :n_y]
    next_choice = {"next_chosen": chosen[:, n_y], "next_tracked": tracked[:, n_y], "next_pooled": pooled_choice[:, n_y]}
    order, chosen, tracked, pooled_choice = order[:, :, :n_y], chosen[:, :n_y], tracked[:, :n_y], pooled_choice[:, :n_y]
    points = dict(points, combined=combined)
    err["combined"] = combined - actual
    # the chosen method where the unit has its number; else the next of the record's order that has
    # one, down to the naive rule (a method that did worse than it in the record comes after it)
    stack = np.stack([points[name] for name in METHODS])  # [M, R, I, Y]
    used = np.full((n_r, n_i, n_y), -1, dtype=np.int64)
    for method in order[::-1]:  # worst first, so the best with a number is written last
        method = np.broadcast_to(method[None], used.shape)
        used = np.where(np.isfinite(np.take_along_axis(stack, method[None], axis=0)[0]), method, used)
    point = np.where(used >= 0, np.take_along_axis(stack, np.maximum(used, 0)[None], axis=0)[0], np.nan)
    fallback = (used >= 0) & (used != chosen[None])
    error = point - actual

    # ranges: unit's own RMS error of the chosen procedure, blended with the pooled one, from the
    # years before, combined with this year's spread of the unit's methods; the range factor from
    # past errors standardised by the scale that includes their own year (see range_scale)
    ok = np.isfinite(error)
    scale, n_own = range_scale(error, min_history, _before)
    inclusive = range_scale(error, min_history, lambda a: np.cumsum(a, axis=-1))[0]
    spread = method_spread(points)
    scale, inclusive = np.sqrt(scale**2 + spread**2), np.sqrt(inclusive**2 + spread**2)
    z = np.where(np.isfinite(scale), np.abs(error) / inclusive, np.nan)  # a first error has no scale to be judged by
    k = range_factors(z, coverage, groups)
    half = k[None] * scale
    covered = np.where(ok & np.isfinite(half), (np.abs(error) <= half).astype(float), np.nan)
    out = {"point": point, "low": point - half, "high": point + half, "scale": scale, "n_own": n_own,
           "covered": covered, "error": error, "chosen": chosen, "tracked": tracked,
           "pooled_choice": pooled_choice, **next_choice, "k": k, "used": used, "fallback": fallback,
           "pooled_width": n_own < min_history}
    for name in METHODS:
        out[f"err_{name}"] = err[name]
        out[f"point_{name}"] = points[name]
    return out


def _choose(points: dict[str, np.ndarray], err: dict[str, np.ndarray], actual: np.ndarray, groups: np.ndarray | None,
            min_choice: int) -> dict[str, np.ndarray]:
    """The combination [R, I, Y] and the methods' order [M, I, Y] (best first) from the record of
    the years before, pooled over the indicators of the same group. ``tracked`` [I, Y]: some method
    other than the naive rule had ``min_choice`` checks, so the choice (the naive rule included)
    was made from a record."""
    n_r, n_i, n_y = actual.shape
    # the combination: inverse-MSE weights from the years before
    num = np.zeros((n_r, n_i, n_y))
    den = np.zeros((n_r, n_i, n_y))
    for name in CANDIDATES:
        e = err[name]
        ok = np.isfinite(e)
        sq = _pool(_before(np.where(ok, e**2, 0).sum(axis=0)), groups)
        cnt = _pool(_before(ok.sum(axis=0)), groups)  # [I, Y]
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(cnt >= min_choice, cnt / np.maximum(sq, 1e-6), 0.0)  # 1 / MSE
        w = np.broadcast_to(w[None], (n_r, n_i, n_y))
        have = np.isfinite(points[name])
        num += np.where(have, w * np.nan_to_num(points[name]), 0)
        den += np.where(have, w, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        combined = np.where(den > 0, num / den, np.nan)
    err = dict(err, combined=combined - actual)

    # the choice per indicator and year: the lowest error relative to the naive rule on the same
    # forecasts (years differ in difficulty), among methods with enough checks before y
    skill = np.full((len(METHODS), n_i, n_y), np.inf)
    skill[0] = 1.0
    for j, name in enumerate(METHODS[1:], start=1):
        ok = np.isfinite(err[name]) & np.isfinite(err["naive"])
        own = _pool(_before(np.where(ok, np.abs(err[name]), 0).sum(axis=0)), groups)
        base = _pool(_before(np.where(ok, np.abs(err["naive"]), 0).sum(axis=0)), groups)
        c = _pool(_before(ok.sum(axis=0)), groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            skill[j] = np.where(c >= min_choice, own / np.maximum(base, 1e-9), np.inf)
    # ties (to a millionth) go to the simpler method; no history → naive first (index 0)
    return {"combined": combined, "order": np.argsort(np.round(skill, 6), axis=0, kind="stable"),
            "tracked": np.isfinite(skill[1:]).any(axis=0)}


def range_scale(error: np.ndarray, min_history: int, upto) -> tuple[np.ndarray, np.ndarray]:
    """The scale s [R, I, Y] of the errors [R, I, Y] and the unit's count behind it: the unit's
    root-mean-square error blended with its peers' pooled one (a unit with fewer than
    ``min_history`` errors gets the pooled one), floored at SCALE_FLOOR; over the years ``upto``
    sums: :func:`_before` (the years before y: the forecast's scale) or an inclusive cumulative sum.

    The inclusive scale standardises a past error for the range factor. Standardised by the scale
    of the years before it, the error of a shock year (2020: year-ends 1-5 points off after years
    of 0.1-point errors) is tens of scales wide and stays in every later year's pool, while the
    later years' scale has grown to hold the shock too: counted twice, it widened the 80% ranges of
    the real panel's 2023 year-ends at 1-9月 to a median of 12 points. Standardised by a scale that
    includes its own year, an error is at most a few scales wide, and the shock widens later ranges
    once, through their scale."""
    ok = np.isfinite(error)
    sq_own, n_own = upto(np.where(ok, error**2, 0)), upto(ok.astype(np.int64))
    pool_sq, pool_n = upto(np.where(ok, error**2, 0).sum(axis=0)), upto(ok.sum(axis=0))  # [I, Y]
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = np.sqrt(pool_sq / pool_n)[None]
        blended = np.sqrt((sq_own + PRIOR_WEIGHT * pooled**2) / (n_own + PRIOR_WEIGHT))
    scale = np.where(n_own >= min_history, blended, np.broadcast_to(pooled, blended.shape))
    return np.where(np.isfinite(scale), np.maximum(scale, SCALE_FLOOR), np.nan), n_own


def range_factors(z: np.ndarray, coverage: float, groups: np.ndarray | None = None) -> np.ndarray:
    """The range factor k [I, Y]: the ``coverage`` quantile of the standardised errors |error| / s
    [R, I, Y] of the years before Y.

    Calibrated per indicator: the errors of one indicator (investment, say) standardised by its own
    RMS error are not spread like another's (their tails differ, and a short RMS history understates
    a volatile series more), so one factor pooled over all indicators leaves the volatile ones with
    ranges that hold far fewer than 80% of outcomes. An indicator with fewer than ``MIN_POOL`` errors
    before Y borrows the pool of its kind (``groups``), then of all indicators (a floor for short
    histories); below ``MIN_POOL`` even there, the widest pool's quantile, but no less than the
    Student t quantile of its size. The t quantile is a floor, not a replacement: a short pool that
    already holds errors far beyond its scale (a year of shock) says the tails are wider than
    normal, and a range that ignored it would cover fewer outcomes than it claims.
    """
    _, n_i, n_y = z.shape
    groups = np.zeros(n_i, dtype=np.int64) if groups is None else np.unique(groups, return_inverse=True)[1]
    k = np.full((n_i, n_y), np.nan)
    for y in range(1, n_y):
        past = z[:, :, :y]
        own = [past[:, i][np.isfinite(past[:, i])] for i in range(n_i)]
        kinds = {g: np.concatenate([own[i] for i in np.flatnonzero(groups == g)]) for g in np.unique(groups)}
        every = np.concatenate(own)
        for i in range(n_i):
            for pool in (own[i], kinds[groups[i]], every):
                if pool.size >= MIN_POOL:
                    k[i, y] = np.quantile(pool, coverage)
                    break
            else:  # every pool short: its quantile, but no less than the t quantile of its size
                if pool.size >= 2:
                    floor = _T90[min(pool.size - 1, 30)] if coverage == 0.8 else 1.2816 * 1.25
                    k[i, y] = max(floor, np.quantile(pool, coverage))
    return k


def track_before(s: dict, y: int) -> dict[str, np.ndarray]:
    """Per indicator [I]: the chosen procedure's MAE, the naive rule's MAE on the same forecasts,
    the 80% range coverage and the number of checks, over every unit and the years before y."""
    e = s["error"][:, :, :y]
    naive = s["err_naive"][:, :, :y]
    ok = np.isfinite(e) & np.isfinite(naive)
    n = ok.sum(axis=(0, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        mae = np.where(ok, np.abs(e), 0).sum(axis=(0, 2)) / n
        mae_naive = np.where(ok, np.abs(naive), 0).sum(axis=(0, 2)) / n
        cov_ok = np.isfinite(s["covered"][:, :, :y])
        cov = np.where(cov_ok, s["covered"][:, :, :y], 0).sum(axis=(0, 2)) / cov_ok.sum(axis=(0, 2))
    return {"mae": np.where(n > 0, mae, np.nan), "mae_naive": np.where(n > 0, mae_naive, np.nan),
            "coverage": cov, "n": n}
