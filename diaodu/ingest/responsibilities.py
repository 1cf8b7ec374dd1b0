"""Importer of 目标责任书: one row per target — 区划代码, 单位名称, 指标代码, 年度, 责任领导,
领导职务, 牵头单位, 配合单位 (、-separated), 责任书文号, 签订日期, 备注."""

from __future__ import annotations

import datetime as dt
import re

from diaodu.core.parsing import cell_text
from diaodu.indicators import actions
from diaodu.indicators.responsibility import department_names
from diaodu.ingest.figures import (
    INDICATOR,
    NOTE,
    REGION_CODE,
    REGION_NAME,
    CatalogueLookup,
    bind_year,
    parse_note,
)
from diaodu.ingest.tabular import Column, Importer, RowProblems
from diaodu.org import scopes

_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SPLIT_RE = re.compile(r"[、，,；;/\s]+")


def parse_date(cell) -> dt.date | None:
    """A date cell, or text as clerks type it: 2021-03-15, 2021/3/15, 2021年3月15日. Raises ValueError."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = cell_text(cell)
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(f"签订日期“{text}”无法识别，应为 2021-03-15 或 2021年3月15日")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValueError(f"签订日期“{text}”不是有效日期") from None


class ResponsibilitiesImporter(Importer):
    kind = "responsibilities"
    title = "目标责任书"
    columns = (
        REGION_CODE,
        REGION_NAME,
        INDICATOR,
        Column("year", "年度", "year", ("年份",)),
        Column("leader", "责任领导", "leader", ("分管领导", "分管市领导", "责任人")),
        Column("leader_post", "领导职务", "leader_post", ("职务",), required=False),
        Column("lead", "牵头单位", "lead_unit", ("责任单位", "牵头部门")),
        Column("co", "配合单位", "co_units", ("协办单位", "配合部门"), required=False),
        Column("document_number", "责任书文号", "document_number", ("文号",), required=False),
        Column("document_date", "签订日期", "document_date", ("签订时间",), required=False),
        NOTE,
    )

    def __init__(self, user, *, reason: str = "", source: str = "import", **options):
        super().__init__(user, **options)
        self.reason = reason
        self.source_label = source
        self.lookup = CatalogueLookup()
        self.departments = department_names()

    def _department(self, text: str, key: str, problems: list):
        department = self.departments.get(text)
        if department is None:
            problems.append((key, f"未知的单位“{text}”（应为机构目录中的部门名称或别名）"))
        return department

    def bind_row(self, cells):
        problems: list[tuple[str, str]] = []
        region = self.lookup.region(cells.get("region_code"), cells.get("region_name"), problems)
        indicator = self.lookup.indicator(cells.get("indicator"), problems)
        year = bind_year(cells.get("year"), problems)
        leader = cell_text(cells.get("leader"))
        if not leader:
            problems.append(("leader", "责任领导为空"))
        elif len(leader) > 40:
            problems.append(("leader", "责任领导超过 40 个字"))
        post = cell_text(cells.get("leader_post"))[:60]
        lead_text = cell_text(cells.get("lead"))
        lead = None
        if not lead_text:
            problems.append(("lead", "牵头单位为空"))
        else:
            lead = self._department(lead_text, "lead", problems)
        cos = []
        for name in _SPLIT_RE.split(cell_text(cells.get("co"))):
            if name:
                co = self._department(name, "co", problems)
                if co is not None:
                    cos.append(co.code)
        number = cell_text(cells.get("document_number"))[:60]
        try:
            date = parse_date(cells.get("document_date"))
        except ValueError as exc:
            problems.append(("document_date", str(exc)))
            date = None
        note = parse_note(cells.get("note"), problems)
        if region is not None and not scopes.can_write_target(self.user, region.code):
            problems.append(("region_code", f"无权设定{region.name}的目标责任书"))
        if problems:
            raise RowProblems(problems)
        return actions.ResponsibilityInput(
            region.code, indicator.code, year, leader, post, lead.code, tuple(dict.fromkeys(cos)), number, date, note
        )

    def key_of(self, record):
        return (record.region, record.indicator, record.year)

    def write(self, records, *, dry_run):
        return actions.set_responsibilities(self.user, records, source=self.source_label,
                                            reason=self.reason or "文件导入", dry_run=dry_run)
