"""Scoring schemes (双维度考核, 重点工作评价) as data: items → composite score, rank, rank change.

A scheme is a JSON document (``diaodu/evaluation/schemes/*.json``; the rule language is in
``docs/scoring.md``). Each item has a weight and a method; every method yields a share p of the
item's weight in percent (0–100), and item score = weight × p / 100:

- ``rank_points`` (名次得分): p from the unit's rank among its peers, by a table
  (``[100, 95, 90, …]``) or a formula ``max(floor, first − step × (rank − 1))``;
- ``completion_rank`` (目标完成 + 名次): ``completion_points`` when the target is met plus
  ``rank_points_max`` × rank points / 100 (e.g. 4 + up to 6);
- ``dual`` (双维度): p = speed weight × rank points by growth + volume weight × rank points by total
  (or increment);
- ``efficacy`` (功效系数法): p = floor + (100 − floor) × (x − x_worst) / (x_best − x_worst) among peers
  (or against given 满意值/不允许值), floor 60 by default;
- ``threshold`` (达标得分): p of the first step met, best first;
- ``completion`` (完成率得分): p = min(cap, completion / schedule or / 100%) × 100;
- ``advance`` (争先进位): ``points_per_place`` for each place moved up since the comparison
  period, at most the weight;
- ``manual`` (人工评分): points entered in the manual table.

Adjustments (加分/扣分) follow: a bonus adds and a penalty subtracts ``points`` when a condition on
an indicator holds, or ``per_unit`` × the count in the manual table, at most ``max``.
Composite = Σ item scores + bonuses − penalties; ranked within the peer group (1, 2, 2, 4);
rank change = earlier rank − current rank (positive: 前移).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._base import (
    PeriodLike,
    indicator_table,
    latest_published_month,
    names_for,
    to_period,
)
from .coverage import group_coverage
from .panel import Panel, as_panel
from .peers import PeerGroups, peer_table
from .periods import Period

SCHEMES_DIR = Path(__file__).resolve().parents[1] / "evaluation" / "schemes"
METHODS = ("rank_points", "completion_rank", "dual", "efficacy", "threshold", "completion", "advance", "manual")
MEASURES = ("growth", "total", "increment", "completion", "schedule_completion", "growth_gap")
DEFAULT_POINTS = {"first": 100, "step": 5, "floor": 0}
COMPARE = {"h1": "上半年", "last_period": "上期", "last_year": "上年同期"}

METHOD_RULES = {
    "rank_points": "名次得分：按{measure}在对比组内的名次取分（{points}），得分 = 权重 × 得分率",
    "completion_rank": "目标完成 + 名次：完成目标得{cp}分，另按{measure}名次得分率 × {rp}分",
    "dual": "双维度：速度（增速名次得分率）× {ws} + 体量（{volume}名次得分率）× {wv}，再乘权重",
    "efficacy": "功效系数法：得分率 = {floor} + {span} × (实际值 − 最差值)/(最好值 − 最差值)",
    "threshold": "达标得分：按{measure}达到的档次取得分率",
    "completion": "完成率得分：得分率 = min({cap}, 完成率/{against}) × 100%",
    "advance": "争先进位：较{compare}每前移一位得{ppp}分，最多{weight}分",
    "manual": "人工评分：按录入的分值（不超过权重）",
}
MEASURE_LABELS = {"growth": "累计增速", "total": "累计总量", "increment": "增量", "completion": "目标完成率",
                  "schedule_completion": "序时完成率", "growth_gap": "增速与目标差"}


@dataclass
class Evaluation:
    """The result of :func:`evaluate`.

    ``summary``: one row per unit — ``group, region_code, region_name, score, rank, rank_change,
    previous_rank, item_score, bonus, penalty, items`` (dict item code → score), ``rule``.
    ``items``: one row per unit × item (and adjustment) — ``region_code, item, item_name, method,
    weight, indicator, measure, raw, rank, share`` (p, percent of weight), ``score, note, rule,
    sources``.
    """

    summary: pd.DataFrame
    items: pd.DataFrame
    scheme: dict[str, Any] = field(repr=False)


def list_schemes(directory: str | Path | None = None) -> list[str]:
    """Codes of the scheme files shipped (``diaodu/evaluation/schemes/*.json``)."""
    return sorted(p.stem for p in Path(directory or SCHEMES_DIR).glob("*.json"))


def load_scheme(code_or_path: str | Path, directory: str | Path | None = None) -> dict[str, Any]:
    """Read and validate a scheme by code (file stem) or path."""
    path = Path(code_or_path)
    if not path.suffix:
        path = Path(directory or SCHEMES_DIR) / f"{code_or_path}.json"
    if not path.exists():
        raise ValueError(f"找不到评价方案：{code_or_path}")
    scheme = json.loads(path.read_text(encoding="utf-8"))
    validate_scheme(scheme)
    return scheme


def validate_scheme(scheme: Mapping[str, Any]) -> None:
    """Check a scheme's structure; raise ValueError naming the first problem (in Chinese)."""
    for key in ("code", "name", "items"):
        if key not in scheme:
            raise ValueError(f"评价方案缺少“{key}”")
    seen = set()
    for n, item in enumerate(scheme["items"], 1):
        where = f"评价方案 {scheme['code']} 第{n}项（{item.get('code', '?')}）"
        for key in ("code", "name", "method"):
            if key not in item:
                raise ValueError(f"{where}缺少“{key}”")
        if item["code"] in seen:
            raise ValueError(f"{where}的代码重复")
        seen.add(item["code"])
        if item["method"] not in METHODS:
            raise ValueError(f"{where}的方法“{item['method']}”未知，可用：{', '.join(METHODS)}")
        if item["method"] != "completion_rank" and "weight" not in item:
            raise ValueError(f"{where}缺少“weight”")
        if item["method"] not in ("manual",) and "indicator" not in item:
            raise ValueError(f"{where}缺少“indicator”")
        if item.get("measure", "growth") not in MEASURES:
            raise ValueError(f"{where}的口径“{item['measure']}”未知，可用：{', '.join(MEASURES)}")
        if item["method"] == "threshold" and not item.get("steps"):
            raise ValueError(f"{where}缺少“steps”")
    for n, adj in enumerate(scheme.get("adjustments", []), 1):
        where = f"评价方案 {scheme['code']} 加减分第{n}项（{adj.get('code', '?')}）"
        if adj.get("kind") not in ("bonus", "penalty"):
            raise ValueError(f"{where}的 kind 必须为 bonus 或 penalty")
        if "when" not in adj and adj.get("source") != "manual":
            raise ValueError(f"{where}需要“when”条件或 source = manual")


def item_measure(item: Mapping[str, Any]) -> str:
    """The measure an item ranks by: ``completion`` for completion items, else ``growth`` unless set."""
    return item.get("measure", "completion" if item["method"] == "completion" else "growth")


def item_weight(item: Mapping[str, Any]) -> float:
    if item["method"] == "completion_rank":
        return float(item.get("completion_points", 0)) + float(item.get("rank_points_max", 0))
    return float(item["weight"])


def rank_share(rank: np.ndarray, points: Mapping[str, Any] | None) -> np.ndarray:
    """Rank points as a share in percent: a table by place, or first − step × (rank − 1), not below floor.

    >>> rank_share(np.array([1, 2, 3, 4.0]), {"first": 100, "step": 5}).tolist()
    [100.0, 95.0, 90.0, 85.0]
    """
    points = dict(points or DEFAULT_POINTS)
    rank = np.asarray(rank, dtype=float)
    if "table" in points:
        table = np.asarray(points["table"], dtype=float)
        beyond = float(points.get("beyond", table[-1]))
        idx = np.nan_to_num(rank, nan=1).astype(int) - 1
        share = np.where(idx < len(table), table[np.clip(idx, 0, len(table) - 1)], beyond)
    else:
        first, step = float(points.get("first", 100)), float(points.get("step", 5))
        share = np.maximum(float(points.get("floor", 0)), first - step * (rank - 1))
    return np.where(np.isnan(rank), np.nan, share)


def _group_rank(frame: pd.DataFrame, score: np.ndarray) -> np.ndarray:
    """Min-method rank within ``frame['group']``, higher score first, NaN unranked."""
    s = pd.Series(score, index=frame.index)
    return s.groupby(frame["group"].to_numpy()).rank(method="min", ascending=False).to_numpy()


class _Inputs:
    """The figures a scheme reads at one period, aligned to the peer rows."""

    def __init__(self, panel: Panel, table: pd.DataFrame, targets: pd.DataFrame | None, period: Period,
                 peers: pd.DataFrame) -> None:
        self.panel, self.table, self.period, self.peers = panel, table, period, peers
        self.r = panel.region_index(peers["region"].to_numpy(dtype=object))
        self.targets = None
        if targets is not None and len(targets):
            t = targets[targets["year"] == period.year].copy()
            t["region"] = t["region"].astype(str)
            t["indicator"] = t["indicator"].astype(str)
            self.targets = t.set_index(["region", "indicator"])
        self._cache: dict[tuple[str, str], np.ndarray] = {}

    def month(self, indicator: str) -> int | None:
        row = self.table.loc[indicator]
        return latest_published_month(self.period.month, row["frequency"], int(row["first_month"]))

    def _cell(self, array: np.ndarray, indicator: str, year: int, month: int) -> np.ndarray:
        i = self.panel.indicators.get_indexer([indicator])[0]
        t = (year - self.panel.first_year) * 12 + month - 1
        out = np.full(len(self.r), np.nan)
        if i < 0 or not 0 <= t < self.panel.n_t:
            return out
        ok = self.r >= 0
        out[ok] = array[self.r[ok], i, t]
        return out

    def target(self, indicator: str, column: str) -> np.ndarray:
        if self.targets is None or column not in self.targets.columns:
            return np.full(len(self.r), np.nan)
        keys = pd.MultiIndex.from_arrays([self.peers["region"].astype(str), np.full(len(self.r), indicator)])
        return self.targets[column].reindex(keys).to_numpy(dtype=float)

    def measure(self, indicator: str, measure: str) -> np.ndarray:
        key = (indicator, measure)
        if key in self._cache:
            return self._cache[key]
        m = self.month(indicator)
        y = self.period.year
        if m is None:
            out = np.full(len(self.r), np.nan)
        elif measure == "growth":
            out = self._cell(self.panel.growth, indicator, y, m)
        elif measure == "total":
            out = self._cell(self.panel.value, indicator, y, m)
        elif measure == "increment":
            out = self._cell(self.panel.value, indicator, y, m) - self._cell(self.panel.value, indicator, y - 1, m)
        elif measure == "completion":
            out = self._cell(self.panel.value, indicator, y, m) / self.target(indicator, "total") * 100
        elif measure == "schedule_completion":
            out = self._cell(self.panel.value, indicator, y, m) / self.target(indicator, "total") / (m / 12) * 100
        elif measure == "growth_gap":
            out = self._cell(self.panel.growth, indicator, y, m) - self.target(indicator, "growth")
        else:
            raise ValueError(f"口径“{measure}”未知")
        self._cache[key] = out
        return out

    def polarity(self, indicator: str, measure: str) -> float:
        return float(self.table.loc[indicator, "polarity"])

    def sources(self, indicator: str, measure: str) -> list[str]:
        m = self.month(indicator)
        if m is None:
            return []
        keys = [f"{{region}}/{indicator}/{self.period.year:04d}-{m:02d}"]
        if measure == "increment":
            keys.append(f"{{region}}/{indicator}/{self.period.year - 1:04d}-{m:02d}")
        if measure in ("completion", "schedule_completion", "growth_gap"):
            keys.append(f"目标:{{region}}/{indicator}/{self.period.year}")
        return keys


def _efficacy(frame: pd.DataFrame, x: np.ndarray, item: Mapping[str, Any]) -> np.ndarray:
    floor = float(item.get("floor", 60))
    span = 100 - floor
    if "satisfactory" in item and "unallowable" in item:
        best = np.full(len(x), float(item["satisfactory"]))
        worst = np.full(len(x), float(item["unallowable"]))
    else:
        s = pd.Series(x, index=frame.index)
        grouped = s.groupby(frame["group"].to_numpy())
        best, worst = grouped.transform("max").to_numpy(), grouped.transform("min").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        d = floor + span * (x - worst) / (best - worst)
    d = np.where(best == worst, 100.0, d)
    return np.where(np.isnan(x), np.nan, np.clip(d, floor, 100))


def _item_share(inp: _Inputs, frame: pd.DataFrame, item: Mapping[str, Any], before: pd.DataFrame | None,
                manual: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(share p in percent, raw measure, rank, note flags) for one item over all peer rows."""
    n = len(frame)
    method = item["method"]
    nan = np.full(n, np.nan)
    if method == "manual":
        entered = _manual_values(manual, frame, item["code"])
        weight = item_weight(item)
        if (entered > weight + 1e-9).any():
            raise ValueError(f"人工评分超过该项权重（{item['name']}：{weight}分）")
        return entered / weight * 100, entered, nan, np.isnan(entered).astype(np.int64)
    indicator, measure = str(item["indicator"]), item_measure(item)
    pol = inp.polarity(indicator, measure) if measure not in ("completion", "schedule_completion") else 1.0
    x = inp.measure(indicator, measure)
    score = x * pol
    points = item.get("points", DEFAULT_POINTS)
    rank = _group_rank(frame, score)
    if method == "rank_points":
        share = rank_share(rank, points)
    elif method == "dual":
        volume = item.get("volume", "total")
        vx = inp.measure(indicator, volume) * inp.polarity(indicator, volume)
        ws, wv = float(item.get("speed_weight", 0.5)), float(item.get("volume_weight", 0.5))
        speed = np.nan_to_num(rank_share(_group_rank(frame, inp.measure(indicator, "growth") * pol), points))
        vol = np.nan_to_num(rank_share(_group_rank(frame, vx), points))
        share = (ws * speed + wv * vol) / (ws + wv)
        missing = np.isnan(inp.measure(indicator, "growth")) & np.isnan(vx)
        share = np.where(missing, np.nan, share)
        x = inp.measure(indicator, "growth")
    elif method == "completion_rank":
        cp, rp = float(item.get("completion_points", 0)), float(item.get("rank_points_max", 0))
        met = _target_met(inp, indicator, item)
        rank_part = np.nan_to_num(rank_share(rank, points)) / 100 * rp
        share = (np.nan_to_num(met) * cp + rank_part) / (cp + rp) * 100
        share = np.where(np.isnan(x) & np.isnan(met), np.nan, share)
    elif method == "efficacy":
        share = _efficacy(frame, score, {**item, **_polar_bounds(item, pol)})
    elif method == "threshold":
        share = np.full(n, float(item.get("else", 0)))
        for threshold, pct in reversed(item["steps"]):
            share = np.where(score >= float(threshold) * pol, float(pct), share)
        share = np.where(np.isnan(x), np.nan, share)
    elif method == "completion":
        cap = float(item.get("cap", 1.0))
        m = inp.month(indicator) or 12
        against = (m / 12) if item.get("against", "annual") == "schedule" else 1.0
        done = inp.measure(indicator, "completion") / 100
        x = done * 100
        share = np.minimum(cap, done / against) * 100
        share = np.maximum(share, 0)
    elif method == "advance":
        weight = item_weight(item)
        change = nan if before is None else before[f"__rank__{item['code']}"].to_numpy() - rank
        share = np.clip(change * float(item.get("points_per_place", 1)), 0, weight) / weight * 100
        x = change
    else:  # validated earlier
        raise ValueError(method)
    flags = np.isnan(share).astype(np.int64)
    return share, x, rank, flags


def _polar_bounds(item: Mapping[str, Any], pol: float) -> dict[str, float]:
    if "satisfactory" in item and "unallowable" in item:
        return {"satisfactory": float(item["satisfactory"]) * pol, "unallowable": float(item["unallowable"]) * pol}
    return {}


def _target_met(inp: _Inputs, indicator: str, item: Mapping[str, Any]) -> np.ndarray:
    """1 if the unit meets its target, 0 if not, NaN if unknown.

    ``target: growth`` → cumulative growth ≥ target growth; ``target: total`` → completion ≥
    序时进度 (``against: schedule``, default) or ≥ 100% (``against: annual``).
    """
    if item.get("target", "growth") == "growth":
        gap = inp.measure(indicator, "growth_gap") * inp.polarity(indicator, "growth")
        return np.where(np.isnan(gap), np.nan, (gap >= 0).astype(float))
    done = inp.measure(indicator, "completion")
    m = inp.month(indicator) or 12
    need = m / 12 * 100 if item.get("against", "schedule") == "schedule" else 100.0
    return np.where(np.isnan(done), np.nan, (done >= need - 1e-9).astype(float))


def _manual_values(manual: pd.DataFrame | None, frame: pd.DataFrame, code: str) -> np.ndarray:
    if manual is None or not len(manual):
        return np.full(len(frame), np.nan)
    rows = manual[manual["item"].astype(str) == code]
    values = rows.groupby(rows["region"].astype(str))["value"].sum()
    return values.reindex(frame["region"].astype(str)).to_numpy(dtype=float)


def _adjustment(inp: _Inputs, frame: pd.DataFrame, adj: Mapping[str, Any], manual: pd.DataFrame | None
                ) -> tuple[np.ndarray, np.ndarray]:
    """(points ≥ 0, raw) of a bonus or penalty clause."""
    cap = float(adj.get("max", np.inf))
    if "when" in adj:
        cond = adj["when"]
        x = inp.measure(str(cond["indicator"]), cond.get("measure", "growth"))
        hit = np.zeros(len(frame), bool)
        if "below" in cond:
            hit |= x < float(cond["below"])
        if "above" in cond:
            hit |= x > float(cond["above"])
        return np.minimum(np.where(hit, float(adj.get("points", 0)), 0.0), cap), x
    raw = _manual_values(manual, frame, adj["code"])
    per_unit = adj.get("per_unit")
    points = raw * float(per_unit) if per_unit is not None else raw
    return np.minimum(np.nan_to_num(points), cap), raw


def evaluate(
    scheme: Mapping[str, Any] | str,
    observations: pd.DataFrame | Panel,
    regions: pd.DataFrame | None,
    indicators: pd.DataFrame,
    period: PeriodLike,
    *,
    targets: pd.DataFrame | None = None,
    manual: pd.DataFrame | None = None,
    peer_groups: PeerGroups = None,
    compare: str | PeriodLike | None = "h1",
    min_coverage: float = 0.0,
) -> Evaluation:
    """Score every unit of the scheme's peer groups at ``period``.

    Args:
        scheme: a scheme dict or the code of a shipped scheme (see :func:`list_schemes`).
        observations, regions, indicators: the usual tables (observations may be a Panel).
        targets: ``region, indicator, year, total, growth`` for completion items.
        manual: ``region, item, value[, year, month]``: points of manual items and counts (or
            points) of manual bonus/penalty clauses; with year/month, only rows of ``period``.
        peer_groups: overrides the scheme's ``peers`` (``{"level": …, "parent": …}``).
        compare: the earlier period of ``rank_change`` and of ``advance`` items (上半年 by default).
        min_coverage: the share (0-1) of a group's units that must have data for its ranks to be
            stated; below it ``rank``, ``rank_change`` and ``previous_rank`` are blank and
            ``position`` says 数据不全（已报 n/N） (:mod:`diaodu.engine.coverage`).
    """
    if isinstance(scheme, str):
        scheme = load_scheme(scheme)
    validate_scheme(scheme)
    p = to_period(period)
    table = indicator_table(indicators) if indicators.index.name != "code" else indicators
    panel = as_panel(observations)
    spec = scheme.get("peers", {})
    peers = peer_table(peer_groups, regions, level=spec.get("level"), parent=spec.get("parent"))
    before_period = _compare_period(p, compare)
    before = None
    if before_period is not None and before_period.year == p.year:
        manual_before = _manual_at(manual, before_period)
        before = _score(scheme, panel, regions, table, before_period, targets, manual_before, peers, None)[0]
    summary, items = _score(scheme, panel, regions, table, p, targets, _manual_at(manual, p), peers, before)
    if before is not None:
        prev = before.set_index(["group", "region_code"])["rank"]
        keys = pd.MultiIndex.from_frame(summary[["group", "region_code"]])
        summary["previous_rank"] = pd.array(prev.reindex(keys).to_numpy(), dtype="Int32")
        summary["rank_change"] = summary["previous_rank"] - summary["rank"]
    else:
        summary["previous_rank"] = pd.array([None] * len(summary), dtype="Int32")
        summary["rank_change"] = pd.array([None] * len(summary), dtype="Int32")
    summary["compare_period"] = "" if before_period is None else str(before_period)
    _apply_coverage(summary, items, min_coverage)
    columns = ["period", "scheme", "group", "group_name", "region_code", "region_name", "score", "rank",
               "rank_change", "previous_rank", "compare_period", "item_score", "bonus", "penalty", "items",
               "reported", "peer_count", "sufficient", "coverage", "position", "missing_items", "rule"]
    summary = summary[columns].sort_values(["group", "rank", "region_code"], ignore_index=True)
    return Evaluation(summary, items, dict(scheme))


def _manual_at(manual: pd.DataFrame | None, p: Period) -> pd.DataFrame | None:
    """Manual rows of one period when the table has year/month, else all of them."""
    if manual is not None and {"year", "month"} <= set(manual.columns):
        return manual[(manual["year"] == p.year) & (manual["month"] == p.month)]
    return manual


def _compare_period(p: Period, compare: str | PeriodLike | None) -> Period | None:
    if compare is None:
        return None
    if compare == "h1":
        return Period(p.year, 6) if p.month > 6 else None
    if compare == "last_period":
        return Period(p.year, p.month - 1) if p.month > 2 else None
    if compare == "last_year":
        return Period(p.year - 1, p.month)
    return to_period(compare)


def _score(scheme, panel, regions, table, p, targets, manual, peers, before):
    frame = peers.reset_index(drop=True)
    inp = _Inputs(panel, table, targets, p, frame)
    n = len(frame)
    codes = frame["region"].to_numpy(dtype=object)
    item_rows = []
    total = np.zeros(n)
    ranks: dict[str, np.ndarray] = {}
    for item in scheme["items"]:
        share, raw, rank, flags = _item_share(inp, frame, item, before, manual)
        weight = item_weight(item)
        score = np.nan_to_num(share) * weight / 100
        total += score
        ranks[f"__rank__{item['code']}"] = rank
        item_rows.append(_item_frame(frame, item, weight, raw, rank, share, score, flags, inp))
    bonus = np.zeros(n)
    penalty = np.zeros(n)
    for adj in scheme.get("adjustments", []):
        points, raw = _adjustment(inp, frame, adj, manual)
        sign = 1.0 if adj["kind"] == "bonus" else -1.0
        if sign > 0:
            bonus += points
        else:
            penalty += points
        item_rows.append(_item_frame(frame, {**adj, "method": adj["kind"]}, float(adj.get("max", np.nan)), raw,
                                     np.full(n, np.nan), np.full(n, np.nan), np.where(points == 0, 0.0, sign * points),
                                     np.zeros(n, np.int64), inp))
    # Float addition leaves noise (60.975 summed as 60.97499…): the score is the decimal sum of
    # its items, so it is held to 9 decimals, and printed half up from there (core.numbers).
    composite = np.round(total + bonus - penalty, 9)
    items = pd.concat(item_rows, ignore_index=True)
    per_unit = {}
    for (group, region), part in items.groupby(["group", "region_code"], sort=False):
        per_unit[(group, region)] = {k: round(float(v), 4) for k, v in zip(part["item"], part["score"], strict=True)}
    summary = pd.DataFrame({
        "period": str(p),
        "scheme": scheme["code"],
        "group": frame["group"].to_numpy(dtype=object),
        "group_name": frame["group_name"].to_numpy(dtype=object),
        "region_code": codes,
        "region_name": names_for(codes, regions),
        "score": composite,
        "rank": pd.array(_group_rank(frame, composite), dtype="Int32"),
        "item_score": total,
        "bonus": bonus,
        "penalty": penalty,
        "items": [per_unit[(g, r)] for g, r in zip(frame["group"], codes, strict=True)],
        "rule": "综合得分 = Σ 各项得分（权重 × 得分率）+ 加分 − 扣分；组内按综合得分排名，并列取最小名次；"
                "名次变化 = 比较期名次 − 本期名次（正数为前移）。",
    })
    for key, value in ranks.items():
        summary[key] = value
    return summary, items


NOTE_MISSING = "缺数（本项计0分）"
DATA_METHODS_EXCLUDED = ("manual", "bonus", "penalty", "advance")


def _apply_coverage(summary: pd.DataFrame, items: pd.DataFrame, minimum: float) -> None:
    """Coverage of each group (the units with data on every data item some unit of the group has
    data for: a unit lacking one is scored 0 on it, which a ranking must not hide), the items each
    unit lacks (缺数, including items no unit has), and no stated rank below ``minimum``."""
    data_items = items[~items["method"].isin(DATA_METHODS_EXCLUDED)]
    data_items = data_items.assign(ok=~data_items["share"].isna())
    reported_somewhere = data_items.groupby(["group", "item"], sort=False)["ok"].transform("any")
    has = data_items[reported_somewhere].groupby(["group", "region_code"], sort=False)["ok"].all()
    missing = (data_items[data_items["share"].isna()].groupby(["group", "region_code"], sort=False)["item_name"]
               .agg(list))
    keys = list(zip(summary["group"], summary["region_code"], strict=True))
    flags = [bool(has.get(k, False)) for k in keys]
    cover = group_coverage(list(summary["group"]), flags, minimum)
    summary["reported"] = [c.reported for c in cover]
    summary["peer_count"] = [c.peers for c in cover]
    summary["sufficient"] = [c.sufficient for c in cover]
    summary["coverage"] = [c.text() for c in cover]
    summary["missing_items"] = [list(missing.get(k, [])) for k in keys]
    blank = ~np.asarray(summary["sufficient"], dtype=bool)
    if blank.any():
        for column in ("rank", "rank_change", "previous_rank"):
            summary.loc[blank, column] = pd.NA
    summary["position"] = [c.position(None if pd.isna(r) else int(r)) for c, r in zip(cover, summary["rank"],
                                                                                     strict=True)]


def _item_frame(frame, item, weight, raw, rank, share, score, flags, inp) -> pd.DataFrame:
    method = item["method"]
    measure = item_measure(item) if "indicator" in item else ""
    indicator = str(item.get("indicator", ""))
    rule = _item_rule(item, inp)
    if "when" in item:
        cond = item["when"]
        sources = inp.sources(str(cond["indicator"]), cond.get("measure", "growth"))
    elif method in ("manual", "bonus", "penalty"):
        sources = [f"人工录入:{{region}}/{item['code']}"]
    else:
        sources = inp.sources(indicator, measure)
    codes = frame["region"].to_numpy(dtype=object)
    return pd.DataFrame({
        "group": frame["group"].to_numpy(dtype=object),
        "region_code": codes,
        "item": item["code"],
        "item_name": item["name"],
        "method": method,
        "weight": weight,
        "indicator": indicator,
        "measure": measure,
        "raw": raw,
        "rank": pd.array(np.where(np.isnan(rank), None, rank), dtype="Int32"),
        "share": share,
        "score": score,
        "note": np.where(flags > 0, NOTE_MISSING, ""),
        "rule": rule,
        "sources": [[k.format(region=c) for k in sources] for c in codes],
    })


def _item_rule(item: Mapping[str, Any], inp: _Inputs) -> str:
    method = item["method"]
    if method in ("bonus", "penalty"):
        word = "加分" if method == "bonus" else "扣分"
        if "when" in item:
            cond = item["when"]
            op = "低于" if "below" in cond else "高于"
            limit = cond.get("below", cond.get("above"))
            return f"{word}：{cond['indicator']} {MEASURE_LABELS.get(cond.get('measure', 'growth'))}{op}{limit}时{word}{item.get('points')}分"
        per = item.get("per_unit")
        return f"{word}：按人工录入{'每项' + str(per) + '分' if per is not None else '分值'}，最多{item.get('max', '不限')}分"
    points = item.get("points", DEFAULT_POINTS)
    points_text = ("表 " + "/".join(str(v) for v in points["table"])) if "table" in points else (
        f"第1名{points.get('first', 100)}%，每后一位减{points.get('step', 5)}%，最低{points.get('floor', 0)}%")
    return METHOD_RULES[method].format(
        measure=MEASURE_LABELS.get(item.get("measure", "growth"), ""), points=points_text,
        cp=item.get("completion_points"), rp=item.get("rank_points_max"),
        ws=item.get("speed_weight", 0.5), wv=item.get("volume_weight", 0.5),
        volume=MEASURE_LABELS.get(item.get("volume", "total")), floor=item.get("floor", 60),
        span=100 - float(item.get("floor", 60)), cap=item.get("cap", 1.0),
        against="序时进度" if item.get("against", "annual") == "schedule" else "100%",
        compare="比较期", ppp=item.get("points_per_place", 1), weight=item.get("weight"),
    )
