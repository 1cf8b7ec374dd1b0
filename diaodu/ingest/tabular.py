"""The one import mechanism: a file of rows → validated records → one write.

An importer declares its columns (Chinese header, English header, aliases)
and how to turn one row into a record. ``run_import`` reads the file, binds
every row, collects *every* problem as 工作表/行/列/原因, and only when there
is none hands all records to the importer's write function, in one
transaction. A file with any problem writes nothing (NetBox's bulk import).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from diaodu.core.parsing import cell_text
from diaodu.ingest.problems import IngestError, Problem
from diaodu.ingest.readers import Sheet, column_letter, read_file

MAX_PROBLEMS = 500  # enough to fix a file; more only buries the first ones


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template's Chinese header
    english: str
    aliases: tuple[str, ...] = ()
    required: bool = True


def normalise_header(text) -> str:
    text = "" if text is None else str(text)
    text = text.replace("（", "(").replace("）", ")").replace("％", "%")
    return re.sub(r"\s+", "", text).lower()


class RowProblems(Exception):
    """Raised by a row binder with the problems of that row."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems  # (column key, message)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    dry_run: bool = False
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # validation warnings (confirmed, or in a preview)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rows": self.rows,
            "dry_run": self.dry_run,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
        }


class Importer:
    """Base of every importer. Subclasses set ``kind``, ``title``, ``columns``
    and implement ``bind_row`` and ``write``."""

    kind = ""
    title = ""
    columns: tuple[Column, ...] = ()

    def __init__(self, user, **options):
        self.user = user
        self.options = options

    # --- header ----------------------------------------------------------
    @classmethod
    def header_map(cls) -> dict[str, str]:
        out = {}
        for column in cls.columns:
            for name in (column.label, column.english, column.key, *column.aliases):
                out[normalise_header(name)] = column.key
        return out

    @classmethod
    def matches(cls, header: list) -> bool:
        names = cls.header_map()
        keys = {names.get(normalise_header(cell)) for cell in header if str(cell or "").strip()}
        return all(c.key in keys for c in cls.columns if c.required)

    def label(self, key: str) -> str:
        for column in self.columns:
            if column.key == key:
                return column.label
        return key

    # --- per row and per batch -----------------------------------------
    def bind_row(self, cells: dict[str, object]) -> object:
        """Turn one row's cells (by column key) into a record, or raise RowProblems."""
        raise NotImplementedError

    def fast_binder(self, keys: tuple[str, ...]) -> Callable[[tuple], object] | None:
        """Optionally, a quicker binder for files of many rows: a function of one
        row's values (in the order of ``keys``) returning the record of a row it
        can vouch for entirely, or None to send the row through ``bind_row``,
        which words its problems. It must never accept a row bind_row refuses."""
        return None

    def key_of(self, record) -> tuple | None:
        """A record's identity, to reject duplicate rows; None = no check."""
        return None

    def located(self, key: tuple, sheet: str, row: int, letters: dict[str, str]) -> None:
        """Where the record of ``key`` came from (sheet, row, the columns' letters by key), for
        problems found after binding (validation rules across rows); by default forgotten."""

    def write(self, records: list, *, dry_run: bool):
        """Write every record; returns an object with created/updated/unchanged."""
        raise NotImplementedError


def _is_blank(row) -> bool:
    """``not any(cell_text(c) for c in row)``, without a call per cell: a number,
    date or boolean is content, so the usual row's first cell settles it."""
    for cell in row:
        if cell is None:
            continue
        if type(cell) is str:
            if cell.strip():
                return False
            continue
        return False
    return True


