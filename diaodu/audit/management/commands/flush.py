"""Django's flush, aware of the audit tables' triggers: refused where it would
delete audit records younger than the retention period, except in the test
runner (whose databases are thrown away)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections


def _in_tests() -> bool:
    from django.test.utils import _TestState

    return hasattr(_TestState, "saved_data")


class Command(flush.Command):
    def handle(self, **options):
        from diaodu.audit import triggers
        from diaodu.audit.models import ChangeRecord, LoginRecord
        from diaodu.audit.records import earliest_prunable_cutoff

        database = options["database"]
        connection = connections[database]
        if not _in_tests():
            cutoff = earliest_prunable_cutoff()
            for model in (ChangeRecord, LoginRecord):
                if model.objects.using(database).filter(time__gt=cutoff).exists():
                    raise CommandError("数据库中有未满保存期限的审计记录，flush 会删除它们，已拒绝。")
        with triggers.lifted(connection):
            super().handle(**options)
