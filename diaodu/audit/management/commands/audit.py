"""diaodu audit verify | export --out F.xlsx|csv [--since DATE] [--kind change|login] | prune --before DATE --yes"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from diaodu.audit import exports, records


def _date(raw: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"日期“{raw}”格式不对：请写成 YYYY-MM-DD，例如 2021-06-30。")
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


class Command(BaseCommand):
    help = "审计记录：verify 校验哈希链；export 导出（.xlsx/.csv）；prune 清理保存期限以前的记录"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验变更记录与登录记录的哈希链；断裂时退出码 1")
        export = sub.add_parser("export", help="导出审计记录")
        export.add_argument("--out", required=True, help="输出文件 .xlsx（两个工作表）或 .csv（一类记录）")
        export.add_argument("--since", help="只导出此日期（含）以后的记录，YYYY-MM-DD")
        export.add_argument("--kind", choices=["all", "change", "login"], default="all",
                            help="记录类别；.csv 默认 change")
        prune = sub.add_parser("prune", help="清理指定日期以前的记录（不少于保存期限，至少 6 个月）")
        prune.add_argument("--before", required=True, help="清理此日期以前的记录，YYYY-MM-DD")
        prune.add_argument("--user", default="", help="操作人（记入变更记录）")
        prune.add_argument("--yes", action="store_true", help="确认清理")

    def handle(self, *args, **opts):
        getattr(self, f"do_{opts['action']}")(opts)

    def do_verify(self, opts):
        from django.db import connection

        from diaodu.audit import triggers

        for report in records.verify_all():
            if report.bad:
                raise CommandError(
                    f"{report.label} #{report.bad[0]} 哈希链校验未通过：该记录被修改、删除或插入"
                    f"（共 {len(report.bad)} 处异常，首处 #{report.bad[0]}）。"
                )
            self.stdout.write(f"{report.label}：{report.count} 条，哈希链完整。")
        if not triggers.installed(connection):
            raise CommandError("审计表缺少防篡改触发器：请运行 diaodu migrate 恢复。")
        from diaodu.audit import anchor

        problems = anchor.check()
        if problems:
            raise CommandError("；".join(problems) + f"（锚点文件 {anchor.head_path()}）。")
        heads = anchor.read_heads()
        if heads:
            self.stdout.write("与库外锚点一致：" + "，".join(f"{k} #{v['id']}" for k, v in sorted(heads.items())) + "。")
        self.stdout.write("审计记录校验通过。")

    def do_export(self, opts):
        path = Path(opts["out"])
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError(f"输出文件“{path}”须为 .xlsx 或 .csv。")
        since = _date(opts["since"]) if opts["since"] else None
        counts = exports.export(path, kind=opts["kind"], since=since)
        labels = {"change": "变更记录", "login": "登录记录"}
        self.stdout.write(f"已导出到 {path}：" + "，".join(f"{labels[k]} {n} 条" for k, n in counts.items()))

    def do_prune(self, opts):
        before = _date(opts["before"])
        cutoff = records.earliest_prunable_cutoff()
        if before > cutoff:
            raise CommandError(
                f"审计记录须保存至少 {records.retention_months()} 个月：--before 不能晚于 {cutoff:%Y-%m-%d}。"
            )
        if not opts["yes"]:
            raise CommandError(f"将永久删除 {before:%Y-%m-%d} 以前的审计记录（保留哈希锚点）：确认请加 --yes。")
        try:
            results = records.prune(before, opts["user"] or "cli")
        except records.RetentionError as exc:
            raise CommandError(str(exc))
        labels = {"change": "变更记录", "login": "登录记录"}
        self.stdout.write("已清理：" + "，".join(f"{labels[r.chain]} {r.count} 条" for r in results)
                          + "；哈希链以锚点续接，diaodu audit verify 仍可校验。")
