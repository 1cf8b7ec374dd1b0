"""Shared helpers of the engine: input checks, periods, the indicator catalogue, region names.

The engine's inputs are tidy tables with fixed column names (see ``OBSERVATION_COLUMNS`` and
friends). Everything here is plain pandas/numpy; nothing imports Django.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .periods import MONTHLY, QUARTERLY, Period

OBSERVATION_COLUMNS = ("region", "indicator", "year", "month", "value", "growth")
REGION_COLUMNS = ("code", "name", "level", "parent")
INDICATOR_COLUMNS = ("code", "name", "unit", "frequency", "kind", "polarity")
TARGET_COLUMNS = ("region", "indicator", "year")

FLOW, STOCK, RATE, SURVEY, RATIO = "flow", "stock", "rate", "survey", "ratio"
LEVEL_LABELS = {"province": "省份", "city": "市州", "county": "县区"}

CATALOGUE_PATH = Path(__file__).resolve().parents[1] / "indicators" / "data" / "catalogue.json"

PeriodLike = Period | str | tuple[int, int]


def to_period(period: PeriodLike) -> Period:
    """Accept ``Period``, ``"2021-10"`` or ``(2021, 10)``."""
    if isinstance(period, Period):
        return period
    if isinstance(period, tuple):
        return Period(int(period[0]), int(period[1]))
    return Period.parse(period)


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise a clear error when an input table lacks a column."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}缺少列：{', '.join(missing)}")


def load_catalogue(path: str | Path | None = None) -> pd.DataFrame:
    """The indicator catalogue (``diaodu/indicators/data/catalogue.json``) as an indicators table."""
    data = json.loads(Path(path or CATALOGUE_PATH).read_text(encoding="utf-8"))
    return indicator_table(pd.DataFrame(data["indicators"]))


def indicator_table(indicators: pd.DataFrame) -> pd.DataFrame:
    """Normalise an indicators table and index it by ``code``.

    Defaults where a column is absent: frequency monthly, kind flow, polarity 1, additive True,
    first_month 2 (monthly) or 3 (quarterly), price_basis current.
    """
    require_columns(indicators, ("code",), "指标表")
    out = indicators.copy()
    out["code"] = out["code"].astype(str)
    defaults = {"name": None, "unit": "", "frequency": MONTHLY, "kind": FLOW, "polarity": 1,
                "additive": True, "price_basis": "current", "first_month": np.nan}
    for column, default in defaults.items():
        if column not in out.columns:
            out[column] = default
    out["name"] = out["name"].fillna(out["code"])
    out["polarity"] = out["polarity"].fillna(1).astype(int)
    fallback_first = np.where(out["frequency"] == QUARTERLY, 3, 2)
    out["first_month"] = out["first_month"].fillna(pd.Series(fallback_first, index=out.index)).astype(int)
    bad = out.loc[~out["polarity"].isin([1, -1]), "code"].tolist()
    if bad:
        raise ValueError(f"指标极性只能为 1 或 -1：{', '.join(bad)}")
    return out.set_index("code", drop=False)


def lookup_indicators(indicators: pd.DataFrame, codes: Iterable[str]) -> pd.DataFrame:
    """Rows of the indicator table for ``codes`` in that order; unknown codes are an error."""
    table = indicators if indicators.index.name == "code" else indicator_table(indicators)
    codes = [str(c) for c in codes]
    unknown = [c for c in codes if c not in table.index]
    if unknown:
        raise ValueError(f"指标不在指标目录中：{', '.join(unknown)}")
    return table.loc[codes]


def region_table(regions: pd.DataFrame) -> pd.DataFrame:
    """Normalise a regions table and index it by ``code``."""
    require_columns(regions, ("code", "name"), "地区表")
    out = regions.copy()
    out["code"] = out["code"].astype(str)
    if "short_name" not in out.columns:
        out["short_name"] = out["name"]
    for column in ("level", "parent"):
        if column not in out.columns:
            out[column] = None
    out["parent"] = out["parent"].astype(object).where(out["parent"].notna(), None)
    out["parent"] = [None if p is None else str(p) for p in out["parent"]]
    return out.set_index("code", drop=False)


def peer_groups_for(codes: Sequence[str], regions: pd.DataFrame | None) -> np.ndarray | None:
    """Per code: the units it is compared with, as one label per level and parent (the cities of a
    province, the counties of a city); None without a regions table (every unit one group). A code
    the table does not know is a group of its own."""
    if regions is None:
        return None
    table = regions if regions.index.name == "code" else region_table(regions)
    at = table.index.get_indexer(np.asarray(codes, dtype=object))
    level, parent = table["level"].to_numpy(dtype=object), table["parent"].to_numpy(dtype=object)
    return np.array([f"{level[j]}/{parent[j]}" if j >= 0 else f"?{code}" for j, code in zip(at, codes, strict=True)], dtype=object)


def names_for(codes: pd.Index | np.ndarray, regions: pd.DataFrame | None) -> np.ndarray:
    """Region names for codes (the code itself where a region is unknown)."""
    codes = np.asarray(codes, dtype=object)
    if regions is None:
        return codes.copy()
    table = regions if regions.index.name == "code" else region_table(regions)
    index, uniques = pd.factorize(codes)
    uniques = np.asarray(uniques, dtype=object)
    if table.index.is_unique:  # look up the few codes asked for, not a dict of every region
        at = table.index.get_indexer(uniques)
        names, known = uniques.copy(), at >= 0
        names[known] = table["name"].to_numpy(dtype=object)[at[known]]
    else:
        mapping = table["name"].to_dict()
        names = np.array([mapping.get(c, c) for c in uniques], dtype=object)
    return names[index] if len(codes) else codes.copy()


def code_dtype(n_labels: int) -> type:
    """The integer type pandas keeps a categorical's codes in for that many labels (no copy on creation)."""
    return np.int8 if n_labels < 128 else np.int16 if n_labels < 32768 else np.int32


