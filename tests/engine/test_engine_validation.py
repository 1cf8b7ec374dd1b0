"""Validation rules (diaodu.engine.validation): each rule finds what it should, names both figures
it compared, and leaves plausible figures alone."""

from __future__ import annotations

import pandas as pd

from diaodu.engine.validation import validate

INDICATORS = pd.DataFrame([
    ("retail", "社会消费品零售总额", "flow", "current", True, "monthly"),
    ("gdp", "地区生产总值", "flow", "comparable", True, "quarterly"),
], columns=["code", "name", "kind", "price_basis", "additive", "frequency"])
REGIONS = pd.DataFrame([("621200", "陇南市", "620000", "city"), ("621202", "武都区", "621200", "county"),
                        ("621221", "成县", "621200", "county")], columns=["code", "name", "parent", "level"])
RULES = [
    {"code": "drop", "kind": "cumulative_drop", "severity": "blocking", "threshold": 0},
    {"code": "consistent", "kind": "growth_consistency", "severity": "blocking", "threshold": 5},
    {"code": "sum", "kind": "county_sum", "severity": "blocking", "threshold": 0},
    {"code": "negative", "kind": "negative", "severity": "blocking"},
    {"code": "jump", "kind": "growth_jump", "severity": "warning", "threshold": 10},
    {"code": "bound", "kind": "growth_bound", "severity": "warning", "threshold": 50},
    {"code": "z", "kind": "robust_z", "severity": "warning", "threshold": 5},
]


def frame(rows):
    return pd.DataFrame(rows, columns=["region", "indicator", "year", "month", "value", "growth", "check"])


def history(region="621202", value=10.0):
    """2020 and 2021 1-2月…1-10月 of 社零, growth steady around 8%."""
    rows = []
    for year, factor in ((2020, 1.0), (2021, 1.08)):
        for month in range(2, 11):
            rows.append((region, "retail", year, month, value * factor * month, 8.0 + (month % 3) * 0.1, False))
    return rows


def test_plausible_figures_pass():
    rows = history() + [("621202", "retail", 2021, 11, 10.0 * 1.08 * 11, 8.1, True)]
    assert validate(frame(rows), INDICATORS, REGIONS, RULES).empty


def test_the_issue_s_figures_are_caught_with_both_figures_named():
    rows = history() + [("621202", "retail", 2021, 11, 60.0, 85.0, True)]
    found = validate(frame(rows), INDICATORS, REGIONS, RULES)
    by_rule = dict(zip(found["rule"], found["message"], strict=True))
    assert "累计值 60.00 低于同年1-10月累计值 108.00" in by_rule["drop"]
    assert "较1-10月的 8.1% 变动 76.9 个百分点" in by_rule["jump"]
    assert "85% 超出 ±50%" in by_rule["bound"]
    assert "偏离本单位历史中位数" in by_rule["z"]
    assert set(found.loc[found["rule"] == "drop", "severity"]) == {"blocking"}


def test_growth_must_agree_with_last_years_value_for_current_price_indicators():
    rows = [("621202", "retail", 2020, 9, 100.0, 3.0, False), ("621202", "retail", 2021, 9, 130.0, 5.0, True),
            ("621202", "gdp", 2020, 9, 100.0, 3.0, False), ("621202", "gdp", 2021, 9, 130.0, 5.0, True)]
    found = validate(frame(rows), INDICATORS, REGIONS, RULES)
    consistent = found[found["rule"] == "consistent"]
    assert list(consistent["indicator"]) == ["retail"]  # GDP growth is real (可比价): not recomputed
    assert "推算的 30.0% 相差 25.0 个百分点" in consistent["message"].iloc[0]


def test_counties_above_the_city_and_negative_totals():
    rows = [("621200", "retail", 2021, 9, 100.0, 5.0, False), ("621202", "retail", 2021, 9, 70.0, 5.0, True),
            ("621221", "retail", 2021, 9, 40.0, 5.0, True), ("621221", "gdp", 2021, 9, -1.0, None, True)]
    found = validate(frame(rows), INDICATORS, REGIONS, RULES)
    assert "2个县区累计值合计 110.00 高于全市累计值 100.00" in found.loc[found["rule"] == "sum", "message"].iloc[0]
    assert "累计值 -1.00 为负数" in found.loc[found["rule"] == "negative", "message"].iloc[0]


def test_only_checked_rows_are_judged():
    rows = [(r[0], r[1], r[2], r[3], r[4], r[5], False) for r in history()]
    rows.append(("621202", "retail", 2021, 11, 60.0, 85.0, False))
    assert validate(frame(rows), INDICATORS, REGIONS, RULES).empty
