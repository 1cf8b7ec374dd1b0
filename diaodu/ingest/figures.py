"""Importers of the canonical figures file and the targets file.

Figures: one row per figure — 区划代码, 单位名称 (optional, checked against the
code), 指标代码, 期别 (YYYY-MM), 累计值, 累计增速(%), 备注.
Targets: one row per target — 区划代码, 单位名称, 指标代码, 年度, 目标总量,
目标增速(%), 来源 (省定/市定/县定), 备注.
"""

from __future__ import annotations

import math
import operator
import re

from django.utils import timezone

from diaodu.core.limits import NOTE_MAX, too_long
from diaodu.core.parsing import cell_text, parse_number, parse_period
from diaodu.engine.periods import Period, PeriodError
from diaodu.indicators import actions, validation
from diaodu.indicators.models import Indicator, Target
from diaodu.ingest.problems import IngestError, Problem
from diaodu.ingest.tabular import Column, Importer, RowProblems
from diaodu.org import scopes
from diaodu.org.home import home_code
from diaodu.org.models import Region

FIRST_YEAR = 1990
CHUNK = 5000  # rows written per statement batch inside the one transaction

# Not required: a 单位名称 alone is resolved by name when it names one region (CatalogueLookup.region).
REGION_CODE = Column("region_code", "区划代码", "region_code", ("代码", "行政区划代码", "区划"), required=False)
REGION_NAME = Column("region_name", "单位名称", "region_name", ("单位", "地区", "县区", "区划名称", "名称"),
                     required=False)
INDICATOR = Column("indicator", "指标代码", "indicator", ("指标", "指标名称"))
NOTE = Column("note", "备注", "note", ("说明",), required=False)


class CatalogueLookup:
    """Regions and indicators by code, name and alias, loaded once per import."""

    def __init__(self):

        self.regions = {r.code: r for r in Region.objects.all()}
        self.region_names: dict[str, set[str]] = {}
        for region in self.regions.values():
            for name in {region.name, region.short_name}:
                if name:
                    self.region_names.setdefault(name, set()).add(region.code)
        # Where a name is shared across the country, the home city's own regions and its province's
        # cities are the ones a clerk of this city means.
        home = self.regions.get(home_code())
        self.near = {code for code, r in self.regions.items()
                     if home is not None and (code == home.code or r.parent_id == home.code
                                              or (r.parent_id == home.parent_id and r.level == home.level))}
        self.indicators = {}
        for indicator in Indicator.objects.all():
            for name in (indicator.code, indicator.name, *indicator.aliases):
                self.indicators.setdefault(str(name).strip().lower(), indicator)

    def region(self, code_cell, name_cell, problems: list) -> Region | None:
        code = cell_text(code_cell)
        name = cell_text(name_cell)
        if not code:
            if not name:
                problems.append(("region_code", "区划代码和单位名称都为空"))
                return None
            return self.region_by_name(name, problems)
        region = self.regions.get(code)
        if region is None:
            problems.append(("region_code", f"未知的区划代码“{code}”"))
            return None
        if name and name not in (region.name, region.short_name):
            problems.append(("region_name", f"单位名称“{name}”与区划代码 {code}（{region.name}）不符"))
        return region

    def region_by_name(self, name: str, problems: list) -> Region | None:
        """A region from its name or short name (武都区, 武都) when that names exactly one."""
        codes = self.region_names.get(name, set())
        if len(codes) > 1:
            codes = codes & self.near or codes
        if len(codes) == 1:
            return self.regions[next(iter(codes))]
        if not codes:
            problems.append(("region_name", f"未知的单位名称“{name}”：请填写区划代码，或写全称/简称（如 武都区、武都）"))
        else:
            listed = "、".join(f"{self.regions[c].name}（{c}）" for c in sorted(codes)[:5])
            problems.append(("region_name", f"单位名称“{name}”对应多个区划：{listed}，请填写区划代码"))
        return None

    def code_for_name(self, name: str) -> str | None:
        """The code of the one region ``name`` names, else None."""
        region = self.region_by_name(name, [])
        return region.code if region else None

    def indicator(self, cell, problems: list) -> Indicator | None:
        text = cell_text(cell)
        if not text:
            problems.append(("indicator", "指标代码为空"))
            return None
        indicator = self.indicators.get(text.lower())
        if indicator is None:
            problems.append(("indicator", f"未知的指标“{text}”（见指标目录）"))
        return indicator


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_note(cell, problems: list) -> str:
    """The 备注 text, at most NOTE_MAX characters (longer is refused, as by the web
    and the API, never cut); control characters (a NUL byte cannot even be stored
    in PostgreSQL) are refused, not silently dropped."""
    note = cell_text(cell)
    if _CONTROL_CHARS.search(note):
        problems.append(("note", "备注含有不可见的控制字符（如 NUL），请删除后再导入"))
    if len(note) > NOTE_MAX:
        problems.append(("note", too_long("备注", NOTE_MAX)))
    return note


