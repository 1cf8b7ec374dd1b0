"""Validation rules over figures (数据审核: 逻辑性审核 blocks, 合理性审核 warns).

Pure: tidy tables in, violations out. The rules are data (``diaodu.indicators.models.ValidationRule``);
each is a dict ``{code, name, kind, severity, threshold, indicators}`` whose ``kind`` is one of
:data:`KINDS`. Every violation's message names both figures it compared.

``figures`` holds every figure the rules may compare against (stored ones overlaid by the
candidates), with a boolean column ``check`` marking the rows to judge (a file being imported,
or a stored period under ``diaodu validate``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .periods import period_label

BLOCKING, WARNING = "blocking", "warning"
KINDS = {
    "cumulative_drop": "累计值低于同年上月累计值",
    "growth_consistency": "累计增速与上年同期累计值推算的增速不符（现价指标）",
    "county_sum": "县区合计高于全市（可加总指标）",
    "negative": "不应为负的数值为负",
    "growth_jump": "累计增速较上月变动过大",
    "robust_z": "偏离本单位历史（稳健z值）",
    "growth_bound": "累计增速超出合理范围",
}
COLUMNS = ["rule", "rule_name", "severity", "region", "indicator", "year", "month", "field", "message"]
VALUE_KINDS = ("flow", "stock", "survey")  # kinds whose value can never be negative
MIN_HISTORY = 6


def _g(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x - round(x)) > 1e-9 else f"{x:.0f}"


def _num(x: float) -> str:
    return f"{x:,.2f}"


def validate(figures: pd.DataFrame, indicators: pd.DataFrame, regions: pd.DataFrame | None,
             rules: Iterable[Mapping]) -> pd.DataFrame:
    """Every violation of ``rules`` by the rows of ``figures`` with ``check`` true.

    Args:
        figures: ``region, indicator, year, month, value, growth, check`` (one row per figure).
        indicators: ``code, name, kind, price_basis, additive, frequency`` (the catalogue).
        regions: ``code, name, parent, level`` (names in messages; parents for the county sum).
        rules: dicts with ``code, name, kind, severity, threshold, indicators`` (empty: every one).

    Returns one row per violation: ``rule, rule_name, severity, region, indicator, year, month,
    field`` (value or growth) and ``message``.
    """
    if figures.empty or not figures["check"].any():
        return pd.DataFrame(columns=COLUMNS)
    table = indicators.set_index("code")
    names = dict(zip(regions["code"], regions["name"], strict=True)) if regions is not None else {}
    frame = _keyed(figures)
    out = []
    for rule in rules:
        kind = rule["kind"]
        if kind not in KINDS:
            raise ValueError(f"未知的审核规则类型“{kind}”")
        wanted = set(rule.get("indicators") or [])
        part = frame if not wanted else frame[frame["indicator"].isin(wanted)]
        if part.empty:
            continue
        found = _RULES[kind](part, table, names, rule, frame, regions)
        if found is not None and len(found):
            found = found.assign(rule=rule["code"], rule_name=rule.get("name") or KINDS[kind],
                                 severity=rule.get("severity") or BLOCKING)
            out.append(found)
    if not out:
        return pd.DataFrame(columns=COLUMNS)
    result = pd.concat(out, ignore_index=True)[COLUMNS]
    return result.sort_values(["severity", "region", "indicator", "year", "month", "rule"], ignore_index=True)


def _keyed(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures sorted by unit, indicator and time, with integer keys: ``series`` (unit ×
    indicator), ``t`` (months since year 0) and ``key`` (both), so that every comparison below is
    array arithmetic and binary search rather than merges on text columns (an import of 100,000
    rows pays for the rules in tenths of a second)."""
    frame = figures.copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    frame["growth"] = pd.to_numeric(frame["growth"], errors="coerce").astype("float64")
    frame["check"] = frame["check"].astype(bool)
    region_codes, _ = pd.factorize(frame["region"])
    indicator_codes, indicator_labels = pd.factorize(frame["indicator"])
    frame["series"] = region_codes.astype(np.int64) * max(len(indicator_labels), 1) + indicator_codes
    frame["t"] = frame["year"].astype(np.int64) * 12 + frame["month"].astype(np.int64) - 1
    frame["key"] = frame["series"] * 100_000 + frame["t"]
    order = np.lexsort((frame["t"].to_numpy(), frame["series"].to_numpy()))
    return frame.iloc[order].reset_index(drop=True)


