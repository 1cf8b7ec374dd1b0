"""diaodu restore FILE --yes"""

from __future__ import annotations

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diaodu.audit.backup import BackupError, restore

log = logging.getLogger("diaodu.restore")


class Command(BaseCommand):
    help = "用备份文件替换当前数据库的全部内容（须加 --yes 确认）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="diaodu backup 生成的备份文件")
        parser.add_argument("--yes", action="store_true", help="确认用备份替换当前数据库")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not opts["yes"]:
            raise CommandError(f"恢复将用“{path}”替换当前数据库的全部内容（含备份之后的数据和审计记录）：确认请加 --yes。")
        try:
            kind = restore(path, opts["database"])
        except BackupError as exc:
            raise CommandError(str(exc))
        log.warning("database restored from %s", path)
        from diaodu.audit import anchor

        anchor.reset(f"从备份 {path} 恢复")  # the anchored heads described the database before the restore
        self.stdout.write(f"已从 {path} 恢复（{kind}）。请运行 diaodu audit verify 校验审计记录，必要时 diaodu migrate。")
