"""Coverage of a ranking: how many of the peers have reported (报送率).

A rank means something only among the peers that reported: 全省第3位 among 14 市州 is not 全省第3位
among 4. Every rank and composite score therefore carries its coverage (``已报 9/14``), and below a
configured minimum share it is not stated as a position at all but as 数据不全（已报 n/14）.
Pure functions: numbers in, words and columns out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

INCOMPLETE = "数据不全"
MISSING = "缺数"


@dataclass(frozen=True)
class Coverage:
    """``reported`` of ``peers`` units reported; ``minimum`` is the share (0-1) a rank needs."""

    reported: int
    peers: int
    minimum: float = 0.0

    @property
    def share(self) -> float:
        return self.reported / self.peers if self.peers else 0.0

    @property
    def complete(self) -> bool:
        return self.peers > 0 and self.reported >= self.peers

    @property
    def sufficient(self) -> bool:
        """Whether a position may be stated: some reported and at least ``minimum`` of the peers."""
        return self.reported > 0 and self.share + 1e-12 >= self.minimum

    def text(self, unit: str = "") -> str:
        """``14个市州均已报送`` when complete, else ``已报 9/14``."""
        if self.complete:
            return f"{self.peers}个{unit}均已报送" if unit else "均已报送"
        return f"已报 {self.reported}/{self.peers}"

    def position(self, rank: int | None, scope: str = "", unit: str = "") -> str:
        """``全省第3位（14个市州均已报送）``, ``全省第3位（已报 9/14）`` or ``数据不全（已报 1/14）``."""
        if not self.sufficient or rank is None:
            return self.incomplete_text() if not self.sufficient else f"{MISSING}（{self.text(unit)}）"
        return f"{scope}第{int(rank)}位（{self.text(unit)}）"

    def incomplete_text(self) -> str:
        return f"{INCOMPLETE}（已报 {self.reported}/{self.peers}）"

    def as_dict(self, unit: str = "") -> dict:
        return {"reported": self.reported, "peers": self.peers, "share": self.share, "complete": self.complete,
                "sufficient": self.sufficient, "text": self.text(unit)}


def apply_to_ranks(frame: pd.DataFrame, measures: Sequence[str], minimum: float) -> pd.DataFrame:
    """Add ``reported_<m>`` / ``sufficient_<m>`` / ``coverage_<m>`` to rank rows (``engine.rank``) and
    blank every position (rank, 倒数, change, comparison rank) of a measure whose group's coverage
    is below ``minimum``: such a rank is not stated. ``ranked_<m>`` and ``peer_count`` are the
    engine's own counts; the rows keep their values, so the figures themselves stay visible."""
    if frame.empty:
        for m in measures:
            frame[f"sufficient_{m}"] = pd.Series(dtype=bool)
            frame[f"coverage_{m}"] = pd.Series(dtype=object)
        return frame
    peers = frame["peer_count"].to_numpy(dtype=np.int64)
    for m in measures:
        ranked = frame[f"ranked_{m}"].to_numpy(dtype=np.int64)
        share = np.where(peers > 0, ranked / np.maximum(peers, 1), 0.0)
        sufficient = (ranked > 0) & (share + 1e-12 >= minimum)
        frame[f"sufficient_{m}"] = sufficient
        frame[f"coverage_{m}"] = [Coverage(int(r), int(p), minimum).text() for r, p in zip(ranked, peers, strict=True)]
        change = "rank_change" if m == "growth" else f"rank_{m}_change"
        for column in (f"rank_{m}", f"bottom_{m}", f"rank_{m}_before", change):
            if column in frame.columns and not sufficient.all():
                frame.loc[~sufficient, column] = pd.NA
    return frame


def group_coverage(groups: Sequence, has_data: Sequence[bool], minimum: float) -> list[Coverage]:
    """Per row, the coverage of its group: how many rows of the same group have data."""
    groups = list(groups)
    totals: dict = {}
    for g, ok in zip(groups, has_data, strict=True):
        peers, reported = totals.get(g, (0, 0))
        totals[g] = (peers + 1, reported + int(bool(ok)))
    return [Coverage(totals[g][1], totals[g][0], minimum) for g in groups]
