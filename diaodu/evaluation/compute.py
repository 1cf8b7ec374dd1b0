"""The engine's results for the dispatch room, the briefings, the API and the CLI.

Each function loads the published figures (``frames``), calls the pure engine
and returns JSON-able rows. Results are cached in ``ComputedResult`` under the
fingerprint of the published data: a page reads a stored result, and only the
first read after a publication recomputes it (nothing is recomputed per request).
In front of that store, Django's cache (``default``: memory or Redis) spares the query.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache, caches
from django.db import IntegrityError, transaction

from diaodu import engine
from diaodu.core.caching import MISSING
from diaodu.core.caching import key as cache_key
from diaodu.engine.panel import NoData
from diaodu.engine.peers import UnknownGroup
from diaodu.engine.periods import Period
from diaodu.evaluation import frames
from diaodu.evaluation.models import ComputedResult
from diaodu.org.home import home_code
from diaodu.org.models import PeerGroup, Region

LEVELS = ("city", "county")
DEFAULT_SCHEMES = {"city": "province_dual_2021", "county": "county_keywork_2021"}


def _code_version() -> str:
    """A hash of the engine's and this module's source: a deployment that changes
    how results are computed never reads results cached by the old code."""
    digest = hashlib.sha256()
    for path in sorted(Path(engine.__file__).parent.glob("*.py")) + [Path(__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


CODE_VERSION = _code_version()
# Within snapshot(): the fingerprint read once for a whole page view.
_FINGERPRINT: ContextVar[str | None] = ContextVar("diaodu_fingerprint", default=None)


def records(frame: pd.DataFrame) -> list[dict]:
    """DataFrame rows as plain dicts: NaN/NA → None, numpy scalars → Python."""
    out = []
    columns = list(frame.columns)
    for row in frame.itertuples(index=False, name=None):
        out.append({c: _plain(v) for c, v in zip(columns, row, strict=True)})
    return out


def _plain(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def home_region() -> Region:
    return Region.objects.get(code=home_code())


def level_scope(level: str) -> dict:
    """The engine's peer selection for a level: the province's cities or the home city's counties."""
    home = home_region()
    if level == "county":
        return {"level": "county", "parent": home.code}
    return {"level": "city", "parent": home.parent_id}


@contextmanager
def snapshot(fingerprint: str | None = None) -> Iterator[str]:
    """Read the data fingerprint once for a block (a page view): every cached read inside it
    shares it, so a page with ten figures pays for one fingerprint query, not ten. A caller that
    has just read the fingerprint may pass it; a block inside another one shares the outer block's."""
    token = _FINGERPRINT.set(fingerprint or _FINGERPRINT.get() or frames.fingerprint())
    try:
        yield _FINGERPRINT.get()
    finally:
        _FINGERPRINT.reset(token)


def current_fingerprint() -> str:
    return _FINGERPRINT.get() or frames.fingerprint()


def cached(kind: str, period: Period | str, params: dict, compute: Callable[[], object],
           empty: Callable[[], object] | None = None):
    fingerprint = current_fingerprint()
    extra = ",".join(f"{k}={params[k]}" for k in sorted(params) if params[k] not in (None, ""))
    key = f"{kind}:{period}:{extra}:{CODE_VERSION}:{fingerprint}"[:200]
    memo_key = cache_key("result", key)
    stored = cache.get(memo_key, MISSING)
    if stored is not MISSING:
        return stored
    stored = ComputedResult.objects.filter(key=key).values_list("payload", flat=True).first()
    if stored is None:
        started = time.perf_counter()
        try:
            stored = compute()
        except NoData:
            return empty() if empty else []  # 暂无数据: nothing to keep
        try:
            with transaction.atomic():
                # Results of earlier data (or earlier code) are never read again.
                ComputedResult.objects.exclude(fingerprint=fingerprint).delete()
                ComputedResult.objects.filter(kind=kind).exclude(key__contains=f":{CODE_VERSION}:").delete()
                ComputedResult.objects.create(key=key, kind=kind, period=str(period), fingerprint=fingerprint,
                                              payload=stored, seconds=time.perf_counter() - started)
        except IntegrityError:  # another worker stored it first
            pass
    cache.set(memo_key, stored)
    return stored


