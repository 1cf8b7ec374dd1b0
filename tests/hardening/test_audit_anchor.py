"""Finding 11: deleting the newest change record (database access, trigger
dropped) passed ``audit verify``: the chain's head is now anchored outside."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from diaodu.audit import triggers
from diaodu.audit.models import ChangeRecord
from diaodu.audit.records import record_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchored(settings, tmp_path):
    settings.DIAODU_AUDIT_HEAD_DIR = str(tmp_path / "audit")
    return tmp_path / "audit"


def test_a_truncated_tail_fails_verify(personas, anchored, capsys, django_capture_on_commit_callbacks):
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            record_change(personas["admin"], "update", personas["wudu"], after={"n": n}, reason="测试")
    call_command("audit", "verify")
    assert "与库外锚点一致" in capsys.readouterr().out
    newest = ChangeRecord.objects.order_by("-id").first()
    with triggers.lifted(connection), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ChangeRecord._meta.db_table} WHERE id = %s", [newest.pk])
    with pytest.raises(CommandError, match="尾部缺失"):
        call_command("audit", "verify")
    # A daily line is written beside the head (rotated monthly).
    assert list(anchored.glob("heads-*.log")) and list(anchored.glob("head-*.json"))


def test_a_restore_reanchors(personas, anchored, django_capture_on_commit_callbacks):
    from diaodu.audit import anchor

    with django_capture_on_commit_callbacks(execute=True):
        record_change(personas["admin"], "update", personas["wudu"], after={"n": 1}, reason="测试")
    with triggers.lifted(connection), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ChangeRecord._meta.db_table}")
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    anchor.reset("测试：从备份恢复")
    call_command("audit", "verify")
