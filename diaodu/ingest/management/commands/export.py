"""diaodu export figures|targets|template --out FILE [--period P] [--year Y]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from diaodu.engine.periods import Period, PeriodError
from diaodu.ingest import exports

# name -> callable(path, period=, year=) -> rows written. Ledger apps add theirs
# with ``register_exporter`` in their AppConfig.ready().
EXPORTERS = {
    "figures": lambda path, period=None, year=None: exports.export_figures(path, period),
    "targets": lambda path, period=None, year=None: exports.export_targets(path, year),
    "template": lambda path, period=None, year=None: exports.write_template(path) or 0,
}


def register_exporter(name: str, func) -> None:
    EXPORTERS[name] = func


class Command(BaseCommand):
    help = "导出数据（与导入格式相同）、目标或导入模板"

    def add_arguments(self, parser):
        parser.add_argument("what", help="figures、targets、template 或台账：" + "、".join(sorted(EXPORTERS)))
        parser.add_argument("--out", required=True, help="输出文件 .xlsx 或 .csv")
        parser.add_argument("--period", help="期别 YYYY-MM（数据）")
        parser.add_argument("--year", type=int, help="年度（目标）")

    def handle(self, *args, **opts):
        if opts["what"] not in EXPORTERS:
            raise CommandError(f"未知的导出类型 {opts['what']}：可选 {'、'.join(sorted(EXPORTERS))}")
        period = None
        if opts["period"]:
            try:
                period = Period.parse(opts["period"])
            except PeriodError as exc:
                raise CommandError(str(exc))
        count = EXPORTERS[opts["what"]](opts["out"], period=period, year=opts["year"])
        self.stdout.write(f"已导出 {count} 行到 {opts['out']}")
