"""diaodu backup FILE"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diaodu.audit.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份当前数据库到文件（服务运行中也可；SQLite 在线备份，PostgreSQL 用 pg_dump 自定义格式）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        try:
            kind = backup(path, opts["database"])
        except BackupError as exc:
            raise CommandError(str(exc))
        size = path.stat().st_size
        self.stdout.write(f"已备份（{kind}）到 {path}，{size / 1048576:.1f} MB。")
