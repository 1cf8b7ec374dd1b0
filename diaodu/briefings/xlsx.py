"""The tables of a document as an .xlsx workbook (one sheet per table).

Each sheet: the title (with the period, e.g. “陇南市2021年1-9月县区主要经济指标完成情况表”, which
the wide-table import reads), a units line, one or two header rows (an indicator's name merged
over its 累计 / 同比增长% / 位次 columns), the rows with numbers stored as numbers and shown with
their number formats, pace fills, a 注 line; frozen panes below the header and right of the first
column; print setup A4 landscape, fit to one page wide, header rows repeated on every page.
The county table is also the import's wide table: ``diaodu import`` of it changes nothing.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from diaodu.core import numbers
from diaodu.core.tables import set_cell

from .doc import FILLS, Table

FONT = "仿宋_GB2312"
HEAD_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMATS = {0: "0", 1: "0.0", 2: "0.00"}


def render(tables: list[Table]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for table in tables:
        name = (table.sheet or table.title)[:31]
        base, k = name, 2
        while name in used:
            name = f"{base[:28]}{k}"
            k += 1
        used.add(name)
        _sheet(wb.create_sheet(name), table)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(ws, table: Table) -> None:
    n = len(table.columns)
    last = get_column_letter(n)
    set_cell(ws, 1, 1, table.xlsx_title or table.title)
    ws["A1"].font = Font(name=TITLE_FONT, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 30
    set_cell(ws, 2, 1, table.subtitle)
    ws["A2"].font = Font(name=FONT, size=10)
    ws["A2"].alignment = Alignment(horizontal="right")
    ws.merge_cells(f"A2:{last}2")
    head = 3
    head_font = Font(name=HEAD_FONT, size=10)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if table.two_level:
        c = 0
        while c < n:
            col = table.columns[c]
            letter = get_column_letter(c + 1)
            if not col.group:
                set_cell(ws, head, c + 1, col.label)
                ws.merge_cells(f"{letter}{head}:{letter}{head + 1}")
                c += 1
                continue
            end = c
            while end + 1 < n and table.columns[end + 1].group == col.group:
                end += 1
            set_cell(ws, head, c + 1, col.group)
            if end > c:
                ws.merge_cells(f"{letter}{head}:{get_column_letter(end + 1)}{head}")
            for k in range(c, end + 1):
                set_cell(ws, head + 1, k + 1, table.columns[k].label)
            c = end + 1
        header_rows = 2
    else:
        for c, col in enumerate(table.columns):
            set_cell(ws, head, c + 1, col.label)
        header_rows = 1
    for r in range(head, head + header_rows):
        for c in range(1, n + 1):
            cell = ws.cell(r, c)
            cell.font, cell.alignment, cell.border = head_font, center, BORDER
    body_font = Font(name=FONT, size=10)
    first = head + header_rows
    fills = {k: PatternFill("solid", fgColor=v) for k, v in FILLS.items()}
    for i, row in enumerate(table.rows):
        for c, value in enumerate(row):
            stored = value.value
            if isinstance(stored, (int, float)) and not isinstance(stored, bool) and value.digits is not None:
                stored = numbers.number(stored, value.digits)  # the value the cell shows, not 81.25 shown as 81.3
            cell = set_cell(ws, first + i, c + 1, stored)
            cell.font, cell.border = body_font, BORDER
            cell.alignment = Alignment(horizontal="left" if c == 0 else "center", vertical="center")
            if isinstance(value.value, (int, float)) and value.digits is not None:
                cell.number_format = FORMATS.get(value.digits, "0.00")
            if value.fill:
                cell.fill = fills[value.fill]
    end_row = first + len(table.rows)
    if table.note:
        set_cell(ws, end_row, 1, table.note).font = Font(name=FONT, size=9)
        ws.merge_cells(f"A{end_row}:{last}{end_row}")
        ws.cell(end_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[end_row].height = 30
    for c, col in enumerate(table.columns):
        ws.column_dimensions[get_column_letter(c + 1)].width = max(6.0, col.width / 2.0)
    ws.freeze_panes = f"B{first}"  # a coordinate: with no rows, the cell there is the merged 注 line
    ws.print_title_rows = f"{head}:{head + header_rows - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
