"""A dense panel of observations: arrays ``[region, indicator, time]``.

Every engine computation is arithmetic along the axes of two arrays (reported cumulative value
and reported cumulative growth), so that ten years of every county of China compute in seconds.
Time is a month index: ``t = (year - first_year) * 12 + month - 1``. A cell with no report is
NaN; value and growth stay independent (a missing one is never filled from the other).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._base import OBSERVATION_COLUMNS, require_columns
from .periods import Period


def _factorize(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and labels of a column; free for categoricals."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        if (codes < 0).any():
            raise ValueError("观测值的地区或指标不能为空")
        return codes, pd.Index(column.cat.categories.astype(str), dtype=object)
    codes, uniques = pd.factorize(column.astype(str), sort=True)
    return codes, pd.Index(uniques, dtype=object)


def _integers(column: pd.Series) -> np.ndarray:
    """A column of whole numbers as a numpy integer array, in its own type when it has one."""
    values = column.to_numpy()
    return values if values.dtype.kind in "iu" else column.to_numpy(dtype=np.int64)


class NoData(ValueError):
    """No observations at all, or none of the indicators asked for: callers say 暂无数据."""


@dataclass(frozen=True)
class Panel:
    """Observations as dense arrays. Build with :meth:`from_frame`."""

    regions: pd.Index  # region codes along axis 0
    indicators: pd.Index  # indicator codes along axis 1
    first_year: int
    n_years: int
    value: np.ndarray  # [R, I, T] cumulative year-to-date value (累计值), NaN if not reported
    growth: np.ndarray  # [R, I, T] cumulative growth in percent (累计增速), NaN if not reported

    @classmethod
    def from_frame(cls, observations: pd.DataFrame) -> Panel:
        """Build from tidy observations (one row per region × indicator × year × month).

        Duplicated rows (two figures for one cell) are an error: pass one vintage.
        """
        require_columns(observations, OBSERVATION_COLUMNS, "观测值表")
        if len(observations) == 0:
            raise NoData("观测值表为空")
        r_codes, regions = _factorize(observations["region"])
        i_codes, indicators = _factorize(observations["indicator"])
        year, month = (_integers(observations[c]) for c in ("year", "month"))
        if ((month < 1) | (month > 12)).any():
            raise ValueError("观测值的月份必须在 1–12 之间")
        first_year = int(year.min())
        n_years = int(year.max()) - first_year + 1
        n_t = n_years * 12
        # flat = (r × I + i) × T + t, in place: ten million rows make every temporary count
        flat = np.multiply(r_codes, len(indicators), dtype=np.int64)
        flat += i_codes
        flat *= n_t
        flat += (year - first_year).astype(np.int32) * 12
        flat += month
        flat -= 1
        size = len(regions) * len(indicators) * n_t
        seen = np.zeros(size, dtype=bool)
        seen[flat] = True
        if np.count_nonzero(seen) < len(flat):
            counts = np.bincount(flat, minlength=size)
            dup = np.flatnonzero(counts[flat] > 1)[0]
            row = observations.iloc[dup]
            raise ValueError(
                f"观测值重复：{row['region']} {row['indicator']} {int(row['year'])}-{int(row['month']):02d}"
                "（同一期只能有一个版本）"
            )
        del seen
        value = np.full(size, np.nan)
        growth = np.full(size, np.nan)
        value[flat] = observations["value"].to_numpy(dtype=np.float64, na_value=np.nan)
        growth[flat] = observations["growth"].to_numpy(dtype=np.float64, na_value=np.nan)
        shape = (len(regions), len(indicators), n_t)
        return cls(regions, indicators, first_year, n_years, value.reshape(shape), growth.reshape(shape))

    @property
    def n_t(self) -> int:
        return self.n_years * 12

    def t_of(self, period: Period) -> int:
        """The time index of a period; may be outside ``[0, n_t)`` when the period has no data."""
        return (period.year - self.first_year) * 12 + period.month - 1

    def period_of(self, t: int) -> Period:
        return Period(self.first_year + t // 12, t % 12 + 1)

    def period_labels(self) -> np.ndarray:
        """``YYYY-MM`` for every time index."""
        years = self.first_year + np.arange(self.n_t) // 12
        months = np.arange(self.n_t) % 12 + 1
        return np.array([f"{y:04d}-{m:02d}" for y, m in zip(years, months, strict=True)], dtype=object)

    def region_index(self, codes: np.ndarray | list[str]) -> np.ndarray:
        """Positions of region codes along axis 0 (-1 where a region has no observation)."""
        return self.regions.get_indexer(pd.Index(np.asarray(codes, dtype=object)))

    def indicator_index(self, codes: list[str]) -> np.ndarray:
        return self.indicators.get_indexer(pd.Index(codes, dtype=object))

    def at(self, array: np.ndarray, t: int) -> np.ndarray:
        """``array[:, :, t]`` or all-NaN when t lies outside the panel."""
        if 0 <= t < self.n_t:
            return array[:, :, t]
        return np.full(array.shape[:2], np.nan)


def as_panel(observations: pd.DataFrame | Panel) -> Panel:
    """Accept either tidy observations or an already built panel."""
    return observations if isinstance(observations, Panel) else Panel.from_frame(observations)


def subset(panel: Panel, indicator_codes: list[str] | None) -> Panel:
    """The panel restricted to some indicators (the same panel when ``indicator_codes`` is None)."""
    if indicator_codes is None:
        return panel
    idx = panel.indicator_index([str(c) for c in indicator_codes])
    if (idx < 0).any():
        missing = [c for c, i in zip(indicator_codes, idx, strict=True) if i < 0]
        raise NoData(f"没有这些指标的观测值：{', '.join(map(str, missing))}")
    return Panel(panel.regions, panel.indicators[idx], panel.first_year, panel.n_years,
                 panel.value[:, idx], panel.growth[:, idx])
