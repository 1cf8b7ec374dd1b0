"""A corpus of import files, built by code into a temporary directory.

Every malformed case is one small function: its docstring says what is wrong,
and the ``Case`` it returns says where the import must point — the sheet, the
row (第 N 行), the column and a fragment of the reason. Nothing here is
committed as a binary file; the 50 MB files are written by the test that
needs them.

The valid builders at the end (canonical figures, the wide table, targets)
serve the round-trip tests and the positive controls.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from diaodu import cli

HEADER = ["区划代码", "单位名称", "指标代码", "期别", "累计值", "累计增速(%)", "备注"]
TARGET_HEADER = ["区划代码", "单位名称", "指标代码", "年度", "目标总量", "目标增速(%)", "来源", "备注"]
SHEET = "数据"
GOOD_ROW = ["621202", "武都区", "fai", "2021-09", 123.4, 8.5, ""]
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FIFTY_MB = 50 * 1024 * 1024

# The nine 县区 of 陇南 (GB/T 2260).
LONGNAN_COUNTIES = [
    ("621202", "武都区"), ("621221", "成县"), ("621222", "文县"), ("621223", "宕昌县"), ("621224", "康县"),
    ("621225", "西和县"), ("621226", "礼县"), ("621227", "徽县"), ("621228", "两当县"),
]


@dataclass(frozen=True)
class Case:
    """A malformed file and what the import's message must name."""

    path: Path
    sheet: str = SHEET
    row: int | None = None
    column: str | None = None  # held by the message's 列“…” part, e.g. "E（累计值）"
    says: str = ""  # a fragment of the reason
    user: str = "tongji"
    args: tuple[str, ...] = ()


@dataclass
class Outcome:
    """What a user sees after running ``diaodu …``."""

    code: int
    out: str
    err: str


def exit_code(*argv) -> int:
    """Run the ``diaodu`` console command in-process, as a user would; its exit status.

    The caller must keep the command from closing the test's connection
    (``monkeypatch.setattr(connections, "close_all", …)``).
    """
    try:
        cli.main([str(a) for a in argv])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0


def run_diaodu(capsys, *argv) -> Outcome:
    """:func:`exit_code` with what the command printed (read through pytest's capsys)."""
    capsys.readouterr()
    code = exit_code(*argv)
    out, err = capsys.readouterr()
    return Outcome(code, out, err)


MALFORMED: list[Callable[[Path], Case]] = []


def malformed(builder: Callable[[Path], Case]) -> Callable[[Path], Case]:
    MALFORMED.append(builder)
    return builder


# --- writers ----------------------------------------------------------------

def write_xlsx(path: Path, rows: list[list], *, title: str = SHEET, merges: tuple[str, ...] = ()) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list], *, encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows(rows)
    return path


def figures_xlsx(tmp: Path, name: str, *rows: list) -> Path:
    return write_xlsx(tmp / f"{name}.xlsx", [HEADER, *rows])


def row(**changes) -> list:
    """GOOD_ROW with some cells replaced, by header key."""
    keys = ["code", "name", "indicator", "period", "value", "growth", "note"]
    out = list(GOOD_ROW)
    for key, value in changes.items():
        out[keys.index(key)] = value
    return out


def future_period() -> str:
    today = dt.date.today()
    return f"{today.year + 1}-06"


# --- malformed: cell values ---------------------------------------------------

@malformed
def non_number(tmp: Path) -> Case:
    """累计值 holds words, not a number."""
    return Case(figures_xlsx(tmp, "non_number", row(value="约120亿")), row=2, column="E（累计值）", says="不是数字")


@malformed
def comma_not_between_thousands(tmp: Path) -> Case:
    """累计值 '36，5': a comma typed for a decimal point, not a thousands separator (not 365)."""
    path = figures_xlsx(tmp, "comma_decimal", row(value="36，5"))
    return Case(path, row=2, column="E（累计值）", says="累计值“36，5”中的逗号不是千位分隔符")


