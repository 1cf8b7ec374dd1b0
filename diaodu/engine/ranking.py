"""Ranking within peer groups (排名、位次、较上半年前移/后退、倒数第N位).

Three measures per indicator:

- ``growth``: the reported cumulative growth (累计增速), in percent;
- ``total``: the reported cumulative value (累计总量);
- ``increment``: value − last year's value of the same period (增量), only where both are reported.

Rank within a peer group and period, best first; a better value is a higher one, or a lower one
for indicators with polarity −1. Ties share the best place (min method: 1, 2, 2, 4). Units without
the measure are not ranked and are listed with the reason. 倒数第N位 is 1 + the number of units
strictly worse. Rank change = earlier rank − current rank, so a positive number is 前移 (moved up).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._base import (
    PeriodLike,
    code_dtype,
    constant_column,
    flag_texts,
    indicator_table,
    labels_categorical,
    lookup_indicators,
    names_for,
    obs_key,
    to_period,
)
from .coverage import apply_to_ranks
from .panel import Panel, as_panel, subset
from .peers import PeerGroups, buckets, gather, peer_table
from .periods import QUARTERLY, Period

MEASURES = ("growth", "total", "increment")
COMPARE_LABELS = {"h1": "上半年", "last_period": "上期", "last_year": "上年同期"}

RANK_RULE = (
    "名次：同一对比组、同一期内按指标由好到差排序（极性为1时越高越好，为-1时越低越好），"
    "并列取最小名次（1,2,2,4），缺数不参与排名；增速排名按累计增速，总量排名按累计值，"
    "增量 = 本期累计值 − 上年同期累计值；倒数第N位 = 1 + 严格落后的单位数；"
    "名次变化 = 比较期名次 − 本期名次（正数为前移，负数为后退）；"
    "与前一位差距 = 前一位的值 − 本单位的值，与后一位差距 = 本单位的值 − 后一位的值。"
)
NOTE_TEXTS = [
    "未报告累计增速，不参与增速排名",
    "未报告累计值，不参与总量排名",
    "缺上年同期累计值，增量不可算，不参与增量排名",
]


def rank_along(scores: np.ndarray, gaps: bool = False) -> dict[str, np.ndarray]:
    """Min-method ranks along axis 1 of ``scores`` [groups, members, ...]; higher is better, NaN unranked.

    Returns ``rank`` (1 + number strictly better), ``bottom`` (倒数第N位: 1 + number strictly
    worse), ``ranked`` (units with a score, per group) and, with ``gaps``, ``above``/``below``
    (the nearest better/worse score, ±inf if none) and ``above_slot``/``below_slot`` (the member
    holding it). Cost is k² comparisons per group of k members: peer groups are small.
    """
    k = scores.shape[1]
    count_type = np.int16 if k < 32000 else np.int32
    better = np.zeros(scores.shape, count_type)
    worse = np.zeros(scores.shape, count_type)
    out: dict[str, np.ndarray] = {}
    if gaps:
        above = np.full(scores.shape, np.inf)
        below = np.full(scores.shape, -np.inf)
        above_slot = np.full(scores.shape, -1, count_type)
        below_slot = np.full(scores.shape, -1, count_type)
    for j in range(k):
        xj = scores[:, j : j + 1]
        gt = xj > scores
        lt = xj < scores
        better += gt
        worse += lt
        if gaps:
            candidate = np.where(gt, xj, np.inf)
            closer = candidate < above
            above_slot[closer] = j
            np.minimum(above, candidate, out=above)
            candidate = np.where(lt, xj, -np.inf)
            closer = candidate > below
            below_slot[closer] = j
            np.maximum(below, candidate, out=below)
    valid = ~np.isnan(scores)
    out["valid"] = valid
    out["rank"] = better + 1
    out["bottom"] = worse + 1
    out["ranked"] = np.broadcast_to(valid.sum(axis=1, keepdims=True, dtype=count_type), scores.shape)
    if gaps:
        out.update(above=above, below=below, above_slot=above_slot, below_slot=below_slot)
    return out


def compare_index(panel: Panel, indicators: pd.DataFrame, compare: str | PeriodLike | None) -> np.ndarray:
    """For each indicator and time index, the time index of the comparison period (−1 if none).

    ``h1`` (上半年): month 6 of the same year, for months after June; ``last_year`` (上年同期):
    same month a year before; ``last_period`` (上期): the previous publishing period (for 1-2月
    and 一季度, last year's 全年); a period (``"2021-06"``): that period for every row.
    """
    n_i, n_t = len(panel.indicators), panel.n_t
    t = np.broadcast_to(np.arange(n_t), (n_i, n_t))
    month = t % 12 + 1
    if compare is None:
        out = np.full((n_i, n_t), -1)
    elif compare == "h1":
        out = np.where(month > 6, t - month + 6, -1)
    elif compare == "last_year":
        out = t - 12
    elif compare == "last_period":
        table = lookup_indicators(indicators, panel.indicators)
        quarterly = (table["frequency"] == QUARTERLY).to_numpy()[:, None]
        first = table["first_month"].to_numpy()[:, None]
        out = np.where(quarterly, t - 3, np.where(month > first, t - 1, t - month))
    else:
        p = to_period(compare)
        out = np.full((n_i, n_t), panel.t_of(p))
    return np.where((out >= 0) & (out < n_t), out, -1)


def rank(
    observations: pd.DataFrame | Panel,
    regions: pd.DataFrame | None,
    indicators: pd.DataFrame,
    period: PeriodLike | None = None,
    *,
    peer_groups: PeerGroups = None,
    level: str | None = None,
    parent: str | None = None,
    group: str | None = None,
    indicator_codes: Sequence[str] | None = None,
    compare: str | PeriodLike | None = "h1",
    measures: Sequence[str] = MEASURES,
    gaps: bool = True,
    trace: bool = True,
    min_coverage: float = 0.0,
) -> pd.DataFrame:
    """Rank every unit within its peer groups by growth, total and increment.

    Args:
        observations: tidy observations (or a :class:`Panel` built from them).
        regions: regions table (names; sibling groups when ``peer_groups`` is None).
        indicators: indicators table (polarity, frequency, kind).
        period: ``"2021-10"``; None ranks every period in the data (bulk recompute).
        peer_groups: mapping name → region codes, a ``group, region`` table, or None for siblings
            (same parent and level) filtered by ``level``/``parent``.
        group: rank within that one group of ``peer_groups`` only (e.g. ``"qinba"`` for 秦巴山区县):
            its members among themselves, the coverage (``peer_count``) counted over its members.
            A ``"<parent>-children"`` group holding a region's children ranks exactly like the
            siblings (``level``/``parent``). Unknown: :class:`diaodu.engine.peers.UnknownGroup`.
        compare: ``"h1"`` (上半年), ``"last_period"`` (上期), ``"last_year"`` (上年同期), a
            period, or None.
        measures: any of ``growth``, ``total``, ``increment``.
        gaps: add the gap to the unit just above and just below (and who they are).
        trace: add ``sources``, the observation keys each row was computed from.
        min_coverage: for one period, the share (0-1) of a group that must report a measure for its
            ranks to be stated (:func:`diaodu.engine.coverage.apply_to_ranks`): below it the
            positions are blank; ``sufficient_<m>`` and ``coverage_<m>`` (已报 n/N) say why.

    Returns one row per (period, group, indicator, member) where any member of the group has the
    indicator in that period — members without data are listed with a ``note``. Columns:
    ``period, year, month, group, group_name, indicator, indicator_name, region_code, region_name,
    value, growth, increment, rank_growth, rank_total, rank_increment`` (nullable integers),
    ``bottom_<m>`` (倒数第N位), ``peer_count`` (group size), ``ranked_<m>`` (units ranked),
    ``compare_period, rank_growth_before, rank_change, rank_total_before, rank_total_change, …``,
    with ``gaps``: ``<m>_gap_above, <m>_gap_below, <m>_above_region, <m>_below_region``;
    then ``note, rule`` and with ``trace`` ``sources``.
    """
    measures = [m for m in MEASURES if m in measures]
    table = indicator_table(indicators) if indicators.index.name != "code" else indicators
    panel = subset(as_panel(observations), list(indicator_codes) if indicator_codes else None)
    peers = peer_table(peer_groups, regions, level=level, parent=parent, group=group)
    ind = lookup_indicators(table, panel.indicators)
    polarity = ind["polarity"].to_numpy(dtype=np.float64)
    cmp_t = compare_index(panel, table, compare)

    if period is None:
        ts = np.arange(panel.n_t)
        out_pos = np.arange(panel.n_t)  # positions within ts that produce rows
    else:
        t0 = panel.t_of(to_period(period))
        if not 0 <= t0 < panel.n_t:
            return _empty(measures, gaps, trace)
        extra = cmp_t[:, t0][cmp_t[:, t0] >= 0]
        ts = np.unique(np.concatenate([[t0], extra]))
        out_pos = np.flatnonzero(ts == t0)
    pos_of_t = np.full(panel.n_t, -1)
    pos_of_t[ts] = np.arange(len(ts))
    cmp_pos = np.where(cmp_t[:, ts] >= 0, pos_of_t[np.maximum(cmp_t[:, ts], 0)], -1)  # [I, len(ts)]

    if period is None:  # every period: the panel's own arrays, no copies
        value, growth = panel.value, panel.growth
    else:
        value, growth = panel.value[:, :, ts], panel.growth[:, :, ts]
    base = None
    if "increment" in measures:  # last year's value of the same period
        base_t = ts - 12
        base = np.full_like(value, np.nan)
        ok = base_t >= 0
        base[:, :, ok] = panel.value[:, :, base_t[ok]]

    bucket_list, group_labels, group_names, member_labels = buckets(peers, panel)
    # rows are written straight into columns sized once: no per-bucket pieces to concatenate
    present = ~(np.isnan(value) & np.isnan(growth))
    listed = [_listed(b, present, out_pos) for b in bucket_list]
    del present
    n_rows = sum(int(m.sum()) for m in listed)
    if n_rows == 0:
        return _empty(measures, gaps, trace)
    largest = max(b.index.shape[1] for b in bucket_list)
    cols = _Columns(n_rows, {"group_id": code_dtype(len(group_labels)), "member": code_dtype(len(member_labels)),
                             "indicator_pos": code_dtype(len(panel.indicators)), "t_pos": code_dtype(len(ts)),
                             "places": np.int16 if largest < 32000 else np.int32})
    lo = 0
    for b, mask in zip(bucket_list, listed, strict=True):
        lo = _rank_bucket(b, mask, value, growth, base, polarity, cmp_pos, out_pos, measures, gaps, cols, lo)
    labels = (group_labels, group_names, member_labels)
    out = _assemble(cols, labels, panel, ind, regions, ts, cmp_t, compare, measures, gaps, trace, period is None)
    if period is not None:  # one period: say every rank's coverage (a bulk recompute keeps ranked_<m>)
        out = apply_to_ranks(out, measures, min_coverage)
    return out


class _Columns(dict):
    """Output columns allocated once for all rows; nullable integers keep a ``<name>:missing`` mask."""

    def __init__(self, n: int, dtypes: dict[str, type]) -> None:
        super().__init__()
        self.n = n
        self.dtypes = dtypes  # categorical codes in the type pandas keeps them in; ``places``: ranks, counts

    def put(self, name: str, lo: int, values: np.ndarray, dtype) -> None:
        if name not in self:
            self[name] = np.empty(self.n, self.dtypes.get(name, dtype))
        self[name][lo : lo + len(values)] = values

    def put_nullable(self, name: str, lo: int, values: np.ndarray, valid: np.ndarray) -> None:
        self.put(name, lo, values, self.dtypes["places"])
        self.put(f"{name}:missing", lo, ~valid, bool)

    def nullable(self, name: str) -> pd.arrays.IntegerArray:
        return pd.arrays.IntegerArray(self.pop(name), self.pop(f"{name}:missing"))


def _listed(bucket, present: np.ndarray, out_pos: np.ndarray) -> np.ndarray:
    """Rows of one bucket [g, k, I, T_out]: every member of a group where any member reports."""
    safe = np.where(bucket.index >= 0, bucket.index, 0)
    here = present[safe][..., out_pos] if len(out_pos) != present.shape[2] else present[safe]
    here[bucket.index < 0] = False
    return np.broadcast_to(here.any(axis=1, keepdims=True), here.shape)


def _rank_bucket(bucket, listed, value, growth, base, polarity, cmp_pos, out_pos, measures, gaps, cols, lo) -> int:
    """Ranks for all groups of one size (arrays shaped [g, k, I, T]) written to ``cols`` from row ``lo``.

    Returns the row after the last one written.
    """
    v = gather(value, bucket.index)
    gr = gather(growth, bucket.index)
    raw = {"growth": gr, "total": v}
    if "increment" in measures:
        raw["increment"] = v - gather(base, bucket.index)
    pol = polarity[None, None, :, None]
    g_n, k = bucket.index.shape
    n_i = v.shape[2]
    shape = listed.shape
    whole = len(out_pos) == v.shape[3]

    def at_out(a: np.ndarray) -> np.ndarray:
        return a if whole else a[..., out_pos]

    def pick(a: np.ndarray) -> np.ndarray:
        return np.broadcast_to(at_out(a) if a.shape[-1] != 1 else a, shape)[listed]

    n = int(listed.sum())
    cols.put("group_id", lo, pick(bucket.group_ids.astype(np.int32)[:, None, None, None]), np.int32)
    cols.put("member", lo, pick(bucket.member_ids.astype(np.int32)[:, :, None, None]), np.int32)
    cols.put("indicator_pos", lo, pick(np.arange(n_i, dtype=np.int16)[None, None, :, None]), np.int16)
    cols.put("t_pos", lo, np.broadcast_to(out_pos.astype(np.int32)[None, None, None, :], shape)[listed], np.int32)
    cols.put("value", lo, pick(v), np.float64)
    cols.put("growth", lo, pick(gr), np.float64)
    if "increment" in raw:
        cols.put("increment", lo, pick(raw["increment"]), np.float64)
    cols.put("peer_count", lo, np.full(n, k), cols.dtypes["places"])
    # the comparison period's position for every cell [I, T_out]
    cmp_at = cmp_pos[:, out_pos]
    has_cmp = cmp_at >= 0
    cmp_safe = np.where(has_cmp, cmp_at, 0)
    i_grid = np.arange(n_i)[:, None]
    for m in measures:
        score = raw[m] * pol
        r = rank_along(score, gaps=gaps)
        valid = at_out(r["valid"])
        rank_now = at_out(r["rank"])
        valid_rows = valid[listed]
        cols.put_nullable(f"rank_{m}", lo, rank_now[listed], valid_rows)
        cols.put_nullable(f"bottom_{m}", lo, at_out(r["bottom"])[listed], valid_rows)
        cols.put(f"ranked_{m}", lo, at_out(r["ranked"])[listed], cols.dtypes["places"])
        before = r["rank"][:, :, i_grid, cmp_safe]
        before_valid = r["valid"][:, :, i_grid, cmp_safe] & has_cmp
        cols.put_nullable(f"rank_{m}_before", lo, before[listed], before_valid[listed])
        change = before.astype(np.int32) - rank_now
        cols.put_nullable(f"rank_{m}_change", lo, change[listed], (before_valid & valid)[listed])
        del before, before_valid, change
        if gaps:
            sign = pick(polarity[None, None, :, None])
            own = pick(score)
            above, below = pick(r["above"]), pick(r["below"])
            cols.put(f"{m}_gap_above", lo, np.where(np.isfinite(above), (above - own) * sign, np.nan), np.float64)
            cols.put(f"{m}_gap_below", lo, np.where(np.isfinite(below), (own - below) * sign, np.nan), np.float64)
            members = bucket.members
            for side in ("above", "below"):
                slot = pick(r[f"{side}_slot"]).astype(np.int64)
                g_of = pick(np.arange(g_n)[:, None, None, None])
                cols.put(f"{m}_{side}_region", lo, np.where(slot >= 0, members[g_of, np.maximum(slot, 0)], None),
                         object)
        del r, score
    value_rows = cols["value"][lo : lo + n]
    flags = np.isnan(cols["growth"][lo : lo + n]).astype(np.int8)
    flags |= np.isnan(value_rows).astype(np.int8) << 1
    if "increment" in raw:
        flags |= (np.isnan(cols["increment"][lo : lo + n]) & ~np.isnan(value_rows)).astype(np.int8) << 2
    cols.put("flags", lo, flags, np.int8)
    return lo + n


def _assemble(cols, labels, panel, ind, regions, ts, cmp_t, compare, measures, gaps, trace, bulk) -> pd.DataFrame:
    group_labels, group_names, member_labels = labels
    n = cols.n
    t_abs = ts.astype(np.int32)[cols.pop("t_pos")]
    period_labels = panel.period_labels()
    ii = cols["indicator_pos"]
    frame = {
        "period": labels_categorical(t_abs, period_labels),
        "year": (panel.first_year + t_abs // 12).astype(np.int16),
        "month": (t_abs % 12 + 1).astype(np.int8),
        "group": labels_categorical(cols["group_id"], np.asarray(group_labels, dtype=object)),
        "group_name": labels_categorical(cols["group_id"], group_names),
        "indicator": labels_categorical(ii, np.asarray(panel.indicators, dtype=object)),
        "indicator_name": labels_categorical(ii, ind["name"].to_numpy(dtype=object)),
        "region_code": labels_categorical(cols["member"], np.asarray(member_labels, dtype=object)),
        "region_name": labels_categorical(cols["member"], names_for(member_labels, regions)),
    }
    for key in ("value", "growth", "increment"):
        if key in cols:
            frame[key] = cols[key]
    for m in measures:
        frame[f"rank_{m}"] = cols.nullable(f"rank_{m}")
    for m in measures:
        frame[f"bottom_{m}"] = cols.nullable(f"bottom_{m}")
    frame["peer_count"] = cols["peer_count"]
    for m in measures:
        frame[f"ranked_{m}"] = cols[f"ranked_{m}"]
    cmp_abs = cmp_t.astype(np.int32)[ii, t_abs]
    cmp_abs[cmp_abs < 0] = len(period_labels)  # no comparison period: the empty label
    frame["compare_period"] = labels_categorical(cmp_abs, np.append(period_labels, ""))
    for m in measures:
        name = "rank_change" if m == "growth" else f"rank_{m}_change"
        frame[f"rank_{m}_before"] = cols.nullable(f"rank_{m}_before")
        frame[name] = cols.nullable(f"rank_{m}_change")
    if gaps:
        for m in measures:
            for key in ("gap_above", "gap_below", "above_region", "below_region"):
                frame[f"{m}_{key}"] = cols[f"{m}_{key}"]
    frame["note"] = flag_texts(cols["flags"], NOTE_TEXTS)
    rule = RANK_RULE
    if compare is not None:
        rule += f"比较期：{COMPARE_LABELS.get(str(compare), str(compare))}。"
    frame["rule"] = constant_column(rule, n)
    out = pd.DataFrame(frame, copy=False)  # fresh arrays: no need to copy them into one block
    if trace:
        out["sources"] = _sources(out, "increment" in measures)
    if not bulk:
        out = out.sort_values(["group", "indicator", "rank_growth", "region_code"], ignore_index=True,
                              na_position="last")
        for column in ("group", "group_name", "indicator", "indicator_name", "region_code", "region_name", "period"):
            out[column] = out[column].astype(object)
    return out


def _sources(frame: pd.DataFrame, with_base: bool) -> list[list[str]]:
    """Observation keys behind each rank row: the period, last year's (increment), the compare period."""
    rows = []
    for region, indicator, year, month, cmp in zip(
        frame["region_code"].astype(object), frame["indicator"].astype(object), frame["year"],
        frame["month"], frame["compare_period"].astype(object), strict=True,
    ):
        keys = [obs_key(region, indicator, int(year), int(month))]
        if with_base:
            keys.append(obs_key(region, indicator, int(year) - 1, int(month)))
        if cmp:
            p = Period.parse(cmp)
            keys.append(obs_key(region, indicator, p.year, p.month))
        rows.append(keys)
    return rows


def _empty(measures, gaps, trace) -> pd.DataFrame:
    columns = ["period", "year", "month", "group", "group_name", "indicator", "indicator_name",
               "region_code", "region_name", "value", "growth", "increment"]
    columns += [f"rank_{m}" for m in measures] + [f"bottom_{m}" for m in measures] + ["peer_count"]
    columns += [f"ranked_{m}" for m in measures] + ["compare_period"]
    for m in measures:
        columns += [f"rank_{m}_before", "rank_change" if m == "growth" else f"rank_{m}_change"]
    if gaps:
        columns += [f"{m}_{k}" for m in measures for k in ("gap_above", "gap_below", "above_region", "below_region")]
    columns += ["note", "rule"] + (["sources"] if trace else [])
    columns += [f"{k}_{m}" for m in measures for k in ("sufficient", "coverage")]
    return pd.DataFrame(columns=columns)


def rank_change_text(change: int | None) -> str:
    """较比较期：前移N位 / 后退N位 / 持平."""
    if change is None or pd.isna(change):
        return "无可比名次"
    if change > 0:
        return f"前移{int(change)}位"
    if change < 0:
        return f"后退{-int(change)}位"
    return "持平"
