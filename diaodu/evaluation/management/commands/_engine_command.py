"""The shared shape of `diaodu rank|forecast|gap|evaluate|backtest`: --period,
--level, --indicator, --json; a readable table otherwise; errors in one sentence."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from diaodu.cliutil import print_json
from diaodu.core.parsing import period_type
from diaodu.engine.periods import Period, PeriodError
from diaodu.evaluation.compute import LEVELS


class EngineCommand(BaseCommand):
    columns: list[tuple[str, str]] = []  # (field, Chinese header) for the text table
    needs_period = True

    def add_arguments(self, parser):
        if self.needs_period:
            parser.add_argument("--period", required=True, type=period_type,
                                help="期别，例如 2021-10、2021年10月、2021年1-10月")
        parser.add_argument("--level", choices=LEVELS, default="city", help="city：全省市州；county：本市县区")
        parser.add_argument("--indicator", help="指标代码，例如 gdp")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def period(self, opts) -> Period:
        if isinstance(opts["period"], Period):
            return opts["period"]
        try:
            return Period.parse(opts["period"])
        except PeriodError as exc:
            raise CommandError(str(exc))

    def check_indicator(self, code):
        from diaodu.indicators.models import Indicator

        if code and not Indicator.objects.filter(code=code).exists():
            raise CommandError(f"未知的指标代码“{code}”")

    def output(self, rows: list[dict], opts, *, payload=None) -> None:
        if opts["json"]:
            print_json(payload if payload is not None else rows)
            return
        if not rows:
            self.stdout.write("没有结果（该期别没有已发布的数据）。")
            return
        headers = [label for _, label in self.columns]
        lines = [headers]
        for row in rows:
            lines.append([_fmt(row.get(field)) for field, _ in self.columns])
        widths = [max(_width(line[i]) for line in lines) for i in range(len(headers))]
        for line in lines:
            self.stdout.write("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(line)).rstrip())


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, list):
        return f"{len(value)}项"
    return str(value)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
