"""Import benchmark (issue 2, "Must show").

1. Generates a canonical figures .xlsx of ``--rows`` distinct figures (100,000
   by default), imports it with the real code path
   (``diaodu.ingest.service.import_file(..., publish=True)``) into a fresh
   temporary SQLite database, and compares the import time with the time
   python-calamine alone takes to read the same file. Target: ratio <= 4, with the
   validation rules on (``--compare-rules`` also measures the import without them).
2. In a child process (so the first part's memory does not count), generates
   a CSV of ``--csv-rows`` figures (1,000,000 by default), imports it into its
   own fresh database and reports the child's peak memory. Target: <= 1 GB.

Everything is written under a temporary directory that is removed afterwards
(``--keep`` keeps it); the developer's var/ database is never touched.

    .venv/bin/python bench/import_bench.py                 # the full bench
    .venv/bin/python bench/import_bench.py --rows 20000 --csv-rows 100000
    .venv/bin/python bench/import_bench.py --profile       # cProfile the xlsx import

The xlsx part runs ``--runs`` times (3), each in a fresh process and
database, and the best run's ratio counts: other work on the machine only
ever makes a run slower. Each run also prints the ratio of CPU times, which a
busy machine disturbs less than wall-clock time. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RATIO_TARGET = 4.0
MEMORY_TARGET_MB = 1024.0
HEADER = ["区划代码", "单位名称", "指标代码", "期别", "累计值", "累计增速(%)", "备注"]
FIRST_YEAR = 2006  # figures run from here to LAST_YEAR; regions are added until the rows fit
LAST_YEAR = 2025
SYNTHETIC_PER_CITY = 99  # county codes XXXX01..XXXX99 below each 市州 not already taken


# --- set-up ------------------------------------------------------------------

def setup_django(workdir: Path, db_name: str) -> None:
    """Point Diaodu at a fresh SQLite file under ``workdir`` and migrate it."""
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / db_name}"  # sqlite:////abs/path
    os.environ["DIAODU_HOME"] = str(workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "diaodu.settings"
    os.environ.pop("DIAODU_DEMO", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def figure_slots():
    """(regions, per-region slots) where a slot is (indicator code, 'YYYY-MM')."""
    from diaodu.engine.periods import Period
    from diaodu.indicators.models import Indicator

    slots = []
    for indicator in Indicator.objects.order_by("order", "code"):
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for month in range(1, 13):
                if indicator.publishes(Period(year, month)):
                    slots.append((indicator.code, f"{year:04d}-{month:02d}"))
    return slots


def ensure_regions(count: int) -> list[tuple[str, str]]:
    """At least ``count`` regions as (code, name): the shipped ones, then
    synthetic counties below each 市州 (bench database only)."""
    from diaodu.org.models import Region

    regions = list(Region.objects.order_by("code").values_list("code", "name"))
    if len(regions) >= count:
        return regions[:count]
    taken = {code for code, _ in regions}
    cities = list(Region.objects.filter(level=Region.Level.CITY).order_by("code"))
    new = []
    for number in range(1, SYNTHETIC_PER_CITY + 1):
        for city in cities:
            code = f"{city.code[:4]}{number:02d}"
            if code in taken:
                continue
            new.append(Region(code=code, name=f"{city.short_name}测试县{number:02d}", short_name=f"{city.short_name}测{number:02d}",
                              level=Region.Level.COUNTY, parent=city, order=1000 + len(new)))
            if len(regions) + len(new) >= count:
                break
        if len(regions) + len(new) >= count:
            break
    if len(regions) + len(new) < count:
        raise SystemExit(f"bench: cannot make {count} regions (at most {len(regions) + len(new)}); use fewer rows")
    Region.objects.bulk_create(new)
    return [(r.code, r.name) for r in [*Region.objects.order_by("code")]][:count]


def region_levels() -> dict[str, str]:
    from diaodu.org.models import Region

    return dict(Region.objects.values_list("code", "level"))


def set_rules(active: bool) -> None:
    """The shipped validation rules on (the default) or off (to measure what they cost)."""
    from diaodu.indicators.models import ValidationRule

    ValidationRule.objects.update(active=active)


def make_user():
    """An approver of the city statistics bureau (department scope: every region)."""
    from django.contrib.auth import get_user_model

    from diaodu.org.models import Department, Profile, Role
    from diaodu.org.setup import setup_city

    setup_city("621200")  # the city's departments come from setup-city (the bench database only)
    user = get_user_model().objects.create_user(username="bench", password="Bench#pass2021")
    Profile.objects.create(user=user, department=Department.objects.get(code="tjj"),
                           roles=[str(Role.APPROVE), str(Role.ENTER)])
    return get_user_model().objects.get(pk=user.pk)


LEVEL_BASE = {"province": 1_000_000.0, "city": 10_000.0, "county": 10.0}


def generate_rows(total: int):
    """``total`` distinct canonical rows, deterministic, and plausible enough to pass the shipped
    validation rules (the import checks them): cumulative values rise through each year, the growth
    is last year's same period's value compounded (so it agrees with the values), steady within a
    year and near the unit's own level, and a county is far smaller than its city."""
    slots = figure_slots()
    regions = ensure_regions(math.ceil(total / len(slots)))
    levels = region_levels()
    rng = random.Random(2021)
    produced = 0
    for code, name in regions:
        trend: dict[str, float] = {}  # per indicator: the unit's own usual growth
        yearly: dict[tuple[str, int], float] = {}  # per indicator and year: that year's growth
        for indicator, period in slots:
            if produced >= total:
                return
            year, month = int(period[:4]), int(period[5:])
            if indicator not in trend:
                trend[indicator] = rng.uniform(2, 12)
            if (indicator, year) not in yearly:
                yearly[(indicator, year)] = round(trend[indicator] + rng.uniform(-3, 3), 1)
            growth = yearly[(indicator, year)]
            level = LEVEL_BASE.get(levels.get(code, "county"), 10.0)
            compounded = math.prod(1 + yearly.get((indicator, y), 0.0) / 100 for y in range(FIRST_YEAR + 1, year + 1))
            value = round(level * compounded * month / 12, 6)
            note = "快报" if rng.random() < 0.05 else ""
            shape = rng.random()
            if shape < 0.05:  # some figures only have a growth rate, some only a total
                value = None
            elif shape < 0.10:
                growth = None
            yield [code, name, indicator, period, value, growth, note]
            produced += 1