@malformed
def comma_before_four_digits(tmp: Path) -> Case:
    """累计值 '1，2345': a comma before four digits separates no thousands (not 12345)."""
    path = figures_xlsx(tmp, "comma_four", row(value="1，2345"))
    return Case(path, row=2, column="E（累计值）", says="“1，2345”中的逗号不是千位分隔符")


@malformed
def unknown_unit_name_without_code(tmp: Path) -> Case:
    """No 区划代码, and the 单位名称 names no region."""
    path = figures_xlsx(tmp, "unknown_name", row(code="", name="武都镇"))
    return Case(path, row=2, column="B（单位名称）", says="未知的单位名称“武都镇”")


@malformed
def months_without_a_year(tmp: Path) -> Case:
    """期别 '1-9月' and no 年度 column to say which year."""
    path = figures_xlsx(tmp, "no_year", row(period="1-9月"))
    return Case(path, row=2, column="D（期别）", says="没有年份")


@malformed
def period_as_ambiguous_number(tmp: Path) -> Case:
    """期别 2021.1 as a number cell: Excel stores a typed 2021.10 so (October or January?)."""
    path = figures_xlsx(tmp, "period_number", row(period=2021.1))
    return Case(path, row=2, column="D（期别）", says="有歧义")


@malformed
def period_unreadable_lists_the_forms(tmp: Path) -> Case:
    """期别 '九月份': the message lists the accepted forms."""
    path = figures_xlsx(tmp, "period_words_cn", row(period="九月份"))
    return Case(path, row=2, column="D（期别）", says="可用的写法：2021-09、2021年9月")


@malformed
def date_as_value(tmp: Path) -> Case:
    """累计值 holds a date (Excel auto-formatting ate the number)."""
    path = figures_xlsx(tmp, "date_as_value", row(value=dt.datetime(2021, 9, 30)))
    return Case(path, row=2, column="E（累计值）", says="日期")


@malformed
def giant_text_cell(tmp: Path) -> Case:
    """累计值 holds 100 000 characters of text (a pasted document)."""
    path = figures_xlsx(tmp, "giant_cell", row(value="数据" * 50_000))
    return Case(path, row=2, column="E（累计值）", says="累计值“数据数据")


@malformed
def unknown_region_code(tmp: Path) -> Case:
    """区划代码 621299 is no region of the GB/T 2260 tree."""
    path = figures_xlsx(tmp, "unknown_region", row(code="621299", name=""))
    return Case(path, row=2, column="A（区划代码）", says="未知的区划代码")


@malformed
def code_and_name_disagree(tmp: Path) -> Case:
    """区划代码 says 武都区, 单位名称 says 康县."""
    path = figures_xlsx(tmp, "code_name", row(name="康县"))
    return Case(path, row=2, column="B（单位名称）", says="不符")


@malformed
def unknown_indicator(tmp: Path) -> Case:
    """指标代码 names no indicator of the catalogue."""
    path = figures_xlsx(tmp, "unknown_indicator", row(indicator="gdp_per_capita_ppp"))
    return Case(path, row=2, column="C（指标代码）", says="未知的指标")


@malformed
def period_slash_month_13(tmp: Path) -> Case:
    """期别 '2021/13': wrong separator and a 13th month."""
    path = figures_xlsx(tmp, "period_slash", row(period="2021/13"))
    return Case(path, row=2, column="D（期别）", says="格式不对")


@malformed
def period_month_13(tmp: Path) -> Case:
    """期别 '2021-13': the right shape, but there is no 13th month."""
    path = figures_xlsx(tmp, "period_13", row(period="2021-13"))
    return Case(path, row=2, column="D（期别）", says="月份 13")


@malformed
def period_words(tmp: Path) -> Case:
    """期别 'abc'."""
    return Case(figures_xlsx(tmp, "period_abc", row(period="abc")), row=2, column="D（期别）", says="格式不对")


@malformed
def period_before_records(tmp: Path) -> Case:
    """期别 1985-05, before the first year figures are kept."""
    path = figures_xlsx(tmp, "period_1985", row(period="1985-05"))
    return Case(path, row=2, column="D（期别）", says="超出范围")


