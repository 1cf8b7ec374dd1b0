"""Ranking within a named peer group (比较组): a "<parent>-children" group ranks exactly like the
siblings; a custom group (秦巴山区县) ranks its members among themselves, its coverage over them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from diaodu.engine import rank
from diaodu.engine.peers import UnknownGroup, peer_table
from tests.engine.engine_frames import indicators, observations

# Two cities of one province, each with its counties; the province's cities are ranked too.
CHILDREN = {
    "620000": ["620500", "621200"],
    "620500": ["620502", "620503", "620521", "620522"],
    "621200": ["621202", "621221", "621222"],
}
LEVEL = {"620000": "province", "620500": "city", "621200": "city"}


def regions() -> pd.DataFrame:
    rows = [("620000", "甘肃省", "province", None)]
    for parent, codes in CHILDREN.items():
        rows += [(c, f"地区{c}", "county" if LEVEL[parent] == "city" else "city", parent) for c in codes]
    return pd.DataFrame(rows, columns=["code", "name", "level", "parent"]).assign(short_name=lambda f: f["name"])


ALL = [c for codes in CHILDREN.values() for c in codes]
RANK_COLUMNS_DROPPED = ["group", "group_name"]


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.drop(columns=RANK_COLUMNS_DROPPED).astype({"region_code": object, "indicator": object,
                                                           "period": object})
    return out.sort_values(["period", "indicator", "region_code"], ignore_index=True)


cell = st.one_of(st.just(None), st.tuples(st.one_of(st.floats(1, 500, allow_nan=False), st.just(np.nan)),
                                          st.one_of(st.integers(-9, 12).map(float), st.just(np.nan))))


@settings(max_examples=40, deadline=None)
@given(
    cells=st.lists(cell, min_size=len(ALL) * 4, max_size=len(ALL) * 4),
    parent=st.sampled_from(sorted(CHILDREN)),
    polarity=st.sampled_from([1, -1]),
    bulk=st.booleans(),
)
def test_a_parents_children_group_ranks_exactly_like_the_siblings(cells, parent, polarity, bulk):
    rows = []
    periods = [(2020, 6), (2020, 10), (2021, 6), (2021, 10)]
    for n, (code, (year, month)) in enumerate((c, p) for p in periods for c in ALL):
        if cells[n] is not None:
            rows.append((code, "x", year, month, *cells[n]))
    assume(rows)  # no observation at all is NoData, for both
    obs, reg, ind = observations(rows), regions(), indicators(polarity)
    level = "city" if LEVEL[parent] == "province" else "county"
    period = None if bulk else "2021-10"
    siblings = rank(obs, reg, ind, period, level=level, parent=parent, min_coverage=0.5)
    groups = {f"{p}-children": codes for p, codes in CHILDREN.items()}  # as frames.peer_groups() reads them
    grouped = rank(obs, reg, ind, period, peer_groups=groups, group=f"{parent}-children", min_coverage=0.5)
    assert len(siblings) == len(grouped)
    if len(grouped):
        assert set(grouped["group"].astype(object)) == {f"{parent}-children"}
        pd.testing.assert_frame_equal(comparable(siblings), comparable(grouped))


def test_a_custom_group_ranks_its_members_among_themselves_and_counts_its_coverage_over_them():
    # 秦巴山区县: two counties of one city and one of the other; 620521 has no figure at all.
    obs = observations([
        ("620502", "x", 2021, 10, 100.0, 9.0), ("620503", "x", 2021, 10, 300.0, 8.0),
        ("621202", "x", 2021, 10, 200.0, 4.0), ("621221", "x", 2021, 10, 50.0, 7.0),
    ])
    groups = pd.DataFrame({"group": ["qinba"] * 3 + ["620500-children"] * 4,
                           "group_name": ["秦巴山区县"] * 3 + ["天水市4个县区"] * 4,
                           "region": ["620503", "620521", "621202", *CHILDREN["620500"]]})
    out = rank(obs, regions(), indicators(), "2021-10", peer_groups=groups, group="qinba", compare=None)
    out = out.set_index("region_code")
    assert sorted(out.index) == ["620503", "620521", "621202"]  # the member without a figure is listed
    assert set(out["group_name"]) == {"秦巴山区县"}
    assert out.loc["620503", "rank_growth"] == 1 and out.loc["621202", "rank_growth"] == 2
    assert pd.isna(out.loc["620521", "rank_growth"]) and "未报告累计增速" in out.loc["620521", "note"]
    assert (out["peer_count"] == 3).all() and (out["ranked_growth"] == 2).all()
    assert set(out["coverage_growth"]) == {"已报 2/3"}
    # among its siblings 620503 is second (620502 grows faster): the group changes the rank
    siblings = rank(obs, regions(), indicators(), "2021-10", level="county", parent="620500", compare=None)
    assert siblings.set_index("region_code").loc["620503", "rank_growth"] == 2
    # below the required share the positions are not stated, the coverage says why
    strict = rank(obs, regions(), indicators(), "2021-10", peer_groups=groups, group="qinba", min_coverage=0.8)
    assert strict["rank_growth"].isna().all() and not strict["sufficient_growth"].any()


def test_an_unknown_group_is_refused():
    with pytest.raises(UnknownGroup, match="nope"):
        peer_table({"qinba": ["620503"]}, group="nope")
    with pytest.raises(UnknownGroup):
        rank(observations([("620503", "x", 2021, 10, 1.0, 1.0)]), regions(), indicators(), "2021-10",
             peer_groups={"qinba": ["620503"]}, group="nope")
