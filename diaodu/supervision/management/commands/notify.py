"""diaodu notify [--dry-run]: queue the due and overdue reminders, then send the message queue."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from diaodu.supervision import notify
from diaodu.supervision.models import Notification, SupervisionSettings


class Command(BaseCommand):
    help = "发送督办通知：生成3天内到期、逾期提醒，并发送（重试）待发的邮件与群机器人消息"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计待发送的通知，不发送")

    def handle(self, *args, **opts):
        today = SupervisionSettings.today()
        queued = notify.enqueue_reminders(today)
        if opts["dry_run"]:
            pending = Notification.objects.filter(status=Notification.Status.PENDING).count()
            self.stdout.write(f"{today.isoformat()}：新增提醒 {queued} 条；待发送 {pending} 条（未发送）。")
            return
        result = notify.send_pending()
        self.stdout.write(f"{today.isoformat()}：新增提醒 {queued} 条；发送成功 {result.sent} 条，"
                          f"失败 {result.failed} 条（稍后重试），放弃 {result.gave_up} 条。")
        for item in Notification.objects.filter(status=Notification.Status.PENDING, attempts__gt=0)[:20]:
            self.stdout.write(f"  待重试：{item.channel.name} {item.title}（{item.last_error}）")