@malformed
def period_in_future(tmp: Path) -> Case:
    """期别 in a month that has not happened yet."""
    path = figures_xlsx(tmp, "period_future", row(period=future_period()))
    return Case(path, row=2, column="D（期别）", says="超出范围")


@malformed
def quarterly_at_october(tmp: Path) -> Case:
    """GDP is quarterly; 2021-10 is no quarter end."""
    path = figures_xlsx(tmp, "gdp_october", row(indicator="gdp", period="2021-10"))
    return Case(path, row=2, column="D（期别）", says="季度指标")


@malformed
def january_of_monthly_flow(tmp: Path) -> Case:
    """固定资产投资 has no January figure: 1-2月 are published together."""
    path = figures_xlsx(tmp, "fai_january", row(period="2021-01"))
    return Case(path, row=2, column="D（期别）", says="1-2 月合并")


@malformed
def duplicate_rows(tmp: Path) -> Case:
    """The same figure (武都 固定资产投资 2021-09) twice, with different values."""
    path = figures_xlsx(tmp, "duplicates", GOOD_ROW, row(value=130.0), row(indicator="retail"))
    return Case(path, row=3, says="与第 2 行重复")


@malformed
def total_and_growth_missing(tmp: Path) -> Case:
    """Neither 累计值 nor 累计增速 is given."""
    path = figures_xlsx(tmp, "both_missing", row(value=None, growth="—"))
    return Case(path, row=2, column="E（累计值）", says="至少填一项")


@malformed
def growth_beyond_100_without_note(tmp: Path) -> Case:
    """累计增速 156% with no 备注 explaining it."""
    path = figures_xlsx(tmp, "growth_156", row(growth=156.0))
    return Case(path, row=2, column="F（累计增速(%)）", says="超出 ±100%")


@malformed
def negative_value(tmp: Path) -> Case:
    """累计值 is negative."""
    return Case(figures_xlsx(tmp, "negative", row(value=-5)), row=2, column="E（累计值）", says="负数")


