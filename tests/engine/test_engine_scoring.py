"""Scoring schemes: known answers worked by hand, monotonicity, the shipped scheme files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diaodu.engine import evaluate, list_schemes, load_scheme, rank_share, validate_scheme
from tests.engine.engine_frames import COUNTIES, indicators, observations, one_period, regions

A, B, C, D = COUNTIES[:4]


def scheme(*items, adjustments=()):
    s = {"code": "t", "name": "测试方案", "peers": {"level": "county", "parent": "621200"},
         "items": list(items), "adjustments": list(adjustments)}
    validate_scheme(s)
    return s


def scores(ev):
    return ev.summary.set_index("region_code")["score"]


def test_rank_points_100_95_90_minus_5_a_place():
    assert rank_share(np.array([1, 2, 3, 9.0]), {"first": 100, "step": 5}).tolist() == [100, 95, 90, 60]
    assert rank_share(np.array([1, 4.0]), {"table": [100, 90, 80]}).tolist() == [100, 80]
    s = scheme({"code": "g", "name": "增速", "method": "rank_points", "indicator": "x", "weight": 10})
    obs = one_period({A: (1, 9.0), B: (1, 8.0), C: (1, 8.0), D: (1, 6.0)})
    ev = evaluate(s, obs, regions(COUNTIES[:4]), indicators(), "2021-10", compare=None)
    # ranks 1, 2, 2, 4 → 100%, 95%, 95%, 85% of 10 points
    assert scores(ev).loc[[A, B, C, D]].tolist() == pytest.approx([10, 9.5, 9.5, 8.5])
    assert ev.summary.set_index("region_code").loc[[A, B, C, D], "rank"].tolist() == [1, 2, 2, 4]
    assert ev.summary.iloc[0]["items"] == {"g": 10.0}


def test_target_completion_plus_rank_and_advance():
    # 4 points for meeting the growth target of 7% + up to 6 by rank (100/80/60%), and 争先进位:
    # 1 point a place moved up since 上半年, at most 2.
    s = scheme(
        {"code": "fai", "name": "固投", "method": "completion_rank", "indicator": "x", "target": "growth",
         "completion_points": 4, "rank_points_max": 6, "points": {"table": [100, 80, 60]}},
        {"code": "adv", "name": "争先进位", "method": "advance", "indicator": "x", "weight": 2, "points_per_place": 1},
    )
    obs = pd.concat([one_period({A: (1, 5.0), B: (1, 8.0), C: (1, 9.0)}, month=6),
                     one_period({A: (1, 9.0), B: (1, 8.0), C: (1, 6.0)}, month=9)])
    tg = pd.DataFrame({"region": [A, B, C], "indicator": "x", "year": 2021, "total": np.nan, "growth": 7.0})
    ev = evaluate(s, obs, regions(COUNTIES[:3]), indicators(), "2021-09", targets=tg)
    # A: met, 1st, up 2 places: 4 + 6 + 2 = 12; B: met, 2nd, same: 4 + 4.8 = 8.8; C: missed, 3rd: 3.6
    assert scores(ev).loc[[A, B, C]].tolist() == pytest.approx([12, 8.8, 3.6])
    summary = ev.summary.set_index("region_code")
    assert summary.loc[A, "compare_period"] == "2021-06"
    assert summary.loc[C, "rank_change"] == -2  # C was first at 上半年 and is third now


def test_efficacy_coefficient_with_a_60_floor():
    s = scheme({"code": "e", "name": "功效", "method": "efficacy", "indicator": "x", "weight": 10, "floor": 60})
    obs = one_period({A: (1, 10.0), B: (1, 6.0), C: (1, 2.0)})
    ev = evaluate(s, obs, regions(COUNTIES[:3]), indicators(), "2021-10", compare=None)
    # d = 60 + 40 × (x − 2)/(10 − 2): 100, 80, 60
    assert scores(ev).loc[[A, B, C]].tolist() == pytest.approx([10, 8, 6])
    bounded = scheme({"code": "e", "name": "功效", "method": "efficacy", "indicator": "x", "weight": 10,
                      "satisfactory": 8, "unallowable": 0})
    ev = evaluate(bounded, obs, regions(COUNTIES[:3]), indicators(), "2021-10", compare=None)
    assert scores(ev).loc[[A, B, C]].tolist() == pytest.approx([10, 9, 7])  # 100% capped; 60+40×6/8; 60+40×2/8


def test_penalty_and_bonus_clauses():
    s = scheme(
        {"code": "m", "name": "重点项目", "method": "manual", "weight": 5},
        adjustments=[
            {"code": "delay", "name": "签约项目未按期开工", "kind": "penalty", "source": "manual", "per_unit": 0.5, "max": 3},
            {"code": "neg", "name": "负增长", "kind": "penalty", "points": 1, "when": {"indicator": "x", "below": 0}},
            {"code": "honour", "name": "表彰", "kind": "bonus", "source": "manual", "per_unit": 1, "max": 2},
        ],
    )
    obs = one_period({A: (1, 3.0), B: (1, -1.0), C: (1, 2.0)})
    manual = pd.DataFrame({"region": [A, B, C, A, C], "item": ["m", "m", "m", "delay", "delay"],
                           "value": [5, 4, 3, 2, 10]})
    manual = pd.concat([manual, pd.DataFrame({"region": [C], "item": ["honour"], "value": [5]})])
    ev = evaluate(s, obs, regions(COUNTIES[:3]), indicators(), "2021-10", manual=manual, compare=None)
    # A: 5 − 2×0.5 = 4; B: 4 − 1 (negative growth) = 3; C: 3 − min(3, 5) + min(2, 5) = 2
    assert scores(ev).loc[[A, B, C]].tolist() == pytest.approx([4, 3, 2])
    summary = ev.summary.set_index("region_code")
    assert summary.loc[C, "penalty"] == 3 and summary.loc[C, "bonus"] == 2
    with pytest.raises(ValueError, match="超过该项权重"):
        evaluate(s, obs, regions(COUNTIES[:3]), indicators(), "2021-10",
                 manual=pd.DataFrame({"region": [A], "item": ["m"], "value": [6]}), compare=None)


def test_dual_dimension_speed_and_volume():
    s = scheme({"code": "d", "name": "双维度", "method": "dual", "indicator": "x", "weight": 10,
                "speed_weight": 0.5, "volume_weight": 0.5, "points": {"first": 100, "step": 10}})
    # A grows fastest but is smallest: "高增速带不来高增量"
    obs = one_period({A: (10, 12.0), B: (50, 6.0), C: (100, 3.0)})
    ev = evaluate(s, obs, regions(COUNTIES[:3]), indicators(), "2021-10", compare=None)
    # A: (100 + 80)/2 = 90%; B: (90 + 90)/2; C: (80 + 100)/2
    assert scores(ev).loc[[A, B, C]].tolist() == pytest.approx([9, 9, 9])


MONO = scheme(
    {"code": "r", "name": "名次", "method": "rank_points", "indicator": "x", "weight": 10},
    {"code": "d", "name": "双维度", "method": "dual", "indicator": "x", "weight": 10},
    {"code": "e", "name": "功效", "method": "efficacy", "indicator": "x", "weight": 10},
    {"code": "t", "name": "达标", "method": "threshold", "indicator": "x", "weight": 10, "steps": [[5, 100], [0, 60]]},
)


@settings(max_examples=50, deadline=None)
@given(
    growths=st.lists(st.integers(-10, 10).map(float), min_size=2, max_size=9),
    who=st.integers(0, 8),
    boost=st.integers(1, 6).map(float),
    polarity=st.sampled_from([1, -1]),
)
def test_a_better_value_never_gets_a_lower_score(growths, who, boost, polarity):
    codes = COUNTIES[: len(growths)]
    who = who % len(growths)
    better = list(growths)
    better[who] += boost * polarity
    s = dict(MONO)
    if polarity < 0:  # thresholds are in the indicator's own direction
        s["items"] = [dict(i, steps=[[-5, 100], [0, 60]]) if i["method"] == "threshold" else i for i in MONO["items"]]
    reg, ind = regions(codes), indicators(polarity)

    def run(values):
        ev = evaluate(s, one_period(dict(zip(codes, [(1.0, g) for g in values], strict=True))), reg, ind,
                      "2021-10", compare=None)
        return ev.summary.set_index("region_code"), ev.items.set_index(["region_code", "item"])

    before_s, before_i = run(growths)
    after_s, after_i = run(better)
    assert after_s.loc[codes[who], "score"] >= before_s.loc[codes[who], "score"] - 1e-9
    assert after_s.loc[codes[who], "rank"] <= before_s.loc[codes[who], "rank"]
    for item in ("r", "d", "e", "t"):  # monotone in each item
        assert after_i.loc[(codes[who], item), "score"] >= before_i.loc[(codes[who], item), "score"] - 1e-9


@settings(max_examples=50, deadline=None)
@given(points=st.lists(st.floats(0, 10), min_size=3, max_size=3), extra=st.floats(0.01, 5))
def test_composite_is_monotone_in_a_manual_item(points, extra):
    s = scheme({"code": "m1", "name": "甲", "method": "manual", "weight": 20},
               {"code": "m2", "name": "乙", "method": "manual", "weight": 20})
    obs = one_period({A: (1, 1.0), B: (1, 1.0), C: (1, 1.0)})
    base = pd.DataFrame({"region": [A, B, C], "item": "m1", "value": points})
    more = base.assign(value=[points[0] + extra, *points[1:]])
    before = scores(evaluate(s, obs, regions(COUNTIES[:3]), indicators(), "2021-10", manual=base, compare=None))
    after = scores(evaluate(s, obs, regions(COUNTIES[:3]), indicators(), "2021-10", manual=more, compare=None))
    assert after.loc[A] == pytest.approx(before.loc[A] + extra)
    assert after.loc[[B, C]].tolist() == pytest.approx(before.loc[[B, C]].tolist())


def test_shipped_schemes_load_and_weigh_100():
    assert {"county_keywork_2021", "province_dual_2021"} <= set(list_schemes())
    county = load_scheme("county_keywork_2021")
    assert len(county["items"]) == 25
    for code in ("county_keywork_2021", "province_dual_2021"):
        s = load_scheme(code)
        total = sum(i.get("weight", i.get("completion_points", 0) + i.get("rank_points_max", 0)) for i in s["items"])
        assert total == 100


def test_shipped_county_scheme_runs_on_the_nine_counties():
    rng = np.random.default_rng(0)
    from diaodu.engine import load_catalogue

    cat = load_catalogue()
    rows = [(c, code, y, m, rng.uniform(10, 100) * m, rng.normal(7, 3))
            for c in COUNTIES for code in cat["code"] for y in (2020, 2021) for m in range(1, 13)]
    ev = evaluate("county_keywork_2021", observations(rows), regions(), cat, "2021-09")
    assert len(ev.summary) == 9 and ev.summary["rank"].min() == 1
    assert ev.summary["score"].between(0, 100).all()
    assert len(ev.items) == 9 * (25 + 4)
    assert ev.summary["rank_change"].notna().all()
