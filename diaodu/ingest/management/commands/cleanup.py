"""diaodu cleanup: delete import previews nobody confirmed (run it daily, e.g. from cron)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from diaodu.ingest.previews import cleanup


class Command(BaseCommand):
    help = "删除过期未确认的导入预览文件（var/media/uploads 中超过预览有效期的文件）"

    def handle(self, *args, **opts):
        removed = cleanup()
        self.stdout.write(f"已删除 {len(removed)} 个过期的导入预览文件"
                          f"（超过 {settings.DIAODU_PREVIEW_MINUTES} 分钟未确认）。")
