"""Must show: the import process killed with SIGKILL at random points, N times →
the database is consistent and unchanged each time.

The real console script ``diaodu import FILE --user U --publish`` runs as a
subprocess against its own file database (SQLite in a temporary DIAODU_HOME;
on a PostgreSQL run — DATABASE_URL starting with postgres — a database
``<name>_crash`` created and dropped here), on a file of figures large enough
that the import's own work (after the console script has started) takes a good part of a second.
After a delay drawn with a fixed seed within that work (a kill during the script's start-up would
test only that Python can be killed) it is killed with SIGKILL; then the database must pass an integrity check,
every table's checksum must equal the one taken before the run (so the audit
chain, which ``diaodu audit verify`` checks once before the kills, is the one it verified). A last,
uninterrupted run succeeds, changes the checksums and still verifies, proving the checks can see a write.

The checksums are computed here with sqlite3 / psycopg directly, never through
the test run's own Django connection.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.helpers import TEST_CITY

KILLS = 6
SEED = 20211027
ROWS = 50_000
LATEST = 0.6  # of the dry run's work after start-up: the real import also commits, so it runs longer
# still; the margin also absorbs the other test worker's load easing between the dry run and a kill

CREATE_APPROVER = (
    "from django.contrib.auth.models import User; from diaodu.org.models import Department, Profile;"
    "u = User.objects.create_user('crash');"
    "Profile.objects.create(user=u, department=Department.objects.get(code='tjj'), roles=['approve', 'enter'])"
)

# Runs inside ``diaodu shell -c`` against the crash database: ROWS distinct,
# valid figures (every region × every period each indicator publishes), passing the blocking rules.
GENERATE = """
import csv, datetime, random
from diaodu.engine.periods import Period
from diaodu.indicators.models import Indicator
from diaodu.org.models import Region
rows, path = {rows}, {path!r}
last = datetime.date.today().year - 1
slots = [(i.code, f"{{y:04d}}-{{m:02d}}") for i in Indicator.objects.order_by("order", "code")
         for y in range(2010, last + 1) for m in range(1, 13) if i.publishes(Period(y, m))]
rng = random.Random(2021)
base = {{}}
with open(path, "w", newline="", encoding="utf-8-sig") as handle:
    out = csv.writer(handle)
    out.writerow(["区划代码", "单位名称", "指标代码", "期别", "累计值", "累计增速(%)", "备注"])
    n = 0
    for code, name in Region.objects.order_by("code").values_list("code", "name"):
        for indicator, period in slots:
            if n == rows:
                break
            # Values the blocking rules accept: rising through each year, and a county's far below any
            # city's (a county sum never tops its city); growth left blank (nothing to contradict).
            year, month = int(period[:4]), int(period[5:])
            level = 0 if code.endswith("0000") else 1 if code.endswith("00") else 2
            key = (code, indicator, year)
            if key not in base:
                base[key] = rng.uniform(*((1e6, 2e6), (1e5, 2e5), (1, 100))[level])
            out.writerow([code, name, indicator, period, round(base[key] * month, 2), "", ""])
            n += 1
