"""One place that turns a kind and a period into files: the command, the web page and the bench
all call :func:`build` / :func:`pack`."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from dataclasses import dataclass

from diaodu.engine.periods import Period
from diaodu.evaluation import compute
from diaodu.indicators.releases import period_status

from . import gbt9704, xlsx
from .data import PeriodData
from .doc import Block, Doc
from .economy import county_tables, economy, weak_items
from .evaluation import evaluation, supervision, supervision_available
from .issuance import issuance
from .ledgers import enterprise_fiscal, projects
from .speech import speech

KINDS = {
    "economy": "经济运行情况通报",
    "evaluation": "县区重点工作评价结果通报",
    "table": "县区主要经济指标完成情况表",
    "weak": "短板弱项清单",
    "speech": "讲话稿数据部分",
    "supervision": "督查通报",
    "projects": "重点项目和招商引资推进情况通报",
    "enterprise-fiscal": "工业企业和财政运行情况通报",
    "pack": "会前材料包",
}
FORMATS = {
    "economy": ("docx", "xlsx", "txt", "json"),
    "evaluation": ("docx", "xlsx", "txt", "json"),
    "table": ("xlsx", "docx", "txt", "json"),
    "weak": ("docx", "xlsx", "txt", "json"),
    "speech": ("txt", "docx", "json"),
    "supervision": ("docx", "xlsx", "txt"),
    "projects": ("docx", "xlsx", "txt", "json"),
    "enterprise-fiscal": ("docx", "xlsx", "txt", "json"),
    "pack": ("zip",),
}


class NotAvailable(Exception):
    """The document cannot be written yet (no supervision tasks)."""


def table_doc(period: Period | str, data: PeriodData | None = None) -> Doc:
    """县区主要经济指标完成情况表: one sheet per data period (the monthly indicators at the period,
    the quarterly ones at their latest quarter), each one the import's wide table."""
    d = data or PeriodData(period)
    doc = Doc(name=f"县区主要经济指标完成情况表_{d.period}", title=f"{d.home.name}{d.period.year}年{d.words()}县区主要经济指标完成情况表")
    for table in county_tables(doc, d):
        doc.add_table(table)
    return doc


ISSUED = {"economy", "evaluation", "projects", "enterprise-fiscal", "supervision"}  # 通报 with 公文 elements


def document(kind: str, period: Period | str | None, data: PeriodData | None = None,
             date: datetime.date | None = None) -> Doc:
    """The document ``kind`` for ``period``; a 通报 carries its 主送机关, 署名, 成文日期 (``date``, or
    :func:`.issuance.document_date`) and 版记. Every figure of it is read over one data fingerprint
    (a figure published while it is built does not mix two states of the data)."""
    with compute.snapshot():
        return _document(kind, period, data, date)


def _document(kind: str, period: Period | str | None, data: PeriodData | None,
              date: datetime.date | None) -> Doc:
    if kind == "supervision":
        if not supervision_available():
            raise NotAvailable("督查督办中还没有交办事项，暂不能生成督查通报。")
        doc = supervision()
        doc.issuance = issuance(None, compute.home_region().name, date)
        return doc
    builder = {"economy": economy, "evaluation": evaluation, "table": table_doc, "weak": weak_items,
               "speech": speech, "projects": projects, "enterprise-fiscal": enterprise_fiscal}[kind]
    doc = builder(period, data)
    if kind in ISSUED:
        d = data or PeriodData(period)
        doc.issuance = issuance(d.period, d.home.name, date)
    label_preliminary(doc, Period.parse(str(period)))
    return doc


def label_preliminary(doc: Doc, period: Period) -> None:
    """A document of a period the statistics office has not released says so in its title, its
    first line and every table's title (初步数据（未发布）)."""
    status = period_status(period)
    if not status["label"]:
        return
    doc.title = f"{doc.title}（{status['label']}）"
    after_title = next((i + 1 for i, b in enumerate(doc.blocks) if b.kind in ("title", "subtitle")), 0)
    doc.blocks.insert(after_title, Block("p", f"{status['label']}：{period.full_label()}的数据尚未经统计部门发布，"
                                    "本材料中的数字可能变动，仅供内部研究。"))
    for table in doc.tables:
        table.title = f"{table.title}（{status['label']}）"


def sources_json(doc: Doc) -> str:
    return json.dumps({"document": doc.title, "facts": doc.facts.as_json()}, ensure_ascii=False, indent=1, default=str)


def render(doc: Doc, fmt: str) -> bytes:
    if fmt == "docx":
        return gbt9704.render(doc)
    if fmt == "xlsx":
        return xlsx.render(doc.tables)
    if fmt == "txt":
        return doc.text().encode("utf-8")
    if fmt == "json":
        return sources_json(doc).encode("utf-8")
    raise ValueError(fmt)


@dataclass
class Entry:
    name: str
    data: bytes


def pack_entries(period: Period | str, date: datetime.date | None = None) -> list[Entry]:
    """Files of the pre-meeting bundle: economy 通报 (.docx), county table (.xlsx), evaluation
    通报 (.docx + .xlsx), weak items (.docx), speech draft (.docx + .txt + its sources .json), the
    ledgers' 通报 (重点项目和招商引资, 工业企业和财政: .docx + .xlsx), and the 督查通报 where tasks
    exist."""
    with compute.snapshot():
        d = PeriodData(period)
        p = d.period
        docs = [(document(kind, p, d, date), formats) for kind, formats in (
            ("economy", ("docx",)), ("table", ("xlsx",)), ("evaluation", ("docx", "xlsx")), ("weak", ("docx",)),
            ("speech", ("docx", "txt", "json")), ("projects", ("docx", "xlsx")),
            ("enterprise-fiscal", ("docx", "xlsx")))]
        if supervision_available():
            docs.append((document("supervision", None, date=date), ("docx",)))
        out = []
        for i, (doc, formats) in enumerate(docs, 1):
            for fmt in formats:
                suffix = ".sources.json" if fmt == "json" else f".{fmt}"
                out.append(Entry(f"{i:02d}_{doc.name}{suffix}", render(doc, fmt)))
    return out


def pack(period: Period | str, date: datetime.date | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for entry in pack_entries(period, date):
            zf.writestr(entry.name, entry.data)
    return buffer.getvalue()