def _tables():
    """The published tables, loaded once per data fingerprint and process (a cache miss of
    many results in a row — ``diaodu precompute`` — then reads the database once). Kept in the
    process's own cache: DataFrames are too large to fetch from a shared one; each read is a
    fresh copy (the cache unpickles), so the engine may change it."""
    tables_key = cache_key("tables", current_fingerprint())
    local = caches["local"]
    hit = local.get(tables_key)
    if hit is None:
        hit = (frames.observations(), frames.regions(), frames.indicators())
        local.set(tables_key, hit)
    return hit


def min_coverage() -> float:
    """The share of peers that must have reported for a rank to be stated (DIAODU_RANK_MIN_COVERAGE, %)."""
    return settings.DIAODU_RANK_MIN_COVERAGE / 100.0


def coverage_of(row: dict | None, measure: str | None = "growth") -> engine.Coverage | None:
    """The coverage behind a rank row (``measure``) or an evaluation summary row (None)."""
    if not row:
        return None
    if measure is None:
        return engine.Coverage(int(row.get("reported") or 0), int(row.get("peer_count") or 0), min_coverage())
    return engine.Coverage(int(row.get(f"ranked_{measure}") or 0), int(row.get("peer_count") or 0), min_coverage())


GROUP_UNITS = {"city": "市州", "county": "县区"}


def peer_group(code: str) -> pd.DataFrame:
    """The members of the named peer group ``code`` (``group, group_name, region``);
    :class:`UnknownGroup` when there is no such group."""
    if not PeerGroup.objects.filter(code=code).exists():
        known = "、".join(PeerGroup.objects.values_list("code", flat=True)) or "无"
        raise UnknownGroup(f"没有代码为“{code}”的比较组（已有：{known}）")
    return frames.peer_groups(code)


def ranks(period: Period, level: str = "city", indicator: str | None = None, compare: str = "h1",
          group: str | None = None) -> list[dict]:
    """Ranks among the province's cities (``level="city"``), the home city's counties (``"county"``)
    or, with ``group``, among the members of that named peer group (比较组) alone: its coverage
    (已报 n/m) is counted over its members, and a position reads ``秦巴山区县第2位``."""
    members = peer_group(group) if group else None
    if members is not None:
        # The group's name and members are part of the key: editing the group in the admin
        # changes its ranks without changing the published data's fingerprint.
        # (A digest, not the code: the key is cut at 200 characters and must keep the fingerprint.)
        digest = hashlib.sha256("|".join([group, *members["group_name"][:1], *members["region"]]).encode())
        level = ""

    def compute():
        obs, regions, indicators = _tables()
        if members is None:
            scope_args = level_scope(level)
            scope, unit = ("全市", "县区") if level == "county" else ("全省", "市州")
        elif members.empty:
            return []  # a group without members ranks nobody
        else:
            scope_args = {"peer_groups": members, "group": group}
            levels = set(regions.loc[regions["code"].isin(members["region"]), "level"])
            scope = members["group_name"].iloc[0]
            unit = GROUP_UNITS.get(next(iter(levels)), "地区") if len(levels) == 1 else "地区"
        frame = engine.rank(obs, regions, indicators, str(period), compare=compare,
                            indicator_codes=[indicator] if indicator else None, min_coverage=min_coverage(),
                            **scope_args)
        rows = records(frame)
        for row in rows:  # 全省第3位（14个市州均已报送） / 数据不全（已报 1/14）, per measure
            for m in engine.ranking.MEASURES:
                if f"ranked_{m}" in row:
                    cov = engine.Coverage(row[f"ranked_{m}"], row["peer_count"], min_coverage())
                    row[f"coverage_{m}"] = cov.text(unit)
                    row[f"position_{m}"] = cov.position(row[f"rank_{m}"], scope, unit)
        return rows

    params = {"level": level, "indicator": indicator, "compare": compare, "cov": settings.DIAODU_RANK_MIN_COVERAGE}
    if members is not None:
        params["group"] = digest.hexdigest()[:16]
    return cached("rank", period, params, compute)


