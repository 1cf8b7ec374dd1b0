"""diaodu brief KIND [--period YYYY-MM] --out FILE [--pdf] [--json]

KIND: economy, evaluation, table, weak, speech, projects (重点项目和招商引资), enterprise-fiscal (工业企业和
财政), supervision, pack. The output format follows the
file's suffix (.docx, .xlsx, .txt, .json; .zip for pack). ``--json`` prints every number of the
document with its source (compute function, arguments, row keys, field). ``--pdf`` also converts
a .docx to PDF with LibreOffice.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diaodu.briefings import build
from diaodu.briefings.pdf import PdfError, to_pdf
from diaodu.core.parsing import parse_period
from diaodu.engine.periods import Period, PeriodError
from diaodu.evaluation import compute
from diaodu.indicators.releases import latest_released_period


class Command(BaseCommand):
    help = ("通报与讲话：经济运行情况通报、县区评价通报、县区指标表、短板弱项、讲话稿数据部分、重点项目和招商引资通报、"
            "工业企业和财政通报、督查通报、会前材料包")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(build.KINDS), help="；".join(f"{k}：{v}" for k, v in build.KINDS.items()))
        parser.add_argument("--period", help="期别 YYYY-MM（默认最新一期已发布数据）")
        parser.add_argument("--out", help="输出文件：.docx / .xlsx / .txt / .json（pack 为 .zip）")
        parser.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 转换为 PDF（.docx 输出时）")
        parser.add_argument("--json", action="store_true", help="在标准输出列出文中每个数字及其来源")
        parser.add_argument("--date", help="成文日期 YYYY-MM-DD（默认：期别次月15日；督查通报为今天）")

    def handle(self, *args, **opts):
        kind = opts["kind"]
        period = self._period(opts.get("period"), kind)
        date = self._date(opts.get("date"))
        out = Path(opts["out"]) if opts.get("out") else None
        if out is None and not opts["json"]:
            raise CommandError("请用 --out 指定输出文件，例如 --out 通报.docx")
        if kind == "pack":
            if out is None or out.suffix.lower() != ".zip":
                raise CommandError("会前材料包输出为 .zip，例如 --out 会前材料.zip")
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(out.name + ".part")
            tmp.write_bytes(build.pack(period, date))
            tmp.replace(out)
            self.stdout.write(f"已生成 {out}（{period.full_label()}会前材料包）")
            return
        fmt = out.suffix.lower().lstrip(".") if out else "json"
        if fmt not in build.FORMATS[kind]:
            raise CommandError(f"{build.KINDS[kind]}支持的格式：{'、'.join('.' + f for f in build.FORMATS[kind])}")
        try:
            with compute.snapshot():
                doc = build.document(kind, period, date=date)
                data = build.render(doc, fmt) if out else b""
        except build.NotAvailable as exc:
            raise CommandError(str(exc))
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(out.name + ".part")
            tmp.write_bytes(data)
            tmp.replace(out)
            self.stdout.write(f"已生成 {out}（{doc.title}）")
        if opts["pdf"]:
            if fmt != "docx":
                raise CommandError("--pdf 需要 .docx 输出")
            try:
                pdf = to_pdf(out)
            except PdfError as exc:
                raise CommandError(str(exc))
            self.stdout.write(f"已生成 {pdf}")
        if opts["json"]:
            sys.stdout.flush()
            self.stdout.write(build.sources_json(doc))

    def _date(self, text: str | None) -> datetime.date | None:
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text.strip())
        except ValueError:
            raise CommandError(f"--date {text!r} 格式不对：请写成 YYYY-MM-DD，例如 2021-10-15。") from None

    def _period(self, text: str | None, kind: str) -> Period | None:
        if kind == "supervision":
            return None
        if text:
            try:
                return parse_period(text)
            except PeriodError as exc:
                raise CommandError(str(exc))
        period = latest_released_period()
        if period is None:
            raise CommandError("还没有已发布的期别：请先导入并发布数据，再用 diaodu release --period YYYY-MM 发布期别，"
                               "或运行 diaodu demo。")
        return period