@malformed
def formula_error(tmp: Path) -> Case:
    """累计值 is an Excel error value (#DIV/0!) left by a broken formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(HEADER)
    sheet.append(GOOD_ROW)
    sheet["E2"].value = "#DIV/0!"
    sheet["E2"].data_type = "e"
    path = tmp / "div0.xlsx"
    workbook.save(path)
    return Case(path, row=2, column="E", says="#DIV/0!")


@malformed
def out_of_scope_region(tmp: Path) -> Case:
    """A 武都 clerk imports a valid row for 康县, outside their county."""
    path = figures_xlsx(tmp, "kangxian_by_wudu", GOOD_ROW, ["621224", "康县", "fai", "2021-09", 50.0, 5.0, ""])
    return Case(path, row=3, column="A（区划代码）", says="无权填报康县", user="wudu")


@malformed
def error_on_second_sheet(tmp: Path) -> Case:
    """The first sheet is clean; the second sheet ('康县') has a bad value in row 4."""
    workbook = Workbook()
    first = workbook.active
    first.title = "武都"
    for values in (HEADER, GOOD_ROW):
        first.append(values)
    second = workbook.create_sheet("康县")
    for values in (HEADER, ["621224", "康县", "fai", "2021-08", 40.0, 4.0, ""],
                   ["621224", "康县", "fai", "2021-09", 45.0, 4.5, ""],
                   ["621224", "康县", "retail", "2021-09", "n/a", 3.0, ""]):
        second.append(values)
    path = tmp / "two_sheets.xlsx"
    workbook.save(path)
    return Case(path, sheet="康县", row=4, column="E（累计值）", says="不是数字")


@malformed
def nul_byte_in_note(tmp: Path) -> Case:
    """备注 carries a NUL byte (PostgreSQL refuses to store one)."""
    path = write_csv(tmp / "nul_note.csv", [HEADER, row(note="见\x00说明")])
    return Case(path, sheet=path.name, row=2, column="G（备注）", says="控制字符")


@malformed
def gb18030_csv_with_bad_cell(tmp: Path) -> Case:
    """A GB18030 CSV (as Excel saves it on Chinese Windows) with 累计增速 '高'."""
    path = write_csv(tmp / "gbk.csv", [HEADER, GOOD_ROW, row(indicator="retail", growth="高")], encoding="gb18030")
    return Case(path, sheet=path.name, row=3, column="F（累计增速(%)）", says="“高”不是数字")


# --- malformed: headers and layout --------------------------------------------

@malformed
def merged_header_cells(tmp: Path) -> Case:
    """区划代码 and 单位名称 merged into one header cell."""
    path = write_xlsx(tmp / "merged.xlsx", [HEADER, GOOD_ROW], merges=("A1:B1",))
    return Case(path, row=1, column="A", says="合并单元格")


@malformed
def unknown_extra_column(tmp: Path) -> Case:
    """An extra column 完成率 that no importer knows."""
    path = write_xlsx(tmp / "extra_column.xlsx", [[*HEADER, "完成率"], [*GOOD_ROW, "75%"]])
    return Case(path, row=1, column="H", says="无法识别的列名“完成率”")


@malformed
def missing_required_column(tmp: Path) -> Case:
    """No 期别 column: the figures cannot be placed in time."""
    header = [h for h in HEADER if h != "期别"]
    data = [v for h, v in zip(HEADER, GOOD_ROW, strict=True) if h != "期别"]
    path = write_xlsx(tmp / "no_period.xlsx", [header, data])
    return Case(path, row=1, says="缺少必需的列“期别”")


@malformed
def header_only(tmp: Path) -> Case:
    """The header and not a single data row."""
    return Case(write_xlsx(tmp / "header_only.xlsx", [HEADER]), says="只有表头")


@malformed
def empty_workbook(tmp: Path) -> Case:
    """A workbook whose only sheet is empty."""
    path = tmp / "empty.xlsx"
    Workbook().save(path)
    return Case(path, sheet="Sheet", says="没有任何数据")


@malformed
def empty_csv(tmp: Path) -> Case:
    """A zero-byte CSV."""
    path = tmp / "empty.csv"
    path.write_bytes(b"")
    return Case(path, sheet=path.name, says="没有任何数据")


# --- malformed: not the file it claims to be ------------------------------------

@malformed
def legacy_xls(tmp: Path) -> Case:
    """An old binary .xls (OLE compound file) — only .xlsx is read."""
    path = tmp / "old.xls"
    path.write_bytes(OLE_MAGIC + os.urandom(4096))
    return Case(path, sheet=path.name, says=".xls")


@malformed
def legacy_xls_named_xlsx(tmp: Path) -> Case:
    """An old binary .xls renamed to .xlsx."""
    path = tmp / "old_renamed.xlsx"
    path.write_bytes(OLE_MAGIC + os.urandom(4096))
    return Case(path, sheet=path.name, says=".xls")


@malformed
def text_renamed_xlsx(tmp: Path) -> Case:
    """A text file renamed to .xlsx."""
    path = tmp / "notes.xlsx"
    path.write_text("区划代码,指标代码\n621202,fai\n", encoding="utf-8")
    return Case(path, sheet=path.name, says="不是 Excel 工作簿")


@malformed
def zip_but_not_workbook(tmp: Path) -> Case:
    """A zip archive (PK header) that holds no workbook, named .xlsx."""
    import zipfile

    path = tmp / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return Case(path, sheet=path.name, says="损坏")


@malformed
def csv_in_utf16(tmp: Path) -> Case:
    """A CSV saved as UTF-16 ('Unicode text'): neither UTF-8 nor GB18030."""
    path = write_csv(tmp / "utf16.csv", [HEADER, GOOD_ROW], encoding="utf-16")
    return Case(path, sheet=path.name, says="编码")


@malformed
def unsupported_extension(tmp: Path) -> Case:
    """A JSON file: neither .xlsx nor .csv."""
    path = tmp / "figures.json"
    path.write_text('[{"region_code": "621202"}]', encoding="utf-8")
    return Case(path, sheet=path.name, says="不支持的文件类型")


# --- malformed: the wide table and targets ------------------------------------------

@malformed
def wide_rank_disagrees(tmp: Path) -> Case:
    """The wide table's 位次 for 武都 and 成县 (固定资产投资) are swapped."""
    path = wide_table(tmp / "wide_bad_rank.xlsx", swap_fai_ranks=(0, 1))
    return Case(path, sheet=WIDE_SHEET, row=4, column="D", says="按表中数据计算应为")


