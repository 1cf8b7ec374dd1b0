"""Database triggers that refuse UPDATE and DELETE of audit rows.

Installed by migration 0003 and re-ensured after every ``migrate`` (a SQLite
table rebuild in a later migration drops a table's triggers). Only
``diaodu audit prune`` (older than the retention period, chain anchored) and
the test runner's flush lift them, inside one transaction.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction

TABLES = ("audit_changerecord", "audit_loginrecord", "audit_chainanchor")
MESSAGE = "审计记录只能追加，不能修改或删除"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION diaodu_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = '{MESSAGE}（' || TG_TABLE_NAME || '）', ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""


def create_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION diaodu_audit_append_only()",
            f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION diaodu_audit_append_only()",
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        ]
    return []


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
    return []


def install(connection) -> None:
    """Create the triggers if missing (idempotent)."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
        for table in TABLES:
            if table in existing:
                for sql in create_sql(connection.vendor, table):
                    cursor.execute(sql)


def remove(connection) -> None:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in TABLES:
            if table in existing:
                for sql in drop_sql(connection.vendor, table):
                    cursor.execute(sql)


@contextmanager
def lifted(connection):
    """Run a block with the triggers removed, in one transaction: either the
    block and the triggers' return both commit, or neither does."""
    with transaction.atomic(using=connection.alias):
        remove(connection)
        yield
        install(connection)


def installed(connection) -> bool:
    """Whether every audit table has its triggers (for tests and ``audit verify``)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'audit_%%'"
            )
            return cursor.fetchone()[0] >= 2 * len(TABLES)
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'")
            return cursor.fetchone()[0] >= 2 * len(TABLES)
    return False