assert n == rows, n
"""


def diaodu_script() -> str:
    found = Path(sys.executable).with_name("diaodu")
    return str(found) if found.exists() else shutil.which("diaodu")


# --- the crash database: SQLite file or a PostgreSQL database of its own ------

class SqliteTarget:
    vendor = "SQLite"
    def __init__(self, home: Path):
        self.path = home / "crash.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def create(self) -> None:
        pass

    def drop(self) -> None:
        pass

    def checksums(self) -> dict[str, str]:
        con = sqlite3.connect(self.path)
        try:
            tables = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            return {t: _digest(con.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}
        finally:
            con.close()

    def check_consistent(self) -> None:
        con = sqlite3.connect(self.path)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            con.close()

    def count(self, table: str) -> int:
        con = sqlite3.connect(self.path)
        try:
            return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        finally:
            con.close()

    def pending_write_bytes(self) -> int:
        """The size of the write-ahead log: grows while a transaction writes."""
        wal = self.path.with_name(self.path.name + "-wal")
        return wal.stat().st_size if wal.exists() else 0


class PostgresTarget:
    vendor = "PostgreSQL"
    def __init__(self, url: str):
        import psycopg

        self.psycopg = psycopg
        parts = urlsplit(url)
        # One database per pytest-xdist worker (gw0, gw1 …): two workers' crash tests run at once.
        self.name = f"{parts.path.lstrip('/') or 'diaodu'}_crash{os.environ.get('PYTEST_XDIST_WORKER', '')}"
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        self.admin_url = urlunsplit(parts._replace(path="/postgres"))

    def _admin(self, sql: str) -> None:
        with self.psycopg.connect(self.admin_url, autocommit=True) as con:
            con.execute(sql)

    def create(self) -> None:
        self.drop()
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def checksums(self) -> dict[str, str]:
        with self.psycopg.connect(self.url) as con:
            tables = [r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' ORDER BY table_name")]
            return {t: con.execute(f'SELECT md5(coalesce(string_agg(x::text, E\'\\n\' ORDER BY x::text), \'\')) '
                                   f'FROM "{t}" x').fetchone()[0] for t in tables}

    def check_consistent(self) -> None:
        # Autocommit: each look at pg_stat_activity in a transaction of its own, since a transaction
        # keeps the first snapshot it took (a backend still running when the first look came stayed
        # "alive" for every later look: the CI run of 14628ee failed so).
        with self.psycopg.connect(self.url, autocommit=True) as con:
            # The killed client's server process is gone with its transaction … once it notices: a
            # backend inside a statement finds the client gone only when the statement ends.
            deadline = time.monotonic() + 60
            while True:
                others = con.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                     "AND pid <> pg_backend_pid()").fetchone()[0]
                if not others or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            assert others == 0, ("the killed import's server process still holds a session: " + repr(con.execute(
                "SELECT backend_type, state, left(query, 80) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()").fetchall()))
            # … and no revision lost its figure nor a figure its first revision.
            orphans = con.execute(
                "SELECT (SELECT count(*) FROM indicators_revision r WHERE NOT EXISTS "
                "(SELECT 1 FROM indicators_observation o WHERE o.id = r.observation_id)) + "
                "(SELECT count(*) FROM indicators_observation o WHERE NOT EXISTS "
                "(SELECT 1 FROM indicators_revision r WHERE r.observation_id = o.id))").fetchone()[0]
            assert orphans == 0

    def count(self, table: str) -> int:
        with self.psycopg.connect(self.url) as con:
            return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]

    def pending_write_bytes(self) -> int:
        return -1  # not observable from outside


def _digest(rows) -> str:
    digest = hashlib.sha256()
    for text in sorted(repr(r) for r in rows):
        digest.update(text.encode())
    return digest.hexdigest()


@pytest.fixture
def crash_install(tmp_path):
    """A migrated crash database with one approver of the statistics bureau and
    a file of ROWS figures; yields (target, run, file)."""
    url = os.environ.get("DATABASE_URL", "")
    target = PostgresTarget(url) if url.startswith("postgres") else SqliteTarget(tmp_path)
    env = {**os.environ, "DIAODU_HOME": str(tmp_path), "DATABASE_URL": target.url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DIAODU_DEMO", None)

    def command(*argv) -> list[str]:
        return [diaodu_script(), *map(str, argv)]

    def run(*argv, timeout=180) -> subprocess.CompletedProcess:
        return subprocess.run(command(*argv), env=env, cwd=tmp_path, capture_output=True, text=True,
                              timeout=timeout)

    target.create()
    try:
        path = tmp_path / "figures.csv"
        for argv in (("migrate", "-v0"), ("setup-city", TEST_CITY), ("shell", "-c", CREATE_APPROVER),
                     ("shell", "-c", GENERATE.format(rows=ROWS, path=str(path)))):
            done = run(*argv)
            assert done.returncode == 0, done.stderr
        yield target, run, lambda *argv: subprocess.Popen(command(*argv), env=env, cwd=tmp_path,
                                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), path
    finally:
        target.drop()


def startup_duration(run) -> float:
    """How long the console script takes to start Django and open the database, doing nothing else."""
    started = time.perf_counter()
    done = run("shell", "-c", "from diaodu.org.models import Region; Region.objects.exists()")
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - started


def dry_run_duration(run, path) -> float:
    """How long an import of the file takes without writing (a dry run does all
    the work, writes included, then rolls back)."""
    started = time.perf_counter()
    done = run("import", path, "--user", "crash", "--official-release", "--reason", "统计局发布", "--accept-warnings", "--dry-run")
    duration = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert f"{ROWS} 行" in done.stdout
    return duration


@pytest.mark.slow
def test_import_killed_at_random_points_leaves_the_database_unchanged(crash_install, capsys):
    target, run, start, path = crash_install
    before = target.checksums()
    target.check_consistent()
    verify = run("audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr

    # The kills land after the start-up, within the time a dry run takes (the faster of two: other
    # work on the machine only ever slows a run down), short of its end so that no kill comes after
    # the commit.
    duration = min(dry_run_duration(run, path) for _ in range(2))
    startup = min(startup_duration(run) for _ in range(2))
    assert target.checksums() == before
    rng = random.Random(SEED)
    delays = sorted(rng.uniform(startup, startup + LATEST * (duration - startup)) for _ in range(KILLS))

    report = []
    for delay in delays:
        process = start("import", path, "--user", "crash", "--official-release", "--reason", "统计局发布", "--accept-warnings")
        time.sleep(delay)
        pending = target.pending_write_bytes()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        stderr = process.stderr.read().decode()
        process.stderr.close()
        assert process.returncode == -signal.SIGKILL, f"the import ended before the kill at {delay:.2f} s: {stderr}"

        target.check_consistent()
        after = target.checksums()
        changed = sorted(t for t in before if after.get(t) != before[t])
        assert changed == [], (f"killed at {delay:.2f} s (dry run {duration:.2f} s): {changed} changed, "
                               f"{target.count('indicators_observation')} of {ROWS} figures in the database")
        assert after == before
        report.append(f"{delay:.2f} s" + (" (writing)" if pending > 0 else ""))

    done = run("import", path, "--user", "crash", "--official-release", "--reason", "统计局发布", "--accept-warnings")
    assert done.returncode == 0, done.stderr
    assert f"{ROWS} 行" in done.stdout and f"新增 {ROWS}" in done.stdout
    target.check_consistent()
    assert target.checksums() != before
    assert run("audit", "verify").returncode == 0
    with capsys.disabled():
        print(f"\ncrash test ({target.vendor}): {KILLS} SIGKILLs of `diaodu import` ({ROWS:,} rows; dry run "
              f"{duration:.1f} s, of which {startup:.1f} s starting up) at "
              + ", ".join(report) + " → each time consistent, every checksum (the verified audit chain's too) unchanged; "
              "then an uninterrupted run wrote")