_UNSEEN = object()
_UNUSUAL = object()


def _usual_number(cell):
    """A plain number cell as ``parse_number`` reads it: a float, None for an
    empty cell, or _UNUSUAL for anything else (text with separators, %, 'nan' …),
    which ``parse_number`` then handles. float() accepts exactly the texts
    parse_number turns into the same finite float without cleaning them."""
    if cell is None or cell == "":
        return None
    kind = type(cell)
    if kind is str:
        try:
            number = float(cell)
        except ValueError:
            return _UNUSUAL
    elif kind is float or kind is int:
        number = float(cell)
    else:
        return _UNUSUAL
    if not math.isfinite(number):
        return _UNUSUAL
    return round(number, 6)


class ScopeCache:
    def __init__(self, user):
        self.user = user
        self._cache: dict[str, bool] = {}

    def can_enter(self, region_code: str) -> bool:
        if region_code not in self._cache:
            self._cache[region_code] = scopes.can_enter_figure(self.user, region_code)
        return self._cache[region_code]


class FiguresImporter(Importer):
    kind = "figures"
    title = "数据"
    columns = (
        REGION_CODE,
        REGION_NAME,
        INDICATOR,
        Column("period", "期别", "period", ("月份", "时期")),
        Column("year", "年度", "year", ("年份",), required=False),  # for 期别 written 1-9月
        Column("value", "累计值", "value", ("累计", "本年累计", "绝对值"), required=False),
        Column("growth", "累计增速(%)", "growth", ("累计增速", "增速", "增速(%)", "同比增长(%)", "同比增长"),
               required=False),
        NOTE,
    )

    # Read when a file has it, never written by the export and the template (期别 there is YYYY-MM).
    READ_ONLY_COLUMNS = ("year",)

    def __init__(self, user, *, publish: bool = False, reason: str = "", source: str = "import",
                 official_release: bool = False, accept_warnings: bool = False, **options):
        super().__init__(user, **options)
        self.publish = publish
        self.official_release = official_release
        self.accept_warnings = accept_warnings
        self._where: dict[tuple, tuple] = {}
        self.sheet_name = "数据"
        self.reason = reason
        self.source = source
        self.lookup = CatalogueLookup()
        self.scope = ScopeCache(user)
        today = timezone.localdate()
        self.latest = Period(today.year, today.month)
        self._usual_regions: dict[tuple, str | None] = {}
        self._usual_periods: dict[tuple, tuple[str, int, int] | None] = {}

    def bind_row(self, cells):
        # A check added here needs its twin in fast_binder below (or fast_binder
        # must send such rows here): large files take that path for valid rows.
        problems: list[tuple[str, str]] = []
        region = self.lookup.region(cells.get("region_code"), cells.get("region_name"), problems)
        indicator = self.lookup.indicator(cells.get("indicator"), problems)
        period = None
        try:
            period = parse_period(cells.get("period"), cells.get("year"))
        except PeriodError as exc:
            problems.append(("period", str(exc)))
        if period is not None:
            if period.year < FIRST_YEAR or period > self.latest:
                problems.append(("period", f"期别 {period} 超出范围（{FIRST_YEAR}-02 至 {self.latest}）"))
            elif indicator is not None and not indicator.publishes(period):
                if indicator.frequency == Indicator.Frequency.QUARTERLY:
                    problems.append(("period", f"{indicator.name}是季度指标，期别月份应为 3、6、9 或 12"))
                else:
                    problems.append(("period", f"{indicator.name}没有 {period.month} 月单独数据（1-2 月合并发布，期别用 {period.year}-02）"))
        value = growth = None
        try:
            value = parse_number(cells.get("value"), "累计值")
        except ValueError as exc:
            problems.append(("value", str(exc)))
        try:
            growth = parse_number(cells.get("growth"), "累计增速")
        except ValueError as exc:
            problems.append(("growth", str(exc)))
        note = parse_note(cells.get("note"), problems)
        if value is None and growth is None and not any(k in ("value", "growth") for k, _ in problems):
            problems.append(("value", "累计值和累计增速都为空，至少填一项"))
        if value is not None and value < 0:
            problems.append(("value", f"累计值 {value:g} 为负数"))
        if growth is not None and abs(growth) > 100 and not note:
            problems.append(("growth", f"累计增速 {growth:g}% 超出 ±100%，如属实请在备注中说明"))
        if region is not None and not self.scope.can_enter(region.code):
            problems.append(("region_code", scopes.NO_UNIT if scopes.unit_missing(self.user)
                             else f"无权填报{region.name}的数据（超出本单位范围）"))
        if problems:
            raise RowProblems(problems)
        return actions.FigureInput(region.code, indicator.code, period.year, period.month, value, growth, note)

    # --- the usual row, fast --------------------------------------------------
    # A file repeats the same few region, indicator and period cells thousands
    # of times, so their checks are remembered per distinct cell value. A row
    # the fast path cannot vouch for entirely (any problem, any unusual cell)
    # returns None and goes through the full checks of bind_row, which word
    # every problem: the two paths accept exactly the same rows.

    def fast_binder(self, keys):
        if "year" in keys:  # periods written 1-9月 beside a 年度 column: the full checks, row by row
            return None
        where = [keys.index(key) if key in keys else len(keys)  # an absent optional column reads None
                 for key in ("region_code", "region_name", "indicator", "period", "value", "growth", "note")]
        pick = operator.itemgetter(*where)
        regions, periods = self._usual_regions, self._usual_periods
        figure_input = actions.FigureInput

        def bind(values):
            code, name, indicator, period, value, growth, note = pick((*values, None))
            try:
                region = regions.get((code, name), _UNSEEN)
                if region is _UNSEEN:
                    region = regions[(code, name)] = self._usual_region(code, name)
                figure = periods.get((indicator, period), _UNSEEN)
                if figure is _UNSEEN:
                    figure = periods[(indicator, period)] = self._usual_period(indicator, period)
            except TypeError:  # an unhashable cell
                return None
            if region is None or figure is None:
                return None
            value, growth = _usual_number(value), _usual_number(growth)
            if value is _UNUSUAL or growth is _UNUSUAL or (value is None and growth is None):
                return None
            if (value is not None and value < 0) or (growth is not None and abs(growth) > 100):
                return None
            if note is None or note == "":
                note = ""
            else:
                problems: list = []
                note = parse_note(note, problems)
                if problems:
                    return None
            return figure_input(region, figure[0], figure[1], figure[2], value, growth, note)

        return bind

    def _usual_region(self, code_cell, name_cell) -> str | None:
        """The region's code when the cells name a region the user may write, else None."""
        problems: list = []
        region = self.lookup.region(code_cell, name_cell, problems)
        if region is None or problems or not self.scope.can_enter(region.code):
            return None
        return region.code

    def _usual_period(self, indicator_cell, period_cell) -> tuple[str, int, int] | None:
        """(indicator code, year, month) when the indicator publishes in that period, else None."""
        problems: list = []
        indicator = self.lookup.indicator(indicator_cell, problems)
        if indicator is None:
            return None
        try:
            period = parse_period(period_cell)
        except PeriodError:
            return None
        if period.year < FIRST_YEAR or period > self.latest or not indicator.publishes(period):
            return None
        return (indicator.code, period.year, period.month)

    def key_of(self, record):
        return record[:4]  # FigureInput is a tuple: (region, indicator, year, month)

    def located(self, key, sheet, row, letters):
        self._where[key] = (sheet, row, letters)

    def problem(self, violation: dict) -> Problem:
        """A validation rule's finding as an import problem: the row and column of the figure."""
        key = (violation["region"], violation["indicator"], int(violation["year"]), int(violation["month"]))
        sheet, row, letters = self._where.get(key, (self.sheet_name, None, {}))
        field = violation["field"]
        column = f"{letters[field]}（{self.label(field)}）" if field in letters else None
        return Problem(sheet, row, column, violation["message"])

    def write(self, records, *, dry_run):
        violations = validation.check_rows(records)
        blocking = [v for v in violations if v["severity"] == validation.BLOCKING]
        if blocking:
            raise IngestError([self.problem(v) for v in blocking])
        if violations and not (dry_run or self.accept_warnings):
            raise IngestError([self.problem(v) for v in violations] + [Problem(
                self.sheet_name, None, None,
                f"以上 {len(violations)} 处为合理性警告：核实无误后加 --accept-warnings 重新导入（网页导入勾选“已核实”）")])
        summary = actions.submit_figures(
            self.user, records, publish=self.publish, source=self.source,
            reason=self.reason or "文件导入", dry_run=dry_run, accept_warnings=True, violations=violations,
            official_release=self.official_release, distinct=True,  # bind_sheet refuses a figure's second row
        )
        summary.problems = [self.problem(v) for v in violations]
        return summary


