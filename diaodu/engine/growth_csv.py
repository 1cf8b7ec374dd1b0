"""Read a panel of published cumulative growth rates from CSV (``diaodu backtest --csv``).

Columns: ``unit`` (or ``region``), ``indicator`` (a catalogue code), ``year``, ``month``,
``cumulative_growth`` (percent, year to date, 1-n月累计增速); any other column (``level``,
``source_url``, ``quote`` …) is kept out of the computation. Every unit is compared with every
other unit of the file, so one file should hold units of one level.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ._base import indicator_table, load_catalogue

REQUIRED = ("indicator", "year", "month", "cumulative_growth")


class GrowthCsvError(ValueError):
    """A CSV that cannot be read as a growth panel; the message names the row and column."""


def read_growth_csv(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Observations (value empty, growth from the file) and the indicators table they need."""
    name = Path(path).name
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise GrowthCsvError(f"无法读取 {name}：{exc}") from exc
    unit_column = "unit" if "unit" in raw.columns else "region" if "region" in raw.columns else None
    missing = [c for c in REQUIRED if c not in raw.columns] + ([] if unit_column else ["unit"])
    if missing:
        raise GrowthCsvError(f"{name} 缺少列：{', '.join(missing)}")
    if raw.empty:
        raise GrowthCsvError(f"{name} 没有数据行")
    numbers = {}
    for column, kind in (("year", int), ("month", int), ("cumulative_growth", float)):
        values = []
        for row, text in enumerate(raw[column], start=2):  # row 1 is the header
            try:
                values.append(kind(text.strip().rstrip("%")))
            except ValueError:
                raise GrowthCsvError(f"{name} 第{row}行“{column}”列：“{text}”不是数字") from None
        numbers[column] = values
    bad = [r for r, m in enumerate(numbers["month"], start=2) if not 1 <= m <= 12]
    if bad:
        raise GrowthCsvError(f"{name} 第{bad[0]}行“month”列：月份必须在 1–12 之间")
    obs = pd.DataFrame({
        "region": raw[unit_column].str.strip(),
        "indicator": raw["indicator"].str.strip(),
        "year": numbers["year"],
        "month": numbers["month"],
        "value": np.nan,
        "growth": numbers["cumulative_growth"],
    })
    dup = obs.duplicated(["region", "indicator", "year", "month"], keep="first")
    if dup.any():
        row = int(np.flatnonzero(dup.to_numpy())[0]) + 2
        raise GrowthCsvError(f"{name} 第{row}行：同一单位、指标和期别出现两次")
    catalogue = load_catalogue()
    codes = sorted(obs["indicator"].unique())
    known = catalogue.loc[[c for c in codes if c in catalogue.index]]
    unknown = [c for c in codes if c not in catalogue.index]
    extra = pd.DataFrame({"code": unknown, "name": unknown, "frequency": "monthly", "kind": "rate"})
    table = indicator_table(pd.concat([known.reset_index(drop=True), extra], ignore_index=True))
    return obs, table
