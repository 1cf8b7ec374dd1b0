"""Ranking: ties 1,2,2,4, polarity, missing units listed, rank change, 倒数第N位, gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from diaodu.engine import rank, rank_change_text
from tests.engine.engine_frames import COUNTIES, indicators, observations, one_period, regions


def by_region(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("region_code")


def test_ties_share_the_best_place_and_the_next_is_skipped():
    obs = one_period({"621202": (10, 9.0), "621221": (20, 7.0), "621222": (30, 7.0), "621223": (40, 3.0)})
    out = by_region(rank(obs, regions(COUNTIES[:4]), indicators(), "2021-10", level="county"))
    assert out.loc[["621202", "621221", "621222", "621223"], "rank_growth"].tolist() == [1, 2, 2, 4]
    assert out.loc[["621223", "621222", "621221", "621202"], "rank_total"].tolist() == [1, 2, 3, 4]
    assert out.loc[["621223", "621221", "621222", "621202"], "bottom_growth"].tolist() == [1, 2, 2, 4]
    assert (out["peer_count"] == 4).all()
    # the unit just above 621223 on growth is at 7.0: 4 points ahead; the tied ones have 2 points below
    assert out.loc["621223", "growth_gap_above"] == 4.0
    assert out.loc["621221", "growth_gap_below"] == 4.0
    assert out.loc["621202", "growth_below_region"] in ("621221", "621222")
    assert np.isnan(out.loc["621202", "growth_gap_above"])


def test_polarity_minus_one_ranks_lowest_first():
    obs = one_period({"621202": (10, 1.0), "621221": (20, 2.0), "621222": (30, 3.0)})
    out = by_region(rank(obs, regions(COUNTIES[:3]), indicators(polarity=-1), "2021-10", level="county"))
    assert out.loc[["621202", "621221", "621222"], "rank_growth"].tolist() == [1, 2, 3]
    assert out.loc[["621202", "621221", "621222"], "rank_total"].tolist() == [1, 2, 3]
    # gaps are raw differences: the unit above has a lower (better) value
    assert out.loc["621221", "growth_gap_above"] == -1.0


def test_missing_values_are_listed_not_ranked():
    obs = one_period({"621202": (10, np.nan), "621221": (np.nan, 5.0), "621222": (30, 6.0)})
    out = by_region(rank(obs, regions(COUNTIES[:4]), indicators(), "2021-10", level="county"))
    assert set(out.index) == set(COUNTIES[:4])  # 621223 has no row at all and is still listed
    assert pd.isna(out.loc["621202", "rank_growth"]) and "增速" in out.loc["621202", "note"]
    assert pd.isna(out.loc["621221", "rank_total"]) and "累计值" in out.loc["621221", "note"]
    assert out.loc["621222", "rank_growth"] == 1 and out.loc["621221", "rank_growth"] == 2
    assert (out["ranked_growth"] == 2).all() and (out["peer_count"] == 4).all()


def test_rank_change_against_h1_last_year_and_last_period():
    rows = []
    for month, growths in ((6, [5.0, 6.0, 7.0]), (9, [6.0, 7.0, 5.0]), (10, [7.0, 5.0, 6.0])):
        for code, g in zip(COUNTIES[:3], growths, strict=True):
            rows.append((code, "x", 2021, month, 1.0, g))
            rows.append((code, "x", 2020, month, 1.0, g if month != 10 else -g))
    obs = observations(rows)
    reg, ind = regions(COUNTIES[:3]), indicators()
    h1 = by_region(rank(obs, reg, ind, "2021-10", level="county", compare="h1"))
    # 621202: 3rd at 上半年, 1st now: moved up two places
    assert h1.loc["621202", "rank_growth_before"] == 3 and h1.loc["621202", "rank_change"] == 2
    assert rank_change_text(h1.loc["621202", "rank_change"]) == "前移2位"
    last = by_region(rank(obs, reg, ind, "2021-10", level="county", compare="last_period"))
    assert last.loc["621202", "compare_period"] == "2021-09" and last.loc["621202", "rank_change"] == 1
    ly = by_region(rank(obs, reg, ind, "2021-10", level="county", compare="last_year"))
    assert ly.loc["621202", "rank_change"] == 2 and ly.loc["621221", "rank_change"] == -2
    assert rank_change_text(-2) == "后退2位" and rank_change_text(0) == "持平"


def test_increment_needs_last_years_value():
    rows = [("621202", "x", 2021, 10, 110.0, 1.0), ("621202", "x", 2020, 10, 100.0, 1.0),
            ("621221", "x", 2021, 10, 200.0, 1.0)]
    out = by_region(rank(observations(rows), regions(COUNTIES[:2]), indicators(), "2021-10", level="county"))
    assert out.loc["621202", "increment"] == 10.0 and out.loc["621202", "rank_increment"] == 1
    assert pd.isna(out.loc["621221", "rank_increment"]) and "增量不可算" in out.loc["621221", "note"]
    assert "621202/x/2020-10" in out.loc["621202", "sources"]


def test_named_peer_groups_and_bulk_mode():
    rows = [(c, "x", y, m, float(i + m), float(i * m % 5)) for i, c in enumerate(COUNTIES[:4])
            for y in (2020, 2021) for m in (3, 6, 9)]
    obs = observations(rows)
    groups = {"秦巴山区县": COUNTIES[:2], "其他": COUNTIES[2:4]}
    out = rank(obs, regions(COUNTIES[:4]), indicators(), None, peer_groups=groups, trace=False)
    assert len(out) == len(rows) and set(out["group"]) == set(groups)
    assert out.groupby(["group", "period"], observed=True)["rank_total"].max().eq(2).all()


@settings(max_examples=60, deadline=None)
@given(
    growths=st.lists(st.one_of(st.integers(-5, 5).map(float), st.just(np.nan)), min_size=2, max_size=9),
    polarity=st.sampled_from([1, -1]),
)
def test_ranks_agree_with_value_order_and_polarity(growths, polarity):
    codes = COUNTIES[: len(growths)]
    obs = one_period({c: (1.0, g) for c, g in zip(codes, growths, strict=True)})
    out = by_region(rank(obs, regions(codes), indicators(polarity), "2021-10", level="county", trace=False))
    ranks = out.loc[codes, "rank_growth"].to_numpy(dtype=float, na_value=np.nan)
    for a, ga in enumerate(growths):
        assert np.isnan(ranks[a]) == np.isnan(ga)
        if np.isnan(ga):
            continue
        better = sum(1 for g in growths if not np.isnan(g) and g * polarity > ga * polarity)
        assert ranks[a] == better + 1
        for b, gb in enumerate(growths):
            if not np.isnan(gb) and ga * polarity > gb * polarity:
                assert ranks[a] < ranks[b]


@settings(max_examples=60, deadline=None)
@given(
    growths=st.lists(st.integers(-5, 5).map(float), min_size=2, max_size=9),
    who=st.integers(0, 8),
    boost=st.integers(1, 5).map(float),
    polarity=st.sampled_from([1, -1]),
)
def test_a_better_value_never_gets_a_worse_rank(growths, who, boost, polarity):
    codes = COUNTIES[: len(growths)]
    who = who % len(growths)
    better = list(growths)
    better[who] += boost * polarity
    reg, ind = regions(codes), indicators(polarity)
    before = by_region(rank(one_period(dict(zip(codes, [(1.0, g) for g in growths], strict=True))), reg, ind,
                            "2021-10", level="county", trace=False))
    after = by_region(rank(one_period(dict(zip(codes, [(1.0, g) for g in better], strict=True))), reg, ind,
                           "2021-10", level="county", trace=False))
    assert after.loc[codes[who], "rank_growth"] <= before.loc[codes[who], "rank_growth"]
