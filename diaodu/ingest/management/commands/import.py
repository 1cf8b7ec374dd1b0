"""diaodu import FILE [--dry-run] [--json] [--publish] [--user U]"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from diaodu.cliutil import acting_user, print_json
from diaodu.indicators.actions import ConflictError
from diaodu.ingest.problems import IngestError
from diaodu.ingest.service import canonical_kind, import_file, known_kinds
from diaodu.org.scopes import ScopeError


class Command(BaseCommand):
    help = "导入数据、目标或县区主要经济指标宽表（.xlsx/.csv），全部成功才写入"
    # A clerk's file does not re-run the project's system checks (`diaodu check` and `serve` do):
    # they cost each run ~30 ms, a sixth of the import tests' time.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告将要发生的变化，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--publish", action="store_true",
                            help="导入即发布（需数据审核角色；四眼原则下须同时给出 --official-release）")
        parser.add_argument("--official-release", action="store_true",
                            help="导入统计局官方发布数据并直接发布（须 --reason，记入变更记录）")
        parser.add_argument("--user", help="操作人用户名（默认 DIAODU_USER）")
        parser.add_argument("--kind", help="文件类型（默认按表头自动识别）：" + "、".join(known_kinds())
                            + "；台账的旧名称（investment、fiscal…）仍可用")
        parser.add_argument("--period", help="宽表的期别 YYYY-MM（标题中没有时）")
        parser.add_argument("--reason", default="", help="导入原因，记入修订记录")
        parser.add_argument("--accept-warnings", action="store_true",
                            help="已核实合理性审核的警告，照常导入（警告记入变更记录）")

    def handle(self, *args, **opts):
        user = acting_user(opts["user"])
        if opts["kind"] and canonical_kind(opts["kind"]) is None:
            raise CommandError(f"未知的文件类型 {opts['kind']}：可选 {'、'.join(known_kinds())}")
        try:
            result = import_file(opts["file"], user, kind=opts["kind"], dry_run=opts["dry_run"],
                                 publish=opts["publish"] or opts["official_release"], reason=opts["reason"],
                                 source="import", period=opts["period"],
                                 official_release=opts["official_release"], accept_warnings=opts["accept_warnings"])
        except IngestError as exc:
            if opts["json"]:
                print_json({"created": 0, "updated": 0, "unchanged": 0,
                            "errors": [p.as_dict() for p in exc.problems]})
            else:
                sys.stderr.write(f"导入失败，共 {len(exc.problems)} 处问题，未写入任何数据：\n")
                for problem in exc.problems:
                    sys.stderr.write(f"  {problem}\n")
            raise SystemExit(1)
        except (ScopeError, ConflictError) as exc:
            raise CommandError(str(exc))
        if opts["json"]:
            print_json(result.as_dict())
            return
        if result.warnings:
            head = "合理性警告（导入时须加 --accept-warnings）" if result.dry_run else "已确认的合理性警告"
            self.stdout.write(f"{head} {len(result.warnings)} 处：")
            for problem in result.warnings[:50]:
                self.stdout.write(f"  {problem}")
        verb = "将" if result.dry_run else "已"
        self.stdout.write(
            f"{'试导入（未写入）' if result.dry_run else '导入完成'}：{result.rows} 行，"
            f"{verb}新增 {result.created}，{verb}更新 {result.updated}，未变 {result.unchanged}"
        )