def forecasts(period: Period, level: str = "city", indicator: str | None = None) -> list[dict]:
    """The level's year-end forecasts; with ``indicator``, that indicator's rows of them. Always
    computed over every indicator: a growth method is chosen on the record of the indicators of its
    kind and, where that is short, of every indicator, so a forecast computed over one indicator
    alone could differ from the same forecast on the overview."""
    if indicator is not None:
        return [r for r in forecasts(period, level) if r["indicator"] == indicator]

    def compute():
        obs, regions, indicators = _tables()
        scope = level_scope(level)
        codes = list(regions.loc[(regions["level"] == scope["level"]) & (regions["parent"] == scope["parent"]), "code"])
        codes.append(scope["parent"])  # the province, or the city, beside its units
        return records(engine.forecast(obs, indicators, str(period), regions=regions, region_codes=codes))

    return cached("forecast", period, {"level": level}, compute)


def gaps(period: Period, level: str = "city", indicator: str | None = None) -> list[dict]:
    def compute():
        obs, regions, indicators = _tables()
        scope = level_scope(level)
        codes = list(regions.loc[(regions["level"] == scope["level"]) & (regions["parent"] == scope["parent"]), "code"])
        if level == "county":
            codes.append(scope["parent"])
        frame = engine.gap(obs, frames.targets(), indicators, str(period), regions=regions, region_codes=codes,
                           indicator_codes=[indicator] if indicator else None)
        return records(frame)

    return cached("gap", period, {"level": level, "indicator": indicator}, compute)


def evaluation(period: Period, scheme: str | None = None, level: str = "city") -> dict:
    scheme = scheme or DEFAULT_SCHEMES[level]

    def compute():
        obs, regions, indicators = _tables()
        spec = engine.load_scheme(scheme)
        if spec.get("peers", {}).get("level") == "county" and not spec["peers"].get("parent"):
            # A county scheme without a parent is instantiated for the home city's counties.
            home = home_region()
            spec["peers"] = level_scope("county")
            spec["name"] = f"{home.name}{spec['name']}"
        result = engine.evaluate(spec, obs, regions, indicators, str(period), targets=frames.targets(),
                                 manual=frames.manual_scores(scheme), min_coverage=min_coverage())
        scope, unit = ("全市", "县区") if level == "county" else ("全省", "市州")
        summary = records(result.summary)
        for row in summary:  # 全省第3位（14个市州均已报送）
            cov = engine.Coverage(row["reported"], row["peer_count"], min_coverage())
            row["position"], row["coverage"] = cov.position(row["rank"], scope, unit), cov.text(unit)
        return {"summary": summary, "items": records(result.items),
                "scheme": {k: result.scheme.get(k) for k in ("code", "name", "year", "note")}}

    return cached("evaluate", period, {"scheme": scheme, "cov": settings.DIAODU_RANK_MIN_COVERAGE}, compute,
                  empty=lambda: {"summary": [], "items": [], "scheme": {"code": scheme, "name": "", "year": None,
                                                                        "note": "暂无数据"}})


def contributions(period: Period, region: str | None = None) -> list[dict]:
    region = region or home_code()

    def compute():
        obs, regions, indicators = _tables()
        frame = engine.sector_contribution(obs, indicators, str(period), region, regions=regions)
        return records(frame)

    return cached("contribution", period, {"region": region}, compute)


def backtest_summary(months: tuple[int, ...] = (6, 9, 10), min_history: int = 2) -> list[dict]:
    """The forecast's track record. The demo holds 2018-2021, so two earlier
    years is all the history a backtested year (2020) can have."""

    def compute():
        obs, regions, indicators = _tables()
        frame = engine.backtest(obs, indicators, months=list(months), regions=regions, min_history=min_history)
        rows = records(frame)
        # The pooled coverage over every month and measure, weighted by the number of checks.
        pooled = [r for r in rows if r["indicator"] == "全部" and r["n"]]
        n = sum(r["n"] for r in pooled)
        if n:
            rows.append({"month": "全部", "measure": "全部", "indicator": "全部", "n": n,
                         "coverage": sum(r["coverage"] * r["n"] for r in pooled) / n, "mae": None, "mae_unit": ""})
        return rows

    return cached("backtest", "all", {"months": "-".join(map(str, months)), "min": min_history}, compute)


