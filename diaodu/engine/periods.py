"""Periods of cumulative figures (DOMAIN.md §2).

A period is the (year, month) of a year-to-date cumulative figure: ``2021-10``
is 1-10月. January and February are published together, so month 2 is 1-2月
and month 1 does not exist for monthly indicators. Quarterly indicators
(GDP, survey income) use months 3, 6, 9 and 12 and are called 一季度, 上半年,
前三季度 and 全年.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHLY = "monthly"
QUARTERLY = "quarterly"

QUARTER_NAMES = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}
_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")


class PeriodError(ValueError):
    """A period string or value that does not name a valid period."""


@dataclass(frozen=True, order=True)
class Period:
    """The (year, month) of a cumulative figure."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise PeriodError(f"月份 {self.month} 超出 1–12")
        if not 1900 <= self.year <= 2200:
            raise PeriodError(f"年份 {self.year} 超出范围")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``YYYY-MM`` (also ``YYYY-M``)."""
        match = _PERIOD_RE.match(str(text))
        if not match:
            raise PeriodError(f"期别 {text!r} 格式不对，应为 YYYY-MM，例如 2021-10")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def key(self) -> int:
        """A sortable integer: year * 100 + month."""
        return self.year * 100 + self.month

    def label(self, frequency: str = MONTHLY) -> str:
        """The display name: 1-10月, 1-2月, 前三季度, 上半年 ..."""
        return period_label(self.month, frequency)

    def full_label(self, frequency: str = MONTHLY) -> str:
        return f"{self.year}年{self.label(frequency)}"

    def previous_year(self) -> Period:
        return Period(self.year - 1, self.month)

    def valid_for(self, frequency: str, first_month: int = 2) -> bool:
        """Whether an indicator of this frequency publishes a figure for this period."""
        if frequency == QUARTERLY:
            return self.month in QUARTER_NAMES
        return self.month >= first_month


def period_label(month: int, frequency: str = MONTHLY) -> str:
    if frequency == QUARTERLY and month in QUARTER_NAMES:
        return QUARTER_NAMES[month]
    if month == 1:
        return "1月"
    return f"1-{month}月"


def schedule_share(month: int) -> float:
    """序时进度: the share of the year elapsed at the end of ``month`` (months / 12)."""
    return month / 12.0


def monthly_periods(start: Period, end: Period, first_month: int = 2) -> list[Period]:
    """Every monthly publishing period from start to end inclusive (no January)."""
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        if month >= first_month:
            out.append(Period(year, month))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def quarter_end_at_or_before(period: Period) -> Period | None:
    """The latest quarter-end period not after ``period`` within the same year."""
    month = (period.month // 3) * 3
    return Period(period.year, month) if month else None