def labels_categorical(codes: np.ndarray, labels: np.ndarray) -> pd.Categorical | np.ndarray:
    """``labels[codes]`` as a categorical when the labels are unique (cheap for millions of rows)."""
    labels = np.asarray(labels, dtype=object)
    if len(set(labels.tolist())) == len(labels):
        codes = np.asarray(codes).astype(code_dtype(len(labels)), copy=False)
        return pd.Categorical.from_codes(codes, categories=pd.Index(labels, dtype=object))
    return labels[np.asarray(codes)]


def constant_column(text: str, n: int) -> pd.Categorical:
    """A column holding one text n times, stored once (rules, methods)."""
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([text], dtype=object))


def flag_texts(flags: np.ndarray, texts: list[str], sep: str = "；") -> pd.Categorical:
    """Turn a small bit mask per row into the joined reasons of the set bits (empty string if none).

    ``texts[b]`` is the reason for bit ``b``. Only the distinct masks are joined, so this is cheap.
    """
    flags = np.asarray(flags)
    if flags.dtype.kind not in "ui" or flags.dtype.itemsize > 2:
        flags = flags.astype(np.int64)
    present = np.flatnonzero(np.bincount(flags, minlength=1)) if len(flags) else np.array([0])
    lookup = np.zeros(int(present.max()) + 1, dtype=np.int8 if len(present) < 128 else np.int32)
    lookup[present] = np.arange(len(present))
    joined = [sep.join(t for b, t in enumerate(texts) if u & (1 << b)) for u in present.tolist()]
    return pd.Categorical(np.asarray(joined, dtype=object)[lookup[flags]]) if len(set(joined)) < len(joined) \
        else pd.Categorical.from_codes(lookup[flags], categories=pd.Index(joined, dtype=object))


def obs_key(region: str, indicator: str, year: int, month: int) -> str:
    """The trace key of one observation: ``region/indicator/YYYY-MM``."""
    return f"{region}/{indicator}/{year:04d}-{month:02d}"


def latest_published_month(month: int, frequency: str, first_month: int = 2) -> int | None:
    """The latest month not after ``month`` for which an indicator of this frequency publishes."""
    if frequency == QUARTERLY:
        m = (month // 3) * 3
        return m if m >= max(first_month, 3) else None
    return month if month >= first_month else None