@malformed
def wide_unknown_unit(tmp: Path) -> Case:
    """The wide table lists a unit (陇南经开区) that is no region."""
    path = wide_table(tmp / "wide_bad_unit.xlsx", rename_unit={8: "陇南经开区"})
    return Case(path, sheet=WIDE_SHEET, row=12, column="A", says="未知的单位“陇南经开区”")


@malformed
def wide_negative_value(tmp: Path) -> Case:
    """The wide table gives 文县 a negative 固定资产投资 total."""
    path = wide_table(tmp / "wide_negative.xlsx", change_fai={2: (-30.2, -3.2)})
    return Case(path, sheet=WIDE_SHEET, row=6, column="B", says="为负数")


@malformed
def wide_row_outside_scope(tmp: Path) -> Case:
    """A 武都 clerk imports the whole wide table: 成县 (row 5) and the rest are not theirs."""
    path = wide_table(tmp / "wide_by_wudu.xlsx")
    return Case(path, sheet=WIDE_SHEET, row=5, column="A", says="无权填报成县", user="wudu")


@malformed
def wide_period_in_future(tmp: Path) -> Case:
    """The wide table's title names a period that has not happened yet."""
    year = dt.date.today().year + 1
    path = wide_table(tmp / "wide_future.xlsx", title=f"{year}年1-10月县区主要经济指标完成情况表")
    return Case(path, sheet=WIDE_SHEET, row=1, column="A", says="超出范围")


@malformed
def targets_invalid_source(tmp: Path) -> Case:
    """A targets file whose 来源 is '上级定' (must be 省定/市定/县定)."""
    path = targets_file(tmp / "targets_bad.xlsx", source="上级定")
    return Case(path, sheet="目标", row=2, column="G（来源）", says="应为 省定、市定 或 县定")


# --- large files (50 MB, built by the tests that use them) ------------------------

def huge_corrupt_xlsx(tmp: Path) -> Case:
    """50 MB of random bytes behind a zip signature, named .xlsx."""
    path = tmp / "huge.xlsx"
    with open(path, "wb") as handle:
        handle.write(b"PK\x03\x04")
        for _ in range(50):
            handle.write(os.urandom(1024 * 1024))
    return Case(path, sheet=path.name, says="损坏")


