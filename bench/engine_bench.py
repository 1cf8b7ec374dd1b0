"""Benchmark of the engine on a generated national panel, against DuckDB in the same run.

    .venv/bin/python bench/engine_bench.py [--seed 0] [--years 10]

Generates 31 provinces, 333 cities and 2,844 counties; 30 indicators (the 18 of the catalogue
plus 12 monthly flows); 120 monthly periods: about 10 million observations. Then times a full
recompute by the engine — growth and total ranks within every peer group (siblings: same parent
and level) and period with rank changes against 上半年, pace against targets for every period,
year-end forecasts for the last period, and the province dual-dimension scheme for every
province's cities — and DuckDB computing only the growth ranks with a window function over the
same data. Prints both times, their ratio (target ≤ 3) and the peak memory (target ≤ 4 GB).

Most of the engine's time on a VM whose host reclaims freed guest memory is the first touch of
fresh pages (glibc hands arrays over 32 MB back to the kernel when they are freed), so timings
vary from run to run with the machine's memory state. To see the computation alone, keep freed
memory in the process: ``MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 python bench/…``
(DuckDB keeps its own memory either way).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diaodu.engine import Panel, evaluate, forecast, gap, load_catalogue, rank, sibling_groups  # noqa: E402
from diaodu.engine.periods import QUARTERLY  # noqa: E402

N_PROVINCES, N_CITIES, N_COUNTIES = 31, 333, 2844


def make_regions(rng: np.random.Generator) -> pd.DataFrame:
    provinces = [f"{11 + p:02d}0000" for p in range(N_PROVINCES)]
    city_parent = np.sort(rng.integers(0, N_PROVINCES, N_CITIES))
    cities, counties, city_of = [], [], []
    for p in range(N_PROVINCES):
        for k, _ in enumerate(np.flatnonzero(city_parent == p)):
            cities.append((f"{11 + p:02d}{k + 1:02d}00", provinces[p]))
    county_parent = np.sort(rng.integers(0, len(cities), N_COUNTIES))
    for c, (code, _) in enumerate(cities):
        for k, _ in enumerate(np.flatnonzero(county_parent == c)):
            counties.append((f"{code[:4]}{k + 1:02d}", code))
            city_of.append(c)
    rows = [(p, f"省{p[:2]}", "province", None) for p in provinces]
    rows += [(c, f"市{c[:4]}", "city", parent) for c, parent in cities]
    rows += [(c, f"县{c}", "county", parent) for c, parent in counties]
    return pd.DataFrame(rows, columns=["code", "name", "level", "parent"])


def make_indicators() -> pd.DataFrame:
    cat = load_catalogue().reset_index(drop=True)
    extra = pd.DataFrame([{"code": f"extra_{k:02d}", "name": f"附加指标{k}", "unit": "亿元", "frequency": "monthly",
                           "kind": "flow", "price_basis": "current", "polarity": 1, "additive": True, "first_month": 2}
                          for k in range(30 - len(cat))])
    return pd.concat([cat, extra], ignore_index=True).set_index("code", drop=False)


def make_observations(rng: np.random.Generator, regions: pd.DataFrame, indicators: pd.DataFrame,
                      first_year: int, n_years: int) -> pd.DataFrame:
    """Every region × indicator × publishing month: seasonal cumulative values, drifting growth."""
    n_r, n_i = len(regions), len(indicators)
    months = np.arange(1, 13)
    share = np.cumsum(np.r_[0.0, np.full(11, 1 / 11)])  # cumulative share by month (Jan+Feb together)
    share[0] = 0.0
    level = rng.uniform(10, 1000, (n_r, n_i, 1, 1)) * (1.06 ** np.arange(n_years))[None, None, :, None]
    noise = 1 + rng.normal(0, 0.02, (n_r, n_i, n_years, 12)).astype(np.float64)
    noise[..., 11] = 1
    value = level * share[None, None, None, :] * noise
    growth = rng.normal(7, 3, (n_r, n_i, n_years, 1)) + rng.normal(0, 0.8, (n_r, n_i, n_years, 12)).cumsum(axis=3) / 4
    quarterly = (indicators["frequency"] == QUARTERLY).to_numpy()
    first = indicators["first_month"].to_numpy()
    publishes = np.where(quarterly[:, None], months[None, :] % 3 == 0, months[None, :] >= first[:, None])  # [I, 12]
    rate = (indicators["kind"] == "rate").to_numpy()
    value[:, rate] = np.nan
    mask = np.broadcast_to(publishes[None, :, None, :], value.shape).reshape(-1)
    r, i, y, m = (a.reshape(-1)[mask] for a in np.meshgrid(
        np.arange(n_r, dtype=np.int32), np.arange(n_i, dtype=np.int16), np.arange(n_years, dtype=np.int16),
        np.arange(12, dtype=np.int8), indexing="ij", copy=False))
    return pd.DataFrame({
        "region": pd.Categorical.from_codes(r, categories=regions["code"].astype(object)),
        "indicator": pd.Categorical.from_codes(i, categories=indicators["code"].astype(object)),
        "year": (first_year + y).astype(np.int16),
        "month": (m + 1).astype(np.int8),
        "value": value.reshape(-1)[mask],
        "growth": growth.reshape(-1)[mask],
    })


def make_targets(rng: np.random.Generator, regions: pd.DataFrame, indicators: pd.DataFrame,
                 first_year: int, n_years: int) -> pd.DataFrame:
    n = len(regions) * len(indicators) * n_years
    r, i, y = np.meshgrid(np.arange(len(regions)), np.arange(len(indicators)), np.arange(n_years), indexing="ij")
    return pd.DataFrame({
        "region": regions["code"].to_numpy(dtype=object)[r.reshape(-1)],
        "indicator": indicators["code"].to_numpy(dtype=object)[i.reshape(-1)],
        "year": first_year + y.reshape(-1),
        "total": rng.uniform(10, 2000, n),
        "growth": rng.normal(7, 1, n),
    })


def duckdb_growth_ranks(obs: pd.DataFrame, peers: pd.DataFrame) -> pd.DataFrame:
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.register("obs", obs)
    con.register("peers", peers[["group", "region"]])
    return con.execute(
        """
        SELECT o.region, o.indicator, o.year, o.month, p."group",
               rank() OVER (PARTITION BY p."group", o.indicator, o.year, o.month ORDER BY o.growth DESC) AS rank_growth
        FROM obs o JOIN peers p ON p.region = CAST(o.region AS VARCHAR)
        WHERE o.growth IS NOT NULL
        """
    ).df()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    first_year = 2012

    t = time.perf_counter()
    regions = make_regions(rng)
    indicators = make_indicators()
    obs = make_observations(rng, regions, indicators, first_year, args.years)
    targets = make_targets(rng, regions, indicators, first_year, args.years)
    peers = sibling_groups(regions)
    last = f"{first_year + args.years - 1}-10"
    print(f"generated {len(regions):,} regions ({N_PROVINCES} provinces, {N_CITIES} cities, {N_COUNTIES} counties), "
          f"{len(indicators)} indicators, {args.years * 12} months: {len(obs):,} observations, "
          f"{len(targets):,} targets in {time.perf_counter() - t:.1f} s")

    # the baseline first; keep a sample of its ranks to check the engine against
    t1 = time.perf_counter()
    ddb = duckdb_growth_ranks(obs, peers)
    baseline = time.perf_counter() - t1
    n_ddb = len(ddb)
    sample = ddb.sample(2000, random_state=0)
    sample = sample.assign(region=sample["region"].astype(str), indicator=sample["indicator"].astype(str))
    del ddb

    # the engine: each result is released once counted, as a recompute that stores it would
    t0 = time.perf_counter()
    panel = Panel.from_frame(obs)
    t_panel = time.perf_counter()
    ranks = rank(panel, regions, indicators, None, peer_groups=peers, compare="h1",
                 measures=("growth", "total"), gaps=False, trace=False)
    t_rank = time.perf_counter()
    check = ranks.loc[ranks["rank_growth"].notna(), ["region_code", "indicator", "year", "month", "rank_growth"]]
    n_ranks, n_ranked = len(ranks), len(check)
    merged = sample.merge(check.astype({"region_code": str, "indicator": str}).rename(columns={"region_code": "region"}),
                          on=["region", "indicator", "year", "month"])
    del ranks, check
    t_check = time.perf_counter()
    pace = gap(panel, targets, indicators, None, trace=False)
    n_pace = len(pace)
    del pace
    t_pace = time.perf_counter()
    fc = forecast(panel, indicators, last, trace=False)
    t_fc = time.perf_counter()
    city_groups = peers[peers["group"].str.endswith(":city")]
    ev = evaluate("province_dual_2021", panel, regions, indicators, last, peer_groups=city_groups)
    t_end = time.perf_counter()
    engine = t_end - t0 - (t_check - t_rank)

    assert n_ranked == n_ddb, (n_ranked, n_ddb)
    assert len(merged) == len(sample) and (merged["rank_growth_x"] == merged["rank_growth_y"]).all(), \
        "engine and DuckDB ranks differ"

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"engine full recompute: {engine:.2f} s "
          f"(panel {t_panel - t0:.2f}, ranks+changes {t_rank - t_panel:.2f} [{n_ranks:,} rows], "
          f"pace {t_pace - t_check:.2f} [{n_pace:,} rows], forecasts {t_fc - t_pace:.2f} [{len(fc):,} rows], "
          f"dual scheme {t_end - t_fc:.2f} [{len(ev.summary):,} units])")
    print(f"duckdb growth ranks only (window function): {baseline:.2f} s [{n_ddb:,} rows]")
    print(f"ratio engine / duckdb: {engine / baseline:.2f} (target <= 3)")
    print(f"peak memory: {peak:.2f} GB (target <= 4)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (timings are wall clock)")


if __name__ == "__main__":
    main()
