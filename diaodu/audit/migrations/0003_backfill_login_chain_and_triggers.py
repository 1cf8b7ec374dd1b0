"""Hash-chain the login records written before the chain existed, then install
the triggers that refuse UPDATE and DELETE of audit rows (SQL frozen here;
``diaodu.audit.triggers`` re-ensures the same triggers after every migrate)."""

import hashlib
import json

from django.db import migrations

TABLES = ("audit_changerecord", "audit_loginrecord", "audit_chainanchor")
MESSAGE = "审计记录只能追加，不能修改或删除"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION diaodu_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = '{MESSAGE}（' || TG_TABLE_NAME || '）', ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""


def backfill(apps, schema_editor):
    LoginRecord = apps.get_model("audit", "LoginRecord")
    prev = ""
    for record in LoginRecord.objects.order_by("id").iterator():
        payload = json.dumps(
            [record.time.isoformat(), record.username, record.event, record.ip, record.user_agent, record.detail,
             prev],
            ensure_ascii=False, sort_keys=True, default=str,
        )
        digest = hashlib.sha256(payload.encode()).hexdigest()
        # The frozen model has no append-only guard; a plain UPDATE before the triggers exist.
        LoginRecord.objects.filter(pk=record.pk).update(prev_hash=prev, hash=digest)
        prev = digest


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(PG_FUNCTION)
            schema_editor.execute(
                f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION diaodu_audit_append_only()"
            )
            schema_editor.execute(
                f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION diaodu_audit_append_only()"
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_login_chain_and_anchors"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]
