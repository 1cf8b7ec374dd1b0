"""Audit records: append-only at three layers (model, queryset, database
trigger), tamper-evident (hash chains on change and login records, verified by
`diaodu audit verify`), readable and exportable by 审计员 only, kept at least
six months (prune refuses younger records and leaves the chain verifiable)."""

from __future__ import annotations

import csv
import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from openpyxl import load_workbook

from diaodu.audit import triggers
from diaodu.audit.models import AppendOnlyError, ChainAnchor, ChangeRecord, LoginRecord
from diaodu.audit.records import record_change, record_login, verify_all, verify_chain, verify_login_chain
from tests.helpers import web_login


@pytest.fixture
def some_records(personas):
    user = personas["tongji"]
    for i in range(3):
        record_change(user, "update", object_type="indicators.observation", object_id=str(i),
                      object_repr=f"武都区 GDP 2021-{i + 1:02d}", before={"value": i}, after={"value": i + 1},
                      reason="更正")
    for event in ("login", "logout", "failed"):
        record_login(event, "wudu")
    return user


def run_verify():
    try:
        call_command("audit", "verify")
    except CommandError as exc:
        return str(exc)
    return ""


def test_model_and_queryset_refuse_change(some_records):
    record = ChangeRecord.objects.first()
    login = LoginRecord.objects.first()
    for obj in (record, login):
        with pytest.raises(AppendOnlyError):
            obj.save()
        with pytest.raises(AppendOnlyError):
            obj.delete()
    for model in (ChangeRecord, LoginRecord, ChainAnchor):
        with pytest.raises(AppendOnlyError):
            model.objects.all().update(hash="x")
        with pytest.raises(AppendOnlyError):
            model.objects.all().delete()


@pytest.mark.parametrize("sql", ["UPDATE {table} SET username = 'x'", "DELETE FROM {table}"])
@pytest.mark.parametrize("table", ["audit_changerecord", "audit_loginrecord"])
def test_database_refuses_raw_update_and_delete(some_records, table, sql):
    assert triggers.installed(connection)
    with pytest.raises(DatabaseError, match="审计记录只能追加"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.format(table=table))


def test_deleting_a_user_leaves_the_records(some_records):
    username = some_records.username
    some_records.delete()
    assert ChangeRecord.objects.filter(username=username).count() == 3


def test_verify_passes_on_intact_records(some_records):
    assert run_verify() == ""
    assert [r.bad for r in verify_all()] == [[], [], []]


def _tamper(sql, params):
    with triggers.lifted(connection), connection.cursor() as cursor:  # a DBA behind the app's back
        cursor.execute(sql, params)


def test_verify_names_the_first_edited_change_record(some_records):
    second = ChangeRecord.objects.order_by("id")[1]
    _tamper("UPDATE audit_changerecord SET after = %s WHERE id = %s", ['{"value": 99}', second.pk])
    message = run_verify()
    assert f"变更记录 #{second.pk} 哈希链校验未通过" in message
    assert verify_chain() == [second.pk]


def test_verify_finds_a_deleted_login_record(some_records):
    first, second, third = LoginRecord.objects.order_by("id")
    _tamper("DELETE FROM audit_loginrecord WHERE id = %s", [second.pk])
    assert verify_login_chain() == [third.pk]
    assert f"登录记录 #{third.pk}" in run_verify()


def test_verify_finds_a_forged_login_record(some_records):
    last = LoginRecord.objects.order_by("id").last()
    _tamper("UPDATE audit_loginrecord SET username = %s WHERE id = %s", ["someone", last.pk])
    assert verify_login_chain() == [last.pk]


def test_verify_exits_1_from_the_console(some_records, capsys):
    _tamper("UPDATE audit_changerecord SET reason = %s WHERE id = %s", ["篡改", ChangeRecord.objects.first().pk])
    from diaodu.cli import main

    with pytest.raises(SystemExit) as info:
        main(["audit", "verify"])
    assert info.value.code == 1
    assert "哈希链校验未通过" in capsys.readouterr().err


def test_verify_notices_missing_triggers(some_records):
    with transaction.atomic():
        triggers.remove(connection)
        assert "触发器" in run_verify()
        transaction.set_rollback(True)
    assert triggers.installed(connection)


# --- retention ------------------------------------------------------------------

def _records_at(moment, n=2):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        for i in range(n):
            record_change(None, "update", object_type="t", object_id=str(i), object_repr="旧记录")
            record_login("login", "old")


def test_prune_refuses_records_younger_than_six_months(some_records):
    too_recent = (timezone.localdate() - dt.timedelta(days=170)).isoformat()
    with pytest.raises(CommandError, match="至少 6 个月"):
        call_command("audit", "prune", "--before", too_recent, "--yes")
    with pytest.raises(CommandError, match="--yes"):
        call_command("audit", "prune", "--before", "2000-01-01")