def bind_sheet(importer: Importer, sheet: Sheet, problems: list[Problem], records: list,
               seen: dict, header_row: int = 0) -> int:
    """Bind every data row of one sheet; returns the number of data rows."""
    if sheet.merged:
        for (r1, c1), (r2, c2) in sheet.merged[:10]:
            problems.append(Problem(sheet.name, r1 + 1, column_letter(c1),
                                    f"存在合并单元格 {column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}，请取消合并后再导入"))
        return 0
    rows = sheet.iter_rows()
    header = None
    for index, row in enumerate(rows):
        if index == header_row:
            header = row
            break
    if header is None or not any(cell_text(c) for c in header):
        problems.append(Problem(sheet.name, None, None, "工作表为空：没有表头和数据"))
        return 0
    names = importer.header_map()
    positions: dict[str, int] = {}
    for col, cell in enumerate(header):
        text = cell_text(cell)
        if not text:
            continue
        key = names.get(normalise_header(text))
        if key is None:
            problems.append(Problem(sheet.name, header_row + 1, column_letter(col), f"无法识别的列名“{text}”"))
        elif key in positions:
            problems.append(Problem(sheet.name, header_row + 1, column_letter(col), f"列“{text}”重复"))
        else:
            positions[key] = col
    for column in importer.columns:
        if column.required and column.key not in positions:
            problems.append(Problem(sheet.name, header_row + 1, None, f"缺少必需的列“{column.label}”"))
    if problems:
        return 0
    letters = {key: column_letter(col) for key, col in positions.items()}
    formula_errors: dict[int, list[tuple[int, str]]] = {}
    for (r, c), v in sheet.formula_errors.items():
        formula_errors.setdefault(r, []).append((c, v))
    # This loop runs once per row of files up to a million rows: the columns are
    # picked with one itemgetter call, and bound methods are looked up once.
    keys = tuple(positions)
    cols = tuple(positions.values())
    width = max(cols) + 1
    pick = operator.itemgetter(*cols) if len(cols) > 1 else (lambda r: (r[cols[0]],))
    bind_row, key_of = importer.bind_row, importer.key_of
    fast = importer.fast_binder(keys)
    count = 0
    for offset, row in enumerate(rows, start=header_row + 2):
        if _is_blank(row):
            continue
        count += 1
        if formula_errors and offset - 1 in formula_errors:
            problems.extend(
                Problem(sheet.name, offset, column_letter(c), f"单元格是 Excel 错误值 {v}（公式出错），请改为数值")
                for c, v in formula_errors[offset - 1]
            )
            continue
        if len(row) >= width:
            values = pick(row)
        else:  # a short CSV line
            values = tuple(row[col] if col < len(row) else None for col in cols)
        record = fast(values) if fast is not None else None
        if record is None:
            try:
                record = bind_row(dict(zip(keys, values, strict=True)))
            except RowProblems as exc:
                for key, message in exc.problems:
                    problems.append(Problem(sheet.name, offset, f"{letters.get(key, '')}（{importer.label(key)}）"
                                            if key in letters else importer.label(key), message))
                if len(problems) >= MAX_PROBLEMS:
                    break
                continue
        key = key_of(record)
        if key is not None:
            first = seen.get(key)
            if first is not None:
                problems.append(Problem(sheet.name, offset, None, f"与第 {first} 行重复（同一对象只能出现一次）"))
                continue
            seen[key] = offset
            importer.located(key, sheet.name, offset, letters)
        records.append(record)
    if count == 0:
        problems.append(Problem(sheet.name, None, None, "工作表只有表头，没有数据行"))
    return count


def run_import(path, importer: Importer, *, dry_run: bool = False,
               sheets: Iterable[Sheet] | None = None) -> ImportResult:
    """Read, bind and (if every row is valid) write a file. Raises IngestError."""
    sheets = list(sheets) if sheets is not None else read_file(path)
    problems: list[Problem] = []
    records: list = []
    seen: dict = {}
    total = 0
    data_sheets = [s for s in sheets if s.rows is None or any(any(cell_text(c) for c in r) for r in s.rows)]
    if not data_sheets:
        raise IngestError([Problem(sheets[0].name if sheets else str(path), None, None, "文件没有任何数据")])
    for sheet in data_sheets:
        total += bind_sheet(importer, sheet, problems, records, seen)
    if problems:
        raise IngestError(problems[:MAX_PROBLEMS])
    with transaction.atomic():
        summary = importer.write(records, dry_run=dry_run)
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(summary.created, summary.updated, summary.unchanged, total, dry_run,
                        warnings=list(getattr(summary, "problems", []) or []))


