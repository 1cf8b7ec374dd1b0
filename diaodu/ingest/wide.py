"""Import of the wide table statistics offices circulate
(县区主要经济指标完成情况表): one row per unit; for each indicator a group of
columns (1-10月累计 / 同比增长% / 位次) under a merged header naming it.

Headers are matched against the indicator catalogue and its aliases, units by
name or code, and any 位次 column is checked against the ranks computed from
the figures in the file: a disagreement is reported, never stored.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from diaodu.core.parsing import cell_text, parse_number, parse_period
from diaodu.engine.periods import Period, PeriodError
from diaodu.indicators import actions, validation
from diaodu.ingest.figures import FIRST_YEAR, CatalogueLookup, ScopeCache
from diaodu.ingest.problems import IngestError, Problem
from diaodu.ingest.readers import Sheet, column_letter
from diaodu.ingest.tabular import ImportResult, normalise_header
from diaodu.org.home import home_code

HEAD_ROWS = 8  # the indicator header sits within the first rows
UNIT_HEADERS = {"县区", "单位", "地区", "区划", "单位名称", "县(区)", "区县", "市州", "区划代码"}
CITY_ROW_NAMES = {"全市", "合计", "全市合计", "总计"}
_PERIOD_IN_TITLE = re.compile(r"(\d{4})\s*年\s*(?:1\s*[-—~至]\s*)?(\d{1,2})\s*月")
_QUARTER_IN_TITLE = {"一季度": 3, "上半年": 6, "前三季度": 9, "全年": 12}


def _indicator_names(lookup: CatalogueLookup) -> dict[str, object]:
    return {normalise_header(name): ind for name, ind in lookup.indicators.items()}


def _header_row(sheet: Sheet, names: dict) -> int | None:
    for index, row in enumerate((sheet.rows or [])[:HEAD_ROWS]):
        if sum(1 for c in row if normalise_header(cell_text(c)) in names) >= 1:
            return index
    return None


def looks_wide(sheet: Sheet) -> bool:
    if sheet.rows is None:
        return False
    return _header_row(sheet, _indicator_names(CatalogueLookup())) is not None


def _classify(text: str) -> str | None:
    text = normalise_header(text)
    if not text:
        return None
    if any(word in text for word in ("位次", "排名", "排序", "名次")):
        return "rank"
    if any(word in text for word in ("增", "%", "增速", "同比")):
        return "growth"
    if any(word in text for word in ("累计", "总量", "绝对", "完成", "亿元", "万元", "元", "值", "月")):
        return "value"
    return None


def _period_from_titles(rows: list[list], upto: int) -> Period | None:
    for row in rows[:upto + 1]:
        for cell in row:
            text = cell_text(cell)
            match = _PERIOD_IN_TITLE.search(text)
            if match:
                return Period(int(match.group(1)), int(match.group(2)))
            year = re.search(r"(\d{4})\s*年", text)
            for word, month in _QUARTER_IN_TITLE.items():
                if year and word in text:
                    return Period(int(year.group(1)), month)
    return None


def import_wide(sheets: list[Sheet], user, *, dry_run=False, publish=False, reason="", source="import",
                period: str | None = None, official_release: bool = False,
                accept_warnings: bool = False) -> ImportResult:
    lookup = CatalogueLookup()
    scope = ScopeCache(user)
    names = _indicator_names(lookup)
    problems: list[Problem] = []
    records: list[actions.FigureInput] = []
    seen: dict = {}
    total_rows = 0
    for sheet in sheets:
        if not sheet.rows or not any(any(cell_text(c) for c in r) for r in sheet.rows):
            continue
        header = _header_row(sheet, names)
        if header is None:
            problems.append(Problem(sheet.name, None, None, "找不到指标表头（合并单元格中的指标名称）"))
            continue
        total_rows += _bind_wide_sheet(sheet, header, lookup, names, scope, period, problems, records, seen)
    if not problems and not records:
        problems.append(Problem(sheets[0].name, None, None, "宽表中没有数据行"))
    if problems:
        raise IngestError(problems)
    violations = validation.check_rows(records)
    found = [Problem(sheets[0].name, seen.get((v["region"], v["indicator"], v["year"], v["month"])), None,
                     v["message"]) for v in violations]
    if any(v["severity"] == validation.BLOCKING for v in violations):
        raise IngestError([p for p, v in zip(found, violations, strict=True) if v["severity"] == validation.BLOCKING])
    if violations and not (dry_run or accept_warnings):
        raise IngestError(found + [Problem(sheets[0].name, None, None, f"以上 {len(found)} 处为合理性警告："
                                           "核实无误后加 --accept-warnings 重新导入")])
    with transaction.atomic():
        summary = actions.submit_figures(user, records, publish=publish, source=source,
                                         reason=reason or "宽表导入", dry_run=dry_run, accept_warnings=True,
                                         violations=violations, official_release=official_release)
    return ImportResult(summary.created, summary.updated, summary.unchanged, total_rows, dry_run, warnings=found)


def _bind_wide_sheet(sheet, header, lookup, names, scope, period_text, problems, records, seen) -> int:
    rows = sheet.rows
    head = rows[header]
    sub = rows[header + 1] if header + 1 < len(rows) else []
    # Fill each merged header cell across its span.
    filled = [cell_text(c) for c in head]
    for (r1, c1), (r2, c2) in sheet.merged:
        if r1 <= header <= r2:
            for col in range(c1, c2 + 1):
                if col < len(filled) and not filled[col]:
                    filled[col] = cell_text(head[c1])
    unit_col = next((i for i, c in enumerate(filled) if normalise_header(c) in {normalise_header(u) for u in UNIT_HEADERS}), 0)
    groups: dict[str, dict[str, int]] = {}
    indicator_of: dict[str, object] = {}
    for col, text in enumerate(filled):
        if col == unit_col or not text:
            continue
        indicator = names.get(normalise_header(text))
        if indicator is None:
            problems.append(Problem(sheet.name, header + 1, column_letter(col), f"无法识别的指标“{text}”"))
            continue
        kind = _classify(cell_text(sub[col]) if col < len(sub) else "")
        if kind is None:
            problems.append(Problem(sheet.name, header + 2, column_letter(col),
                                    f"无法识别“{indicator.name}”下的列“{cell_text(sub[col]) if col < len(sub) else ''}”：应为 累计/同比增长%/位次"))
            continue
        group = groups.setdefault(indicator.code, {})
        if kind in group:
            problems.append(Problem(sheet.name, header + 2, column_letter(col), f"“{indicator.name}”下有两列“{kind}”"))
        group[kind] = col
        indicator_of[indicator.code] = indicator
    try:
        period = parse_period(period_text) if period_text else _period_from_titles(rows, header + 1)
    except PeriodError as exc:
        problems.append(Problem(sheet.name, None, None, str(exc)))
        return 0
    if period is None:
        problems.append(Problem(sheet.name, 1, "A", "标题中找不到期别（如“2021年1-10月”），请用 --period 指定"))
        return 0
    today = timezone.localdate()
    latest = Period(today.year, today.month)
    if period.year < FIRST_YEAR or period > latest:
        where = (None, None) if period_text else (1, "A")
        problems.append(Problem(sheet.name, *where, f"期别 {period} 超出范围（{FIRST_YEAR}-02 至 {latest}）"))
        return 0
    home = home_code()
    data: list[tuple[int, object]] = []
    for offset, row in enumerate(rows[header + 2:], start=header + 3):
        if not any(cell_text(c) for c in row):
            continue
        name = cell_text(row[unit_col]) if unit_col < len(row) else ""
        if name.startswith(("注", "备注", "数据来源", "说明")):
            continue
        code = name if name in lookup.regions else lookup.code_for_name(name)
        if code is None and name in CITY_ROW_NAMES:
            code = home
        if code is None:
            problems.append(Problem(sheet.name, offset, column_letter(unit_col), f"未知的单位“{name}”"))
            continue
        region = lookup.regions[code]
        if not scope.can_enter(code):
            problems.append(Problem(sheet.name, offset, column_letter(unit_col), f"无权填报{region.name}的数据"))
            continue
        data.append((offset, region, row))
    ranks_to_check: dict[str, list] = {}
    for offset, region, row in data:
        for code, group in groups.items():
            indicator = indicator_of[code]
            values = {}
            for kind, col in group.items():
                try:
                    values[kind] = parse_number(row[col] if col < len(row) else None, indicator.name)
                except ValueError as exc:
                    problems.append(Problem(sheet.name, offset, column_letter(col), str(exc)))
                    values[kind] = None
            if values.get("value") is None and values.get("growth") is None:
                continue
            if values.get("value") is not None and values["value"] < 0:
                problems.append(Problem(sheet.name, offset, column_letter(group["value"]),
                                        f"{indicator.name}累计值 {values['value']:g} 为负数"))
                continue
            if not indicator.publishes(period):
                problems.append(Problem(sheet.name, offset, None, f"{indicator.name}没有 {period} 期数据"))
                continue
            key = (region.code, code, period.year, period.month)
            if key in seen:
                problems.append(Problem(sheet.name, offset, None, f"{region.name}与第 {seen[key]} 行重复"))
                continue
            seen[key] = offset
            records.append(actions.FigureInput(region.code, code, period.year, period.month,
                                               values.get("value"), values.get("growth"), ""))
            if values.get("rank") is not None and region.level == "county":
                ranks_to_check.setdefault(code, []).append((offset, region, values, group["rank"]))
    for code, entries in ranks_to_check.items():
        _check_ranks(sheet.name, indicator_of[code], entries, problems)
    return len(data)


def _check_ranks(sheet_name, indicator, entries, problems) -> None:
    """Compare each 位次 with the rank by growth (or, failing that, by total)."""

    def ranks(kind):
        pairs = [(e[2].get(kind), i) for i, e in enumerate(entries)]
        if any(v is None for v, _ in pairs):
            return None
        sign = indicator.polarity
        out = {}
        for value, i in pairs:
            out[i] = 1 + sum(1 for other, _ in pairs if other * sign > value * sign)
        return out

    by_growth, by_total = ranks("growth"), ranks("value")
    for basis in (by_growth, by_total):
        if basis is not None and all(int(e[2]["rank"]) == basis[i] for i, e in enumerate(entries)):
            return
    basis = by_growth or by_total
    if basis is None:
        return
    for i, (offset, region, values, col) in enumerate(entries):
        if int(values["rank"]) != basis[i]:
            problems.append(Problem(sheet_name, offset, column_letter(col),
                                    f"{region.name}{indicator.name}位次为 {int(values['rank'])}，按表中数据计算应为 {basis[i]}"))