SERIES_RULE = ("本年与上年各月累计增速取自已发布数据（1-n月累计）；目标增速取自年度目标；"
               "季度指标只有季末数据。")


def series(period: Period, region: str, indicator: str) -> dict:
    """This year's and last year's monthly cumulative figures of one unit and indicator, with the
    year's target: the line chart of the indicator page."""
    period = Period.parse(str(period))

    def compute():
        obs = _tables()[0]
        rows = obs[(obs["region"] == region) & (obs["indicator"] == indicator)
                   & obs["year"].isin([period.year, period.year - 1])].sort_values(["year", "month"])
        targets = frames.targets()
        target = targets[(targets["region"] == region) & (targets["indicator"] == indicator)
                         & (targets["year"] == period.year)]
        out = {"region": region, "indicator": indicator, "year": period.year, "this_year": [], "last_year": [],
               "target_growth": None, "target_total": None, "sources": [], "rule": SERIES_RULE}
        for row in records(rows[["year", "month", "value", "growth"]]):
            key = f"{region}/{indicator}/{row['year']:04d}-{row['month']:02d}"
            if row["year"] == period.year and row["month"] > period.month:
                continue
            bucket = "this_year" if row["year"] == period.year else "last_year"
            out[bucket].append({"month": row["month"], "value": row["value"], "growth": row["growth"], "key": key})
            out["sources"].append(key)
        if len(target):
            first = records(target[["total", "growth"]])[0]
            out["target_total"], out["target_growth"] = first["total"], first["growth"]
        return out

    return cached("series", period, {"region": region, "indicator": indicator}, compute)


def peer_level(region: str) -> str:
    """``county`` for a county of the home city, else ``city`` (the province's cities)."""
    return "county" if Region.objects.home_counties().filter(code=region).exists() else "city"


def simulation(period: Period, region: str, indicator: str, measure: str = "growth") -> list[dict]:
    """争先进位测算 for one unit and indicator: for every rank k, the year-end result it needs
    among its peers (the province's cities, or the home city's counties), from the peers'
    year-end forecasts (:func:`forecasts`) and :func:`diaodu.engine.required_for_rank`."""
    level = peer_level(region)

    def compute():
        obs, regions, indicators = _tables()
        rows = [r for r in forecasts(period, level, indicator) if r["measure"] == measure]
        if not rows:
            return []
        scope = level_scope(level)
        peers = list(regions.loc[(regions["level"] == scope["level"]) & (regions["parent"] == scope["parent"]), "code"])
        if region not in peers:
            return []
        obs = obs[(obs["indicator"] == indicator) & (obs["region"] == region)]
        frame = engine.required_for_rank(pd.DataFrame(rows), region, indicator, peers, indicators, measure=measure,
                                         observations=obs, period=str(period), regions=regions)
        own = next((r for r in rows if r["region_code"] == region), None)
        current = [r["sources"][0] for r in rows if r["region_code"] in peers and r.get("sources")]
        sources = list(dict.fromkeys((own["sources"] if own else []) + current))
        out = records(frame)
        for row in out:
            row["sources"] = sources
            row["forecast_rule"] = own["rule"] if own else ""
        return out

    return cached("simulation", period, {"region": region, "indicator": indicator, "measure": measure}, compute)


def overtakes(period: Period, indicator: str = "gdp", region: str | None = None, measure: str = "value") -> list[dict]:
    """Peers of the home city (or ``region``) ahead of it on ``indicator`` at ``period``, with how many
    earlier years each had been behind it: "GDP近3年来首次被定西超越" (:func:`diaodu.engine.overtake.overtaken`)."""
    from diaodu.engine.overtake import overtaken

    region = region or home_code()

    def compute():
        obs, regions, indicators = _tables()
        scope = level_scope(peer_level(region))
        peers = list(regions.loc[(regions["level"] == scope["level"]) & (regions["parent"] == scope["parent"]), "code"])
        frame = overtaken(obs, indicators, str(period), region, peers, indicator, regions=regions, measure=measure)
        return records(frame)

    return cached("overtake", period, {"region": region, "indicator": indicator, "measure": measure}, compute)
