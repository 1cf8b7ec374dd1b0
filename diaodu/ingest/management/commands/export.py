"""diaodu export figures|targets|template|<ledger slug> --out FILE [--period P] [--year Y]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from diaodu.core import ledgers
from diaodu.engine.periods import Period, PeriodError
from diaodu.ingest import exports

# name -> callable(path, period=, year=) -> rows written; the ledgers' come from their LedgerSpecs.
EXPORTERS = {
    "figures": lambda path, period=None, year=None: exports.export_figures(path, period),
    "targets": lambda path, period=None, year=None: exports.export_targets(path, year),
    "template": lambda path, period=None, year=None: exports.write_template(path) or 0,
}


def exporter(name: str):
    """The exporter by name (a ledger also by an earlier name: ``investment`` → ``deals``); None if none."""
    if name in EXPORTERS:
        return EXPORTERS[name]
    slug = ledgers.canonical(name)
    return ledgers.LEDGERS[slug].export if slug is not None else None


def choices() -> str:
    return "、".join([*EXPORTERS, *ledgers.LEDGERS])


class Command(BaseCommand):
    help = "导出数据（与导入格式相同）、目标或导入模板"
    requires_system_checks = []  # as `diaodu import`: `diaodu check` and `serve` run them

    def add_arguments(self, parser):
        parser.add_argument("what", help=f"导出类型：{choices()}（台账的旧名称 investment、fiscal… 仍可用）")
        parser.add_argument("--out", required=True, help="输出文件 .xlsx 或 .csv")
        parser.add_argument("--period", help="期别 YYYY-MM（数据）")
        parser.add_argument("--year", type=int, help="年度（目标）")

    def handle(self, *args, **opts):
        export = exporter(opts["what"])
        if export is None:
            raise CommandError(f"未知的导出类型 {opts['what']}：可选 {choices()}")
        period = None
        if opts["period"]:
            try:
                period = Period.parse(opts["period"])
            except PeriodError as exc:
                raise CommandError(str(exc))
        count = export(opts["out"], period=period, year=opts["year"])
        self.stdout.write(f"已导出 {count} 行到 {opts['out']}")
