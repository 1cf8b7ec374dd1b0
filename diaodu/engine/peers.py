"""Peer groups (对比组): the units ranked and scored against each other.

A peer group is a set of regions: the 14 市州 of a province, the 县区 of a city, or any named
group (e.g. 秦巴山区县). The engine works on a long table ``group, group_name, region``; one
region may belong to several groups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._base import LEVEL_LABELS, region_table
from .panel import Panel

PeerGroups = Mapping[str, Sequence[str]] | pd.DataFrame | None


def sibling_groups(regions: pd.DataFrame, level: str | None = None, parent: str | None = None) -> pd.DataFrame:
    """Siblings: regions with the same parent and level form a group (同级同上级).

    ``level`` keeps only that level (province/city/county); ``parent`` only the children of one
    region. The group code is ``"<parent>:<level>"`` and its name e.g. ``陇南市县区``.
    """
    table = region_table(regions)
    if level is not None:
        table = table[table["level"] == level]
    if parent is not None:
        table = table[table["parent"] == str(parent)]
    names = region_table(regions)["name"].to_dict()
    parent_key = table["parent"].fillna("").astype(str)
    level_key = table["level"].fillna("").astype(str)
    group = parent_key + ":" + level_key
    group_name = [
        f"{names.get(p, '全国' if not p else p)}{LEVEL_LABELS.get(lv, lv)}"
        for p, lv in zip(parent_key, level_key, strict=True)
    ]
    out = pd.DataFrame({"group": group.to_numpy(dtype=object), "group_name": group_name,
                        "region": table["code"].to_numpy(dtype=object)})
    return out.sort_values(["group", "region"], ignore_index=True)


class UnknownGroup(ValueError):
    """A group code that is not among the peer groups given."""


def peer_table(peer_groups: PeerGroups, regions: pd.DataFrame | None = None,
               level: str | None = None, parent: str | None = None, group: str | None = None) -> pd.DataFrame:
    """Normalise peer groups to a ``group, group_name, region`` table.

    ``peer_groups`` may be a mapping ``name -> [region codes]``, a table with ``group`` and
    ``region`` columns (``group_name`` optional), or None to derive siblings from ``regions``
    (see :func:`sibling_groups`). ``group`` keeps that one group only (:class:`UnknownGroup` if
    there is none of that code): its members are then ranked among themselves alone.
    """
    if peer_groups is None:
        if regions is None:
            raise ValueError("未给出对比组，也没有地区表可推导同级地区")
        return _one_group(sibling_groups(regions, level=level, parent=parent), group)
    if isinstance(peer_groups, pd.DataFrame):
        out = peer_groups[["group", "region"]].astype(str).copy()
        out["group_name"] = peer_groups["group_name"] if "group_name" in peer_groups else out["group"]
    else:
        rows = [(str(g), str(g), str(r)) for g, members in peer_groups.items() for r in members]
        out = pd.DataFrame(rows, columns=["group", "group_name", "region"])
    out = out.drop_duplicates(["group", "region"])
    out = out[["group", "group_name", "region"]].sort_values(["group", "region"], ignore_index=True)
    return _one_group(out, group)


def _one_group(table: pd.DataFrame, group: str | None) -> pd.DataFrame:
    if group is None:
        return table
    out = table[table["group"] == str(group)].reset_index(drop=True)
    if out.empty:
        raise UnknownGroup(f"没有代码为“{group}”的比较组")
    return out


@dataclass(frozen=True)
class Bucket:
    """All peer groups of one size k, as matrices, so ranks compute along an axis."""

    groups: np.ndarray  # [g] group codes
    group_names: np.ndarray  # [g]
    members: np.ndarray  # [g, k] region codes
    index: np.ndarray  # [g, k] positions in the panel's regions (-1: no observation at all)
    group_ids: np.ndarray  # [g] positions in the peer table's list of groups
    member_ids: np.ndarray  # [g, k] positions in the peer table's list of regions


def buckets(peers: pd.DataFrame, panel: Panel) -> tuple[list[Bucket], pd.Index, np.ndarray, pd.Index]:
    """Split a peer table into buckets of equal group size (vectorised work, no loop per group).

    Returns the buckets and the labels their ids point to: group codes, group names, region codes.
    """
    out = []
    group_codes, group_labels = pd.factorize(peers["group"].to_numpy(dtype=object), sort=True)
    region_codes, region_labels = pd.factorize(peers["region"].to_numpy(dtype=object), sort=True)
    group_names = peers.groupby("group", sort=True)["group_name"].first().reindex(group_labels).to_numpy(dtype=object)
    sizes = peers.groupby("group", sort=True)["region"].transform("size").to_numpy()
    for k in np.unique(sizes):
        part = peers[sizes == k]  # sorted by group then region already
        keep = sizes == k
        members = part["region"].to_numpy(dtype=object).reshape(-1, k)
        groups = part["group"].to_numpy(dtype=object).reshape(-1, k)[:, 0]
        names = part["group_name"].to_numpy(dtype=object).reshape(-1, k)[:, 0]
        index = panel.region_index(members.reshape(-1)).reshape(-1, k)
        out.append(Bucket(groups, names, members, index, group_codes[keep].reshape(-1, k)[:, 0],
                          region_codes[keep].reshape(-1, k)))
    return out, pd.Index(group_labels, dtype=object), group_names, pd.Index(region_labels, dtype=object)


def gather(array: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``array[index]`` for a [g, k] index of regions, NaN where the index is -1."""
    safe = np.where(index >= 0, index, 0)
    out = array[safe]
    if (index < 0).any():
        out[index < 0] = np.nan
    return out
