"""Backup and restore of the configured database, consistent while the server runs.

SQLite: the online backup API (one step under a read lock: a snapshot of
committed data; WAL writers go on). PostgreSQL: ``pg_dump`` in custom format
(one repeatable-read snapshot); restore drops the current tables and loads
the dump through ``psql`` in one transaction: it ends identical or unchanged.
Both use the connection settings Django uses (in tests: the test database).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """Backup or restore failed; the message is one sentence for the user."""


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库类型 {vendor}：仅支持 SQLite 与 PostgreSQL。")
    return vendor


def backup(path: Path, alias: str = "default") -> str:
    """Write a backup of the database to ``path``; returns the kind written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        if _vendor(alias) == "sqlite":
            _sqlite_backup(tmp, alias)
        else:
            _pg_dump(tmp, alias)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return connections[alias].vendor


def restore(path: Path, alias: str = "default") -> str:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"备份文件“{path}”不存在。")
    head = path.open("rb").read(16)
    vendor = _vendor(alias)
    if vendor == "sqlite" and head != SQLITE_MAGIC:
        raise BackupError(f"“{path}”不是 SQLite 备份：当前数据库是 SQLite，请用 SQLite 库的 diaodu backup 文件。")
    if vendor == "postgresql" and not head.startswith(PG_MAGIC):
        raise BackupError(f"“{path}”不是 PostgreSQL 备份（pg_dump 自定义格式）：当前数据库是 PostgreSQL。")
    if vendor == "sqlite":
        _sqlite_restore(path, alias)
    else:
        _pg_restore(path, alias)
    return vendor


# --- SQLite ------------------------------------------------------------------

def _sqlite_backup(target: Path, alias: str) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)  # pages=-1: one step, one consistent snapshot
    finally:
        destination.close()


def _sqlite_restore(source_path: Path, alias: str) -> None:
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"备份文件“{source_path}”已损坏（SQLite 完整性检查未通过），未恢复。")
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "django_migrations" not in tables:
            raise BackupError(f"“{source_path}”不是调度平台的数据库备份，未恢复。")
        connection = connections[alias]
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("恢复不能在事务中进行。")
        source.backup(connection.connection)  # replaces every page of the live database at once
    finally:
        source.close()
    connections[alias].close()


# --- PostgreSQL ----------------------------------------------------------------

def _pg_env(alias: str) -> tuple[list[str], dict]:
    settings = connections[alias].settings_dict
    env = dict(os.environ)
    args = []
    if settings.get("HOST"):
        args += ["-h", settings["HOST"]]
    if settings.get("PORT"):
        args += ["-p", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["-U", settings["USER"]]
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    options = settings.get("OPTIONS") or {}
    for key, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                     ("sslkey", "PGSSLKEY"), ("passfile", "PGPASSFILE"), ("service", "PGSERVICE")):
        if options.get(key):
            env[var] = str(options[key])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端（Debian/Ubuntu：apt-get install postgresql-client）。")
    return found


def _run(command: list[str], env: dict, what: str, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, capture_output=True, **kwargs)
    if result.returncode != 0:
        detail = (result.stderr or b"").decode(errors="replace").strip().splitlines()
        raise BackupError(f"{what}失败：{detail[-1] if detail else '退出码 ' + str(result.returncode)}")
    return result


def _pg_dump(target: Path, alias: str) -> None:
    args, env = _pg_env(alias)
    name = connections[alias].settings_dict["NAME"]
    _run([_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges", "-f", str(target), name],
         env, "pg_dump 备份")


# Drops what a Diaodu database holds in its schema, so the restore leaves no
# table the backup did not have.
_PG_CLEAR = """
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
        EXECUTE 'DROP TABLE IF EXISTS ' || quote_ident(r.tablename) || ' CASCADE';
    END LOOP;
    FOR r IN SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() LOOP
        EXECUTE 'DROP SEQUENCE IF EXISTS ' || quote_ident(r.sequencename) || ' CASCADE';
    END LOOP;
END $$;
DROP FUNCTION IF EXISTS diaodu_audit_append_only() CASCADE;
"""


def _pg_restore(source: Path, alias: str) -> None:
    args, env = _pg_env(alias)
    name = connections[alias].settings_dict["NAME"]
    script = _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "-f", "-", str(source)], env,
                  "读取备份（pg_restore）").stdout
    for connection in connections.all():
        connection.close()  # no session of ours holds a lock on a table being replaced
    with tempfile.NamedTemporaryFile("wb", suffix=".sql") as sql:
        sql.write(_PG_CLEAR.encode())
        sql.write(script)
        sql.flush()
        _run([_tool("psql"), *args, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-d", name,
              "-f", sql.name], env, "恢复（psql）")