SOURCE_NAMES = {label: value for value, label in Target.Source.choices} | {v: v for v in Target.Source.values}


def bind_year(cell, problems: list[tuple[str, str]]) -> int | None:
    """A 年度 cell (1990–2100), or None with the problem recorded under "year"."""
    try:
        number = parse_number(cell, "年度")
    except ValueError as exc:
        problems.append(("year", str(exc)))
        return None
    if number is None or not number.is_integer() or not FIRST_YEAR <= number <= 2100:
        problems.append(("year", f"年度“{cell_text(cell)}”无效"))
        return None
    return int(number)


class TargetsImporter(Importer):
    kind = "targets"
    title = "目标"
    columns = (
        REGION_CODE,
        REGION_NAME,
        INDICATOR,
        Column("year", "年度", "year", ("年份",)),
        Column("total", "目标总量", "target_total", ("总量目标",), required=False),
        Column("growth", "目标增速(%)", "target_growth", ("目标增速", "增速目标"), required=False),
        Column("source", "来源", "source", ("目标来源",)),
        NOTE,
    )

    def __init__(self, user, *, reason: str = "", source: str = "import", **options):
        super().__init__(user, **options)
        self.reason = reason
        self.source_label = source
        self.lookup = CatalogueLookup()

    def bind_row(self, cells):
        problems: list[tuple[str, str]] = []
        region = self.lookup.region(cells.get("region_code"), cells.get("region_name"), problems)
        indicator = self.lookup.indicator(cells.get("indicator"), problems)
        year = bind_year(cells.get("year"), problems)
        total = growth = None
        for key, what in (("total", "目标总量"), ("growth", "目标增速")):
            try:
                number = parse_number(cells.get(key), what)
            except ValueError as exc:
                problems.append((key, str(exc)))
                continue
            if key == "total":
                total = number
            else:
                growth = number
        if total is None and growth is None and not any(k in ("total", "growth") for k, _ in problems):
            problems.append(("total", "目标总量和目标增速都为空，至少填一项"))
        if total is not None and total < 0:
            problems.append(("total", "目标总量为负数"))
        if growth is not None and abs(growth) > 100:
            problems.append(("growth", f"目标增速 {growth:g}% 超出 ±100%"))
        source = SOURCE_NAMES.get(cell_text(cells.get("source")))
        if source is None:
            problems.append(("source", f"来源“{cell_text(cells.get('source'))}”应为 省定、市定 或 县定"))
        note = parse_note(cells.get("note"), problems)
        if region is not None and not scopes.can_write_target(self.user, region.code):
            problems.append(("region_code", f"无权设定{region.name}的目标"))
        if problems:
            raise RowProblems(problems)
        return actions.TargetInput(region.code, indicator.code, year, total, growth, source, note)

    def key_of(self, record):
        return (record.region, record.indicator, record.year)

    def write(self, records, *, dry_run):
        return actions.set_targets(self.user, records, source=self.source_label,
                                   reason=self.reason or "文件导入", dry_run=dry_run)
