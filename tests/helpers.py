"""Helpers shared by the tests: personas' factory and table checksums."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from io import StringIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from diaodu.org.models import Department, Profile, Region, Role

PASSWORD = "Test#pass2021"
# Most tests run for the demo's city (set up once per session in tests/conftest.py); the tests of
# another city (tests/newcity/test_new_city.py) set up their own.
TEST_CITY = "621200"


def make_user(username: str, unit: str, roles: list[str], *, staff: bool = False):
    User = get_user_model()
    user = User.objects.create_user(username=username, password=PASSWORD, is_staff=staff)
    region = Region.objects.filter(code=unit).first()
    department = None if region else Department.objects.get(code=unit)
    Profile.objects.create(user=user, region=region, department=department, roles=[str(r) for r in roles])
    return user


def make_personas() -> dict:
    """The personas of tests/conftest.py's ``personas`` fixture, by name."""
    return {
        "wudu": make_user("wudu", "621202", [Role.ENTER]),
        "kangxian": make_user("kangxian", "621224", [Role.ENTER]),
        "tongji": make_user("tongji", "tjj", [Role.APPROVE, Role.ENTER]),
        "tongji2": make_user("tongji2", "tjj", [Role.APPROVE]),
        "fgw": make_user("fgw", "fgw", [Role.ENTER]),
        "leader": make_user("leader", "621200", [Role.LEADER]),
        "admin": make_user("admin", "zfb", [Role.ADMIN], staff=True),
    }


def table_checksums() -> dict[str, str]:
    """A checksum of every row of every table the project owns (and auth/session),
    to prove a failed import changed nothing."""
    out = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table.startswith("django_migrations"):
                continue
            cols = [f.column for f in model._meta.local_concrete_fields]
            cursor.execute(
                f"SELECT {', '.join(connection.ops.quote_name(c) for c in cols)} FROM "
                f"{connection.ops.quote_name(table)} ORDER BY 1"
            )
            # repr of the whole result: one call per table (the region table alone has thousands of rows)
            out[table] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return out


# --- a demo database shared by a test module -------------------------------

def check_test_database() -> None:
    """Never load into (or flush) a real database."""
    name = str(connection.settings_dict["NAME"])
    assert "memorydb" in name or name.split("/")[-1].startswith("test"), f"不是测试数据库：{name}"


def restore_shipped_data() -> None:
    """What the data migrations ship (regions, the catalogue, the validation rules) and
    ``setup-city`` makes for the test city, after a flush emptied the test database."""
    from diaodu.indicators import shipped
    from diaodu.indicators.models import Indicator, ValidationRule
    from diaodu.org import loaders
    from diaodu.org.models import Region
    from diaodu.org.setup import setup_city

    loaders.load_country_regions(Region)
    setup_city(TEST_CITY)
    loaders.load_catalogue(Indicator)
    shipped.load_validation_rules(ValidationRule)
    shipped.load_indicator_departments(Indicator, Department.objects.all())


# A demo load (``diaodu demo --no-serve``: the whole demo and its precompute) costs tens of
# seconds, and each worker runs several modules over the same demo. On SQLite (the test database
# is in memory) the first load is copied, with the sqlite3 backup API, into an
# in-memory snapshot: a later module over the same demo gets a byte-for-byte copy of what that
# load committed. Likewise the shipped data as the first flush and restore_shipped_data left it:
# later modules end by copying it back, so no write a module made to the demo reaches the next
# one. Other databases (PostgreSQL) load, flush and restore every time, as before.
_SNAPSHOTS: dict[str, tuple[object, str]] = {}  # "demo" or "shipped" -> (copy, command output)


def in_memory_sqlite() -> bool:
    """Whether the test database is SQLite in memory (where the snapshots apply)."""
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def _snapshot(key: str, output: str = "") -> None:
    import sqlite3

    connection.ensure_connection()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    _SNAPSHOTS[key] = (copy, output)


def _restore(key: str) -> str:
    copy, output = _SNAPSHOTS[key]
    connection.ensure_connection()
    copy.backup(connection.connection)
    return output


def empty_caches() -> None:
    """Empty the in-memory caches (a Redis named by CACHE_URL is left alone)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for alias in caches:
        if isinstance(caches[alias], LocMemCache):
            caches[alias].clear()


# Whether the test database holds the demo a module loaded (load_demo until empty_demo). Its tests
# share the caches (tests/conftest.py, _empty_caches): each starts from the same committed demo,
# and what a test changes moves the data fingerprint the entries are keyed by (a publication's
# time), so an entry is as valid for the module's next test as for the server's next request.
_demo_loaded = False


def demo_is_loaded() -> bool:
    return _demo_loaded


def load_demo() -> str:
    """Commit the demo (``diaodu demo --no-serve``) into the test database, or copy in this
    worker's snapshot of the same load. Returns the command's output. The caller unblocks the
    database."""
    global _demo_loaded
    check_test_database()
    empty_caches()
    _demo_loaded = True
    if not Region.objects.exists():
        restore_shipped_data()
    if "demo" in _SNAPSHOTS and in_memory_sqlite():
        return _restore("demo")
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    if in_memory_sqlite():
        _snapshot("demo", out.getvalue())
    return out.getvalue()


def empty_demo() -> None:
    """Empty the test database back to the shipped data (a flush and restore_shipped_data, or a
    copy of what the first of them left)."""
    global _demo_loaded
    _demo_loaded = False
    empty_caches()
    if "shipped" in _SNAPSHOTS and in_memory_sqlite():
        _restore("shipped")
        return
    call_command("flush", interactive=False, verbosity=0)
    restore_shipped_data()
    if in_memory_sqlite():
        _snapshot("shipped")


@contextmanager
def demo_database(django_db_blocker):
    """Load the demo (``diaodu demo --no-serve``, which also precomputes) into the
    test database once for a module, commit it, and afterwards empty the database
    back to the shipped data for the next module. Yields the command's output."""
    with django_db_blocker.unblock():
        output = load_demo()
        try:
            yield output
        finally:
            empty_demo()


def web_login(client, username: str, password: str = PASSWORD, **extra):
    """Sign in through the login page (not the test client's shortcut): the lock,
    the second factor and the records all apply."""
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)