def _previous(part: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the previous row of the same unit, indicator and year (its index into
    ``part``, and whether there is one). ``part`` is sorted by series and time."""
    series = part["series"].to_numpy()
    year = part["year"].to_numpy()
    has = np.zeros(len(part), bool)
    has[1:] = (series[1:] == series[:-1]) & (year[1:] == year[:-1])
    return np.maximum(np.arange(len(part)) - 1, 0), has


def _lookup(part: pd.DataFrame, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``part`` (sorted by key) of ``keys``, and whether each was found."""
    sorted_keys = part["key"].to_numpy()
    pos = np.searchsorted(sorted_keys, keys)
    pos = np.minimum(pos, max(len(sorted_keys) - 1, 0))
    found = sorted_keys[pos] == keys if len(sorted_keys) else np.zeros(len(keys), bool)
    return pos, found


def _where(row, names: Mapping, table: pd.DataFrame, month: int | None = None) -> str:
    freq = table.at[row.indicator, "frequency"] if row.indicator in table.index else "monthly"
    ind = table.at[row.indicator, "name"] if row.indicator in table.index else row.indicator
    return f"{names.get(row.region, row.region)}{ind}{row.year}年{period_label(month or row.month, freq)}"


def _rows(items: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(items, columns=["region", "indicator", "year", "month", "field", "message"])


def _of_kind(part: pd.DataFrame, table: pd.DataFrame, kinds: tuple[str, ...], current_price: bool = False) -> pd.DataFrame:
    ok = table.index[table["kind"].isin(kinds)]
    if current_price:
        ok = table.index[table["kind"].isin(kinds) & (table["price_basis"] == "current")]
    return part[part["indicator"].isin(ok)]


def _cumulative_drop(part, table, names, rule, frame, regions):
    part = _of_kind(part, table, ("flow",))
    prev, has = _previous(part)
    value = part["value"].to_numpy()
    prev_value = np.where(has, value[prev], np.nan)
    tolerance = float(rule.get("threshold") or 0.0)
    with np.errstate(invalid="ignore"):
        bad = part["check"].to_numpy() & (value < prev_value - tolerance - 1e-9)
    months = part["month"].to_numpy()
    items = []
    for i in np.flatnonzero(bad):
        row = part.iloc[i]
        items.append((row.region, row.indicator, row.year, row.month, "value",
                      f"{_where(row, names, table)}累计值 {_num(row.value)} 低于同年"
                      f"{period_label(int(months[prev[i]]))}累计值 {_num(prev_value[i])}（累计值不应减少）"))
    return _rows(items)


def _growth_consistency(part, table, names, rule, frame, regions):
    part = _of_kind(part, table, ("flow", "stock"), current_price=True)
    pos, found = _lookup(part, part["key"].to_numpy() - 12)
    value, growth = part["value"].to_numpy(), part["growth"].to_numpy()
    last = np.where(found, value[pos], np.nan)
    tolerance = float(rule.get("threshold") or 3.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = (value / last - 1) * 100
        bad = part["check"].to_numpy() & (last > 0) & (np.abs(implied - growth) > tolerance)
    items = []
    for i in np.flatnonzero(bad):
        row = part.iloc[i]
        items.append((row.region, row.indicator, row.year, row.month, "growth",
                      f"{_where(row, names, table)}累计增速 {_g(row.growth)}% 与按上年同期累计值 "
                      f"{_num(last[i])} 和本期累计值 {_num(row.value)} 推算的 {implied[i]:.1f}% "
                      f"相差 {abs(implied[i] - row.growth):.1f} 个百分点（允许 {_g(tolerance)}）"))
    return _rows(items)


def _county_sum(part, table, names, rule, frame, regions):
    if regions is None:
        return None
    additive = table.index[table["additive"].astype(bool) & table["kind"].isin(("flow", "stock"))]
    part = part[part["indicator"].isin(additive) & part["value"].notna()]
    parent_of = dict(zip(regions.loc[regions["level"] == "county", "code"],
                         regions.loc[regions["level"] == "county", "parent"], strict=True))
    parents = part["region"].map(parent_of)
    children = part[parents.notna()]
    if children.empty:
        return None
    keys = pd.DataFrame({"parent": parents[parents.notna()], "indicator": children["indicator"],
                         "year": children["year"], "month": children["month"]})
    sums = children.groupby([keys["parent"], keys["indicator"], keys["year"], keys["month"]], sort=False).agg(
        total=("value", "sum"), n=("value", "count"), checked=("check", "any")).reset_index()
    cities = part[part["region"].isin(set(sums["parent"]))][["region", "indicator", "year", "month", "value", "check"]]
    merged = sums.merge(cities.rename(columns={"region": "parent", "value": "city", "check": "city_check"}),
                        on=["parent", "indicator", "year", "month"])
    tolerance = float(rule.get("threshold") or 0.0) / 100
    bad = (merged["checked"] | merged["city_check"]) & (merged["total"] > merged["city"] * (1 + tolerance) + 1e-6)
    items = []
    for row in merged[bad].itertuples():
        where = (f"{names.get(row.parent, row.parent)}{table.at[row.indicator, 'name']}{row.year}年"
                 f"{period_label(row.month, table.at[row.indicator, 'frequency'])}")
        items.append((row.parent, row.indicator, row.year, row.month, "value",
                      f"{where}：{row.n}个县区累计值合计 {_num(row.total)} 高于全市累计值 {_num(row.city)}"))
    return _rows(items)


def _negative(part, table, names, rule, frame, regions):
    part = _of_kind(part, table, VALUE_KINDS)
    bad = part["check"] & (part["value"] < 0)
    return _rows([(row.region, row.indicator, row.year, row.month, "value",
                   f"{_where(row, names, table)}累计值 {_num(row.value)} 为负数（该指标不可能为负）")
                  for row in part[bad].itertuples()])


def _growth_jump(part, table, names, rule, frame, regions):
    prev, has = _previous(part)
    growth = part["growth"].to_numpy()
    prev_growth = np.where(has, growth[prev], np.nan)
    limit = float(rule.get("threshold") or 10.0)
    with np.errstate(invalid="ignore"):
        bad = part["check"].to_numpy() & (np.abs(growth - prev_growth) > limit)
    months = part["month"].to_numpy()
    items = []
    for i in np.flatnonzero(bad):
        row = part.iloc[i]
        items.append((row.region, row.indicator, row.year, row.month, "growth",
                      f"{_where(row, names, table)}累计增速 {_g(row.growth)}% 较{period_label(int(months[prev[i]]))}"
                      f"的 {_g(prev_growth[i])}% 变动 {abs(row.growth - prev_growth[i]):.1f} 个百分点（超过 {_g(limit)}）"))
    return _rows(items)


def _robust_z(part, table, names, rule, frame, regions):
    limit = float(rule.get("threshold") or 3.5)
    history = part[~part["check"] & part["growth"].notna()]
    checked = part[part["check"] & part["growth"].notna()]
    if history.empty or checked.empty:
        return None
    history = history[history["series"].isin(set(checked["series"]))]
    groups = history.groupby("series", sort=False)["growth"]
    median = groups.median()
    mad = (history["growth"] - history["series"].map(median)).abs().groupby(history["series"], sort=False).median()
    stats = pd.DataFrame({"median": median, "mad": mad, "n": groups.count()})
    checked = checked.join(stats, on="series", how="inner")
    checked = checked[(checked["n"] >= MIN_HISTORY) & (checked["mad"] > 0)]
    z = 0.6745 * (checked["growth"] - checked["median"]) / checked["mad"]
    bad = z.abs() > limit
    items = []
    for row, zz in zip(checked[bad].itertuples(), z[bad], strict=True):
        items.append((row.region, row.indicator, row.year, row.month, "growth",
                      f"{_where(row, names, table)}累计增速 {_g(row.growth)}% 偏离本单位历史中位数 {_g(row.median)}%"
                      f"（{int(row.n)}期，稳健z值 {zz:.1f}，超过 {_g(limit)}）"))
    return _rows(items)


def _growth_bound(part, table, names, rule, frame, regions):
    limit = float(rule.get("threshold") or 50.0)
    bad = part["check"] & (part["growth"].abs() > limit)
    return _rows([(row.region, row.indicator, row.year, row.month, "growth",
                   f"{_where(row, names, table)}累计增速 {_g(row.growth)}% 超出 ±{_g(limit)}%")
                  for row in part[bad].itertuples()])


_RULES = {
    "cumulative_drop": _cumulative_drop,
    "growth_consistency": _growth_consistency,
    "county_sum": _county_sum,
    "negative": _negative,
    "growth_jump": _growth_jump,
    "robust_z": _robust_z,
    "growth_bound": _growth_bound,
}
