"""The one writer of tables to .xlsx and .csv, and the readers' inverse of its escaping.

Spreadsheet formula injection: text starting with ``= + - @``, a tab or a carriage return is
taken for a formula by Excel or LibreOffice (a project named ``=HYPERLINK(…)`` would become a live
link). Every table the project writes goes through here:

- .xlsx: such text is stored as a text cell marked “quote prefix” (shown and edited as text, never a
  formula); the value itself is unchanged, so reading the file back gives the same text;
- .csv: such text is written with an apostrophe in front (``'=HYPERLINK(…)``), the convention
  spreadsheets show as text; ``unescape`` (used by ``diaodu.ingest.readers``) removes it again, so a
  file exported and imported changes nothing. Text that is a plain number (``-3.5``) is no formula
  and is written as it is.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_PREFIX = "'"
_NUMBER = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def risky(value) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return isinstance(value, str) and value.startswith(RISKY_STARTS) and not _NUMBER.fullmatch(value)


def csv_value(value):
    """A value as a CSV cell: None empty, formula-like text behind an apostrophe."""
    if value is None:
        return ""
    return CSV_PREFIX + value if risky(value) else value


def unescape(value):
    """Undo ``csv_value``'s apostrophe (also what Excel keeps of it when such a CSV is resaved)."""
    if isinstance(value, str) and value[:1] == CSV_PREFIX and value[1:2] and risky(value[1:]):
        return value[1:]
    return value


def unescape_row(row: list) -> list:
    if any(isinstance(v, str) and v[:1] == CSV_PREFIX for v in row):
        return [unescape(v) for v in row]
    return row


def _as_text(cell) -> None:
    """Keep a string cell a string: openpyxl would make ``=…`` a formula and ``#N/A`` an error."""
    if isinstance(cell.value, str):
        if cell.data_type != "s":
            cell.data_type = "s"
        if risky(cell.value):
            cell.quotePrefix = True


def xlsx_value(sheet, value):
    """A value for ``sheet.append`` of a write-only sheet: text that looks like a formula becomes a
    text cell; anything else is passed as it is (numbers stay numbers)."""
    if isinstance(value, str) and (value[:1] in RISKY_STARTS or value[:1] == "#"):
        cell = WriteOnlyCell(sheet, value=value)
        _as_text(cell)
        return cell
    return value


def set_cell(sheet, row: int, column: int, value):
    """``sheet.cell(row, column, value)`` of a normal (not write-only) sheet, text kept text."""
    cell = sheet.cell(row, column)
    cell.value = value
    _as_text(cell)
    return cell


def append_row(sheet, values) -> None:
    """``sheet.append(values)`` of a normal (not write-only) sheet, text kept text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        _as_text(cell)


def append_rows(sheet, rows) -> int:
    """Append rows to a write-only sheet, escaped; the number of rows."""
    count = 0
    for row in rows:
        sheet.append([xlsx_value(sheet, v) for v in row])
        count += 1
    return count


def write_csv(handle, headers: list[str], rows) -> int:
    """Write a header and rows to an open text handle as CSV, escaped; the number of rows."""
    writer = csv.writer(handle)
    writer.writerow([csv_value(h) for h in headers])
    count = 0
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
        count += 1
    return count


def write_table(path, headers: list[str], rows, sheet_title: str) -> int:
    """Write rows to .xlsx (write-only, fast) or .csv (UTF-8 with BOM, which Excel opens as UTF-8)
    by the file's suffix; the number of rows written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            return write_csv(handle, headers, rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    sheet.append([xlsx_value(sheet, h) for h in headers])
    count = append_rows(sheet, rows)
    workbook.save(path)
    return count
