"""The 规上 threshold and 升规 candidates: pure functions, no Django.

规模以上工业企业: annual 主营业务收入 ≥ 2000万元 (DOMAIN.md §2). An enterprise not yet
规上 is an 升规 candidate when its annual revenue is near the threshold (within
``band`` of it) or already over it (达标未入规: the first to bring in). The annual
revenue is the last twelve months when a full year of monthly figures exists, else
the year-to-date revenue scaled to twelve months.
"""

from __future__ import annotations

from dataclasses import dataclass

SCALE_THRESHOLD = 2000.0  # 万元 主营业务收入
CANDIDATE_BAND = 0.75  # candidates from 75% of the threshold (1500万元) up


@dataclass(frozen=True)
class Candidate:
    annual_revenue: float  # 万元
    gap: float  # 万元 still needed (0 when reached)
    reached: bool  # 达标未入规
    share: float  # annual revenue / threshold

    @property
    def label(self) -> str:
        return "已达标待入规" if self.reached else "接近入规标准"


def annual_revenue(monthly: dict[tuple[int, int], float], as_of: tuple[int, int]) -> tuple[float, int]:
    """(annual revenue, months used) at ``as_of`` = (year, month) from monthly 当月 revenue.

    The twelve months ending at ``as_of`` when all are present; otherwise the months of
    ``as_of``'s year up to it, scaled to twelve. Missing months count as absent, not zero.
    """
    year, month = as_of
    window = []
    y, m = year, month
    for _ in range(12):
        window.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    if all(k in monthly for k in window):
        return float(sum(monthly[k] for k in window)), 12
    ytd = [monthly[(year, k)] for k in range(1, month + 1) if (year, k) in monthly]
    if not ytd:
        return 0.0, 0
    return float(sum(ytd)) * 12 / len(ytd), len(ytd)


def upgrade_candidate(revenue: float | None, *, above_scale: bool, threshold: float = SCALE_THRESHOLD,
                      band: float = CANDIDATE_BAND) -> Candidate | None:
    """The 升规 assessment of one enterprise, or None when it is not a candidate
    (already 规上, no revenue, or below ``band`` × threshold)."""
    if above_scale or revenue is None or revenue <= 0:
        return None
    if not 0 < band <= 1:
        raise ValueError("band must be in (0, 1]")
    if revenue < threshold * band:
        return None
    gap = max(threshold - revenue, 0.0)
    return Candidate(annual_revenue=revenue, gap=gap, reached=gap == 0, share=revenue / threshold)


def is_above_threshold(revenue: float | None, threshold: float = SCALE_THRESHOLD) -> bool:
    """Whether an annual 主营业务收入 meets the 规上 threshold (≥, in 万元)."""
    return revenue is not None and revenue >= threshold
