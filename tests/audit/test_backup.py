"""diaodu backup FILE → changes → diaodu restore FILE --yes → every table's
checksum is what it was at the backup (on SQLite, and on PostgreSQL when
DATABASE_URL points there: the suite runs on both)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from diaodu.audit.records import record_change, record_login, verify_all
from diaodu.indicators import actions
from diaodu.org.models import Region, Role
from tests.helpers import make_user, restore_shipped_data, table_checksums

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def shipped_data(transactional_db):
    """A transactional test before this one may have flushed the shipped regions
    and catalogue (serialized_rollback clashes with content types re-created by the flush)."""
    if not Region.objects.exists():
        restore_shipped_data()


def _figures(user, value):
    actions.submit_figures(user, [actions.FigureInput("621202", "gdp", 2021, 9, value, 6.5, "")], reason="测试")


def test_backup_restore_gives_identical_tables(tmp_path, client):
    clerk = make_user("wudu", "621202", [Role.ENTER])
    _figures(clerk, 100.0)
    client.force_login(clerk)
    record_login("failed", "someone")
    before = table_checksums()
    path = tmp_path / "diaodu.backup"
    call_command("backup", str(path))
    assert path.stat().st_size > 0

    # Everything changes after the backup: figures, users, sessions, audit records.
    _figures(clerk, 101.0)
    make_user("kangxian", "621224", [Role.ENTER])
    record_change(clerk, "update", object_type="t", object_id="1", object_repr="备份之后")
    client.post("/accounts/logout/")
    changed = table_checksums()
    assert changed != before

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(path))
    call_command("restore", str(path), "--yes")
    after = table_checksums()
    assert sorted(k for k in before if before[k] != after.get(k)) == []
    assert after == before
    assert all(not r.bad for r in verify_all())
    # The restored database works as before (triggers included).
    _figures(clerk, 102.0)
    from diaodu.audit import triggers

    assert triggers.installed(connection)


def test_restore_refuses_a_file_of_the_other_kind(tmp_path, db):
    wrong = tmp_path / "x.backup"
    wrong.write_bytes(b"PGDMP" if connection.vendor == "sqlite" else b"SQLite format 3\x00" + b"\0" * 100)
    with pytest.raises(CommandError, match="不是"):
        call_command("restore", str(wrong), "--yes")
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "missing"), "--yes")