def test_prune_keeps_the_chain_verifiable(db):
    now = timezone.now()
    _records_at(now - dt.timedelta(days=400), 3)
    _records_at(now - dt.timedelta(days=100), 2)
    before = (timezone.localdate() - dt.timedelta(days=300)).isoformat()
    call_command("audit", "prune", "--before", before, "--yes", "--user", "shenji")
    assert LoginRecord.objects.count() == 2
    assert ChangeRecord.objects.filter(object_repr="旧记录").count() == 2
    assert ChainAnchor.objects.count() == 2
    prune_record = ChangeRecord.objects.order_by("id").last()
    assert prune_record.after == {"change": 3, "login": 3} and "shenji" in prune_record.reason
    assert run_verify() == ""
    # Deleting the first kept record is still caught (it no longer links to the anchor).
    first_kept = LoginRecord.objects.order_by("id").first()
    _tamper("DELETE FROM audit_loginrecord WHERE id = %s", [first_kept.pk])
    assert verify_login_chain() == [LoginRecord.objects.order_by("id").first().pk]


def test_retention_setting_cannot_go_below_six_months(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DIAODU_AUDIT_RETENTION_MONTHS": "3", "DIAODU_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "diaodu", "check"], env=env, capture_output=True, text=True)
    assert result.returncode == 1 and "不能少于 6" in result.stderr


def test_longer_retention_is_honoured(db, settings):
    settings.DIAODU_AUDIT_RETENTION_MONTHS = 24
    with pytest.raises(CommandError, match="至少 24 个月"):
        call_command("audit", "prune", "--before", (timezone.localdate() - dt.timedelta(days=400)).isoformat(),
                     "--yes")


# --- export -------------------------------------------------------------------------

def test_export_command_xlsx_and_csv(some_records, tmp_path):
    call_command("audit", "export", "--out", str(tmp_path / "a.xlsx"))
    book = load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames == ["变更记录", "登录记录"]
    assert book["变更记录"].max_row == 4 and book["登录记录"].max_row == 4
    assert book["变更记录"]["H2"].value == '{"value": 0}'
    call_command("audit", "export", "--out", str(tmp_path / "l.csv"), "--kind", "login")
    rows = list(csv.reader((tmp_path / "l.csv").open(encoding="utf-8-sig")))
    assert rows[0][:4] == ["编号", "时间", "用户名", "事件"] and [r[3] for r in rows[1:]] == ["登录", "退出", "登录失败"]
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    call_command("audit", "export", "--out", str(tmp_path / "none.csv"), "--since", tomorrow)
    assert len(list(csv.reader((tmp_path / "none.csv").open(encoding="utf-8-sig")))) == 1


# --- the page ------------------------------------------------------------------------

def test_only_auditors_read_the_audit_page(personas, auditor, client):
    assert client.get("/audit/")["Location"].startswith("/accounts/login/")
    for name in ("admin", "leader", "tongji", "wudu"):
        client.force_login(personas[name])
        for url in ("/audit/", "/audit/?kind=login", "/audit/export.xlsx", "/audit/export.csv"):
            assert client.get(url).status_code == 403, (name, url)
    client.force_login(auditor)
    assert client.get("/audit/").status_code == 200


def test_admin_site_shows_audit_records_to_auditors_only(some_records, personas, auditor, client):
    client.force_login(personas["admin"])
    assert client.get("/admin/audit/changerecord/").status_code == 403
    auditor.is_staff = True
    auditor.save()
    client.force_login(auditor)
    assert client.get("/admin/audit/changerecord/").status_code == 200
    record = ChangeRecord.objects.first()
    assert client.post(f"/admin/audit/changerecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ChangeRecord.objects.filter(pk=record.pk).exists()


def test_audit_page_filters_and_downloads(some_records, auditor, client):
    web_login(client, "wudu", "Wrong#pass2021")
    client.force_login(auditor)
    page = client.get("/audit/", {"kind": "change", "user": "tongji"}).content.decode()
    assert "武都区 GDP 2021-01" in page and "共 3 条" in page
    assert "共 0 条" in client.get("/audit/", {"kind": "change", "user": "nobody"}).content.decode()
    logins = client.get("/audit/", {"kind": "login", "what": "failed"}).content.decode()
    assert "共 2 条" in logins and "登录失败" in logins
    response = client.get("/audit/export.csv", {"kind": "login", "what": "failed"})
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(response.content.decode("utf-8-sig").splitlines()))
    assert len(rows) == 3
    book = client.get("/audit/export.xlsx", {"kind": "change"})
    assert book.status_code == 200 and book.content[:2] == b"PK"
