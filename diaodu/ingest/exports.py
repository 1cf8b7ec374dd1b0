"""Export figures and targets in the canonical import shape, and the template."""

from __future__ import annotations

from django.db.models import Q
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from diaodu.core.tables import append_row, write_table
from diaodu.engine.periods import Period, monthly_periods
from diaodu.indicators.models import Indicator, Observation, Target
from diaodu.ingest.figures import FiguresImporter, TargetsImporter
from diaodu.ingest.readers import REFERENCE_SHEET
from diaodu.org.models import Region

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def figure_rows(period: Period | None = None, *, published_only: bool = True, qs=None):
    """Rows of the canonical figures file, published figures by default."""
    qs = qs if qs is not None else Observation.objects.all()
    if period is not None:
        qs = qs.filter(year=period.year, month=period.month)
    if published_only:
        qs = qs.filter(published_revision__isnull=False)
    value_field, growth_field = ("published_value", "published_growth") if published_only else ("value", "growth")
    for row in (
        qs.order_by("indicator__order", "region_id", "year", "month")
        .values_list("region_id", "region__name", "indicator__code", "year", "month", value_field, growth_field, "note")
        .iterator(chunk_size=5000)
    ):
        code, name, indicator, year, month, value, growth, note = row
        yield [code, name, indicator, f"{year:04d}-{month:02d}", value, growth, note or ""]


def target_rows(year: int | None = None):
    qs = Target.objects.all()
    if year:
        qs = qs.filter(year=year)
    labels = dict(Target.Source.choices)
    for t in qs.select_related("region", "indicator").order_by("year", "indicator__order", "region_id"):
        yield [t.region_id, t.region.name, t.indicator.code, t.year, t.total, t.growth, labels[t.source], t.note]


def export_figures(path, period: Period | None = None) -> int:
    headers = [c.label for c in FiguresImporter.columns if c.key not in FiguresImporter.READ_ONLY_COLUMNS]
    return write_table(path, headers, figure_rows(period), "数据")


def export_targets(path, year: int | None = None) -> int:
    headers = [c.label for c in TargetsImporter.columns]
    return write_table(path, headers, target_rows(year), "目标")


def write_template(path, *, years: tuple[int, int] | None = None) -> None:
    """The figures import template: Chinese headers, dropdowns for regions,
    indicators and periods, a sheet listing the catalogue."""
    from django.utils import timezone

    today = timezone.localdate()
    # From three years back, or from the earliest year the database holds (a city
    # catching up on past figures must be able to pick them), to the latest year it
    # holds or next year (targets and early-January entry look ahead).
    held = Observation.objects.order_by("year").values_list("year", flat=True)
    earliest, latest = held.first(), held.reverse().first()
    first, last = years or (min(today.year - 3, earliest or today.year), max(today.year + 1, latest or today.year))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    headers = [c.label for c in FiguresImporter.columns if c.key not in FiguresImporter.READ_ONLY_COLUMNS]
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for letter, width in zip("ABCDEFG", (12, 16, 22, 10, 14, 14, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"

    lists = workbook.create_sheet(REFERENCE_SHEET)
    # The home city's units: its province and the province's 市州 (copied from provincial
    # releases), the city and its 县区 — not the whole country.
    home = Region.objects.home()
    regions = list(Region.objects.filter(Q(code=home.parent_id) | Q(parent_id=home.parent_id)
                                         | Q(parent_id=home.code)).order_by("code")) if home else []
    indicators = list(Indicator.objects.order_by("order"))
    periods = [str(p) for p in monthly_periods(Period(first, 1), Period(last, 12), first_month=1)]
    append_row(lists, ["区划代码", "单位名称", "指标代码", "指标名称", "单位", "频率", "期别"])
    for i in range(max(len(regions), len(indicators), len(periods))):
        region = regions[i] if i < len(regions) else None
        indicator = indicators[i] if i < len(indicators) else None
        append_row(lists, [  # names come from the catalogue (configuration): kept as text
            region.code if region else None, region.name if region else None,
            indicator.code if indicator else None, indicator.name if indicator else None,
            indicator.unit if indicator else None, indicator.get_frequency_display() if indicator else None,
            periods[i] if i < len(periods) else None,
        ])
    for cell in lists[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    rows = 5000
    for column, source, title in (
        ("A", f"{REFERENCE_SHEET}!$A$2:$A${len(regions) + 1}", "区划代码"),
        ("B", f"{REFERENCE_SHEET}!$B$2:$B${len(regions) + 1}", "单位名称"),
        ("C", f"{REFERENCE_SHEET}!$C$2:$C${len(indicators) + 1}", "指标代码"),
        ("D", f"{REFERENCE_SHEET}!$G$2:$G${len(periods) + 1}", "期别"),
    ):
        validation = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=True,
                                    errorTitle=title, error=f"请从下拉列表选择{title}")
        sheet.add_data_validation(validation)
        validation.add(f"{column}2:{column}{rows}")
    numbers = DataValidation(type="decimal", operator="between", formula1="-1000000000", formula2="1000000000",
                             allow_blank=True, showErrorMessage=True, error="请输入数字")
    sheet.add_data_validation(numbers)
    numbers.add(f"E2:F{rows}")
    # Periods are text (YYYY-MM), so Excel must not turn them into dates.
    for row in range(2, rows + 1):
        sheet[f"D{row}"].number_format = "@"
    workbook.save(path)
