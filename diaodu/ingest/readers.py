"""Read spreadsheets (.xlsx) and CSV files into rows, refusing what is not one.

python-calamine reads .xlsx several times faster than openpyxl; it hides
formula errors (#DIV/0!) as empty cells, so those are found by scanning the
worksheet XML for error-typed cells — in the upload check that bounds the
file before calamine reads it (``diaodu.core.uploads``).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from diaodu.core.tables import unescape_row
from diaodu.ingest.problems import IngestError, Problem

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls / .doc
# The import template's sheet of codes behind its dropdowns: never data, so a
# filled-in template imports as it is.
REFERENCE_SHEET = "代码表"


@dataclass
class Sheet:
    """One worksheet: its rows (header included, row 1 first) and merged ranges."""

    name: str
    rows: list[list] | None = None
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    formula_errors: dict[tuple[int, int], str] = field(default_factory=dict)
    csv_path: Path | None = None
    csv_encoding: str = "utf-8-sig"

    def iter_rows(self) -> Iterator[list]:
        """Rows as lists of cell values; a CSV sheet streams from disk."""
        if self.rows is not None:
            yield from self.rows
            return
        with open(self.csv_path, newline="", encoding=self.csv_encoding) as handle:
            reader = csv.reader(handle)
            try:
                # The table writer's formula escaping (an apostrophe before =, +, - or @) is undone here.
                yield from map(unescape_row, reader)
            except csv.Error as exc:
                # A cell beyond the csv module's field limit (128 KB) is never a
                # figure: the file is something else, or garbage.
                reason = (f"单元格内容过长（超过 {csv.field_size_limit()} 个字符），这不像是数据表格"
                          if "field limit" in str(exc) else "CSV 格式错误，无法读取此行")
                raise IngestError([Problem(self.name, reader.line_num, None, reason)]) from None


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_file(path: str | Path) -> list[Sheet]:
    """Sheets of an .xlsx or .csv file, or IngestError naming what is wrong."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise IngestError([Problem(name, None, None, "文件不存在")])
    with open(path, "rb") as handle:
        head = handle.read(8)
    suffix = path.suffix.lower()
    if head.startswith(OLE_MAGIC):
        raise IngestError([Problem(name, None, None, "这是旧版 Excel（.xls）文件，请用 Excel 另存为 .xlsx 后再导入")])
    if suffix in (".xlsx", ".xlsm"):
        if not head.startswith(XLSX_MAGIC):
            raise IngestError([Problem(name, None, None, "文件扩展名是 .xlsx，但内容不是 Excel 工作簿（可能是改了扩展名的文本文件）")])
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        if head.startswith(XLSX_MAGIC):
            raise IngestError([Problem(name, None, None, "文件扩展名是 .csv，但内容是 Excel 工作簿，请改为 .xlsx")])
        return [Sheet(name=name, csv_path=path, csv_encoding=_csv_encoding(path))]
    raise IngestError([Problem(name, None, None, f"不支持的文件类型 {suffix or '(无扩展名)'}：请使用 .xlsx 或 .csv")])


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or GB18030, the two encodings clerks' files come in."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        with open(path, "rb") as handle:
            io.TextIOWrapper(handle, encoding="gb18030").read()
        return "gb18030"
    except UnicodeDecodeError:
        raise IngestError([Problem(path.name, None, None, "无法识别文件编码：请保存为 UTF-8 编码的 CSV")])


def _read_xlsx(path: Path) -> list[Sheet]:
    try:
        errors = _formula_errors(path)
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for index, sheet_name in enumerate(workbook.sheet_names):
            if sheet_name == REFERENCE_SHEET:
                continue
            sheet = workbook.get_sheet_by_index(index)
            rows = [unescape_row(row) for row in sheet.to_python(skip_empty_area=False)]
            merged = list(sheet.merged_cell_ranges or [])
            sheets.append(Sheet(name=sheet_name, rows=rows, merged=merged, formula_errors=errors.get(index, {})))
        return sheets
    except IngestError:
        raise
    except Exception as exc:  # calamine raises its own types for broken zips and XML
        raise IngestError([Problem(path.name, None, None, f"Excel 文件已损坏或无法读取（{type(exc).__name__}）")])


def _formula_errors(path: Path) -> dict[int, dict[tuple[int, int], str]]:
    """Cells holding an Excel error value (#DIV/0!, #N/A …), by sheet index, found
    while the file is checked against the upload limits (``diaodu.core.uploads``:
    a child process with a time and memory budget, linear-time parsing)."""
    from diaodu.core.uploads import UploadRefused, check_upload

    try:
        answer = check_upload("xlsx", path)
    except UploadRefused as exc:
        raise IngestError([Problem(path.name, None, None, str(exc))])
    out: dict[int, dict[tuple[int, int], str]] = {}
    for index, cells in answer.get("formula_errors", {}).items():
        out[int(index)] = {tuple(int(n) for n in key.split(",")): value for key, value in cells.items()}
    return out