def write_xlsx(path: Path, total: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("数据")
    sheet.append(HEADER)
    for row in generate_rows(total):
        sheet.append(row)
    workbook.save(path)


def write_csv(path: Path, total: int) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in generate_rows(total):
            writer.writerow(["" if c is None else c for c in row])


def check_database(expected: int) -> None:
    from diaodu.indicators.models import Observation, Revision

    observations, revisions = Observation.objects.count(), Revision.objects.count()
    if observations != expected or revisions != expected:
        raise SystemExit(f"bench: expected {expected} observations and revisions, found {observations} / {revisions}")


# --- the two parts ---------------------------------------------------------

def xlsx_part(workdir: Path, rows: int, profile: bool, repeat: int, run: int, rules: bool = True) -> dict:
    setup_django(workdir, f"bench_xlsx_{run}{'' if rules else '_norules'}.sqlite3")
    set_rules(rules)
    import python_calamine

    from diaodu.ingest.service import import_file

    path = workdir / "figures.xlsx"
    if path.exists():  # an earlier run wrote it; this database needs the same regions
        ensure_regions(math.ceil(rows / len(figure_slots())))
    else:
        started = time.perf_counter()
        write_xlsx(path, rows)
        print(f"generated {path.name}: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
    user = make_user()

    calamine_times, calamine_cpus = [], []
    for _ in range(max(repeat, 1)):
        started, cpu = time.perf_counter(), time.process_time()
        data = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        calamine_times.append(time.perf_counter() - started)
        calamine_cpus.append(time.process_time() - cpu)
        assert len(data) == rows + 1
        del data
    calamine, calamine_cpu = min(calamine_times), min(calamine_cpus)

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    result = import_file(path, user, publish=True, reason="bench", official_release=True)
    imported, imported_cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    if result.created != rows:
        raise SystemExit(f"bench: expected {rows} created, got {result.as_dict()}")
    check_database(rows)

    reimported = None
    if run == 0:
        # Idempotency (and the cost of the "nothing changed" path), for information.
        started = time.perf_counter()
        again = import_file(path, user, publish=True, reason="bench", official_release=True)
        reimported = time.perf_counter() - started
        if again.created or again.updated or again.unchanged != rows:
            raise SystemExit(f"bench: re-import changed something: {again.as_dict()}")
        check_database(rows)
    return {"rows": rows, "calamine": calamine, "import": imported, "reimport": reimported,
            "ratio": imported / calamine, "cpu_ratio": imported_cpu / calamine_cpu}


def csv_part(workdir: Path, rows: int) -> dict:
    setup_django(workdir, "bench_csv.sqlite3")
    from diaodu.ingest.service import import_file

    path = workdir / "figures.csv"
    started = time.perf_counter()
    write_csv(path, rows)
    print(f"generated {path.name}: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    user = make_user()
    set_rules(True)
    before = peak_mb()
    started = time.perf_counter()
    result = import_file(path, user, publish=True, reason="bench", official_release=True)
    imported = time.perf_counter() - started
    if result.created != rows:
        raise SystemExit(f"bench: expected {rows} created, got {result.as_dict()}")
    check_database(rows)
    return {"rows": rows, "import": imported, "peak_mb": peak_mb(), "peak_before_mb": before}


def peak_mb(who=resource.RUSAGE_SELF) -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(who).ru_maxrss * scale / 2**20


def run_child(workdir: Path, *args: str) -> dict:
    """One part in a fresh interpreter (its own database and memory); the
    child's last stdout line is JSON."""
    command = [sys.executable, str(Path(__file__).resolve()), "--workdir", str(workdir), *args]
    completed = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    lines = completed.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(line, flush=True)
    if completed.returncode != 0 or not lines:
        raise SystemExit(f"bench: the child {' '.join(args)} failed (exit {completed.returncode})")
    return json.loads(lines[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the .xlsx (default 100000; 0 skips)")
    parser.add_argument("--csv-rows", type=int, default=1_000_000, help="rows of the CSV (default 1000000; 0 skips)")
    parser.add_argument("--runs", type=int, default=3,
                        help="xlsx runs, each in a fresh process and database; the best ratio counts (default 3)")
    parser.add_argument("--repeat", type=int, default=3, help="calamine reads per run to take the best of (default 3)")
    parser.add_argument("--profile", action="store_true", help="cProfile the .xlsx import (one run)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--compare-rules", action="store_true",
                        help="also run the .xlsx part with the validation rules off and report both ratios")
    parser.add_argument("--without-rules", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--csv-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--xlsx-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.csv_child:
        print(json.dumps(csv_part(Path(args.workdir), args.csv_rows)))
        return 0
    if args.xlsx_child is not None:
        print(json.dumps(xlsx_part(Path(args.workdir), args.rows, args.profile, args.repeat, args.xlsx_child,
                                   rules=not args.without_rules)))
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="diaodu-bench-"))
    print(f"bench directory: {workdir}", flush=True)
    failed = False
    lines = []
    try:
        if args.csv_rows:
            csv_result = run_child(workdir, "--csv-child", "--csv-rows", str(args.csv_rows))
            peak = csv_result["peak_mb"]
            ok = peak <= MEMORY_TARGET_MB
            failed |= not ok
            lines.append(f"CSV  {csv_result['rows']:>9,} rows: import {csv_result['import']:7.2f} s "
                         f"({csv_result['rows'] / csv_result['import']:,.0f} rows/s), peak memory "
                         f"{peak:,.0f} MB (target <= {MEMORY_TARGET_MB:,.0f} MB)  {'PASS' if ok else 'FAIL'}")
        if args.rows:
            runs = []
            for run in range(1 if args.profile else max(args.runs, 1)):
                extra = ["--profile"] if args.profile else []
                result = run_child(workdir, "--xlsx-child", str(run), "--rows", str(args.rows),
                                   "--repeat", str(args.repeat), *extra)
                print(f"xlsx run {run + 1}: import {result['import']:.2f} s, calamine {result['calamine']:.2f} s, "
                      f"ratio {result['ratio']:.2f} (CPU time ratio {result['cpu_ratio']:.2f})", flush=True)
                runs.append(result)
            best = min(runs, key=lambda r: r["ratio"])
            ratios = ", ".join(f"{r['ratio']:.2f}" for r in runs)
            ok = best["ratio"] <= RATIO_TARGET
            failed |= not ok
            lines.append(f"XLSX {best['rows']:>9,} rows: import {best['import']:7.2f} s, calamine read "
                         f"{best['calamine']:.2f} s, ratio {best['ratio']:.2f} (best of {len(runs)}: "
                         f"{ratios}; target <= {RATIO_TARGET:g})  "
                         f"{'PASS' if ok else 'FAIL'}")
            lines.append(f"     CPU-time ratio of that run {best['cpu_ratio']:.2f} (less sensitive to a busy machine)")
            lines.append(f"     re-import of the same file: {runs[0]['reimport']:.2f} s, 0 created, 0 updated")
            lines.append("     (with the shipped validation rules on, as every import runs)")
            if args.compare_rules:
                bare = []
                for run in range(max(args.runs, 1)):
                    result = run_child(workdir, "--xlsx-child", str(run), "--rows", str(args.rows),
                                       "--repeat", str(args.repeat), "--without-rules")
                    print(f"xlsx run {run + 1} without rules: import {result['import']:.2f} s, "
                          f"ratio {result['ratio']:.2f}", flush=True)
                    bare.append(result)
                plain = min(bare, key=lambda r: r["ratio"])
                lines.append(f"     without validation rules: ratio {plain['ratio']:.2f} (import {plain['import']:.2f} s); "
                             f"the rules cost {best['import'] - plain['import']:.2f} s "
                             f"({(best['import'] / plain['import'] - 1) * 100:.0f}%)")
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print("\n== import bench ==")
    for line in lines:
        print(line)
    print("RESULT:", "FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