def huge_csv_with_giant_cell(tmp: Path) -> Case:
    """A 50 MB CSV: one good row, then a row whose 累计值 is 50 MB of garbage."""
    path = tmp / "huge.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerow(GOOD_ROW)
        handle.write("621202,武都区,retail,2021-09,")
        chunk = "9x" * (512 * 1024)
        for _ in range(FIFTY_MB // len(chunk)):
            handle.write(chunk)
        handle.write(",3.5,\r\n")
    return Case(path, sheet=path.name, row=3, says="过长")


# --- valid files ----------------------------------------------------------------------

def canonical_figures(path: Path) -> Path:
    """Nine county rows of 固定资产投资 and 社会消费品零售总额 for 2021-09, plus 武都 GDP 前三季度."""
    rows = [HEADER]
    for i, (code, name) in enumerate(LONGNAN_COUNTIES):
        rows.append([code, name, "fai", "2021-09", 40.0 + 7 * i, 5.0 + i, ""])
        rows.append([code, "", "retail", "2021-09", 20.5 + 3 * i, None, "仅有总量"])
    rows.append(["621202", "武都区", "gdp", "2021-09", 210.3, 7.1, ""])
    if path.suffix == ".csv":
        return write_csv(path, rows)
    return write_xlsx(path, rows)


WIDE_SHEET = "县区主要指标"
WIDE_TITLE = "2021年1-10月县区主要经济指标完成情况表"
WIDE_FAI = [(88.1, 12.5), (61.0, 8.1), (30.2, -3.2), (25.9, 15.0), (40.4, 6.6),
            (35.3, 9.9), (45.7, 4.4), (52.6, 11.1), (12.8, 7.7)]
WIDE_RETAIL = [(60.2, 6.1), (31.5, 7.3), (18.4, 5.2), (15.0, 8.8), (14.2, 4.0),
               (20.9, 3.5), (22.3, 6.9), (28.7, 5.5), (5.1, 2.9)]


def _ranks(growths: list[float]) -> list[int]:
    return [1 + sum(other > g for other in growths) for g in growths]


def wide_table(path: Path, *, title: str = WIDE_TITLE, swap_fai_ranks: tuple[int, int] | None = None,
               rename_unit: dict[int, str] | None = None, change_fai: dict[int, tuple] | None = None) -> Path:
    """县区主要经济指标完成情况表: a title row, indicator names in merged headers over
    1-10月累计 / 同比增长% / 位次, one row per county of 陇南 by name."""
    fai_ranks = _ranks([g for _, g in WIDE_FAI])
    retail_ranks = _ranks([g for _, g in WIDE_RETAIL])
    if swap_fai_ranks:
        a, b = swap_fai_ranks
        fai_ranks[a], fai_ranks[b] = fai_ranks[b], fai_ranks[a]
    rows = [
        [title],
        ["县区", "固定资产投资", None, None, "社会消费品零售总额", None, None],
        [None, "1-10月累计", "同比增长%", "位次", "1-10月累计", "同比增长%", "位次"],
    ]
    for i, (_, name) in enumerate(LONGNAN_COUNTIES):
        name = (rename_unit or {}).get(i, name)
        fai = (change_fai or {}).get(i, WIDE_FAI[i])
        rows.append([name, *fai, fai_ranks[i], *WIDE_RETAIL[i], retail_ranks[i]])
    return write_xlsx(path, rows, title=WIDE_SHEET, merges=("A1:G1", "A2:A3", "B2:D2", "E2:G2"))


def targets_file(path: Path, *, source: str = "市定") -> Path:
    """2021 targets of 武都 and 康县 for 固定资产投资 and 地区生产总值."""
    rows = [
        TARGET_HEADER,
        ["621202", "武都区", "fai", 2021, None, 10.0, source, ""],
        ["621224", "康县", "fai", 2021, 60.0, 9.0, "市定", ""],
        ["621202", "武都区", "gdp", 2021, 300.0, 7.0, "省定", "省下达"],
    ]
    return write_xlsx(path, rows, title="目标")


# --- malformed: validation rules across rows and stored figures (逻辑性审核) ------------------------

@malformed
def cumulative_below_last_month(tmp: Path) -> Case:
    """1-9月 累计值 60 below the 1-8月 累计值 90 already entered (a cumulative figure never falls)."""
    path = figures_xlsx(tmp, "cumulative_drop", row(value=60.0, growth=None))
    return Case(path, row=2, column="E（累计值）", says="累计值 60.00 低于同年1-8月累计值 90.00")


@malformed
def growth_inconsistent_with_last_year(tmp: Path) -> Case:
    """社零 1-9月: 130 against last year's 100 is +30%, but the growth column says 5%."""
    path = figures_xlsx(tmp, "growth_consistency", row(indicator="retail", period="2020-09", value=100.0, growth=3.0),
                        row(indicator="retail", value=130.0, growth=5.0))
    return Case(path, row=3, column="F（累计增速(%)）", says="与按上年同期累计值 100.00 和本期累计值 130.00 推算的 30.0%")


@malformed
def counties_above_the_city(tmp: Path) -> Case:
    """The city's 固投 100 is less than its counties' 123.4 + 45 (additive indicator)."""
    path = figures_xlsx(tmp, "county_sum", row(code="621200", name="陇南市", value=100.0), GOOD_ROW)
    return Case(path, row=2, column="E（累计值）", says="2个县区累计值合计 168.40 高于全市累计值 100.00")
