"""Uploaded zip containers (.xlsx, .docx) checked before anything parses them.

A 7 KB upload once held a worker for two minutes (a quadratic regular
expression) and a 1 MB one inflated to 8 GB (a zip bomb). So before calamine
or python-docx sees a file:

- the zip's member count and each member's and the total uncompressed size are
  limited, counted by inflating the members ourselves (a header may lie about
  its sizes; the inflated bytes cannot);
- a worksheet's extent (rows × columns) is limited, since calamine allocates
  the whole rectangle from the first to the last cell however empty;
- the cells holding an Excel error value (#DIV/0!, which calamine shows as
  empty) are found by a streaming XML parser (expat: linear time);
- all of it runs in a child process with a memory and CPU budget and a
  timeout, so a file beyond them is refused with a message and the worker
  lives on.

Only the standard library is imported here: the child starts in milliseconds.
``python -m diaodu.core.uploads KIND PATH LIMITS_JSON`` prints one JSON object.
"""

from __future__ import annotations

import functools
import json
import os
import re
import struct
import subprocess
import sys
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from xml.parsers import expat


@dataclass(frozen=True)
class Limits:
    """What an upload may be; from the settings (README: 安全 · 上传限制)."""

    max_members: int = 2000
    max_member_bytes: int = 300 * 1024 * 1024
    max_total_bytes: int = 300 * 1024 * 1024
    max_cells: int = 8_000_000
    seconds: int = 60
    memory_mb: int = 768

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            max_members=settings.DIAODU_UPLOAD_MAX_MEMBERS,
            max_member_bytes=settings.DIAODU_UPLOAD_MAX_UNZIPPED_MB * 1024 * 1024,
            max_total_bytes=settings.DIAODU_UPLOAD_MAX_UNZIPPED_MB * 1024 * 1024,
            max_cells=settings.DIAODU_UPLOAD_MAX_CELLS,
            seconds=settings.DIAODU_UPLOAD_PARSE_SECONDS,
            memory_mb=settings.DIAODU_UPLOAD_PARSE_MEMORY_MB,
        )


class UploadRefused(Exception):
    """The file is over a limit or not a readable container; the message is for the user."""


def _mb(n: int) -> str:
    return f"{n / 1048576:,.0f} MB"


# --- zip members, inflated and counted -------------------------------------------

_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
CHUNK = 1 << 20


def _members(handle) -> list[tuple[str, int, int, int, int]]:
    """(name, method, offset of the data, compressed size, declared size) of each member."""
    import zipfile

    try:
        infos = zipfile.ZipFile(handle).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadRefused(f"文件已损坏或不是有效的压缩包（{type(exc).__name__}）")
    out = []
    for info in infos:
        handle.seek(info.header_offset)
        header = handle.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise UploadRefused("文件已损坏：压缩包成员的本地文件头无效")
        fields = _LOCAL_HEADER.unpack(header)
        data_offset = info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10]
        out.append((info.filename, info.compress_type, data_offset, info.compress_size, info.file_size))
    return out


def _inflate(handle, method: int, offset: int, size: int, cap: int, name: str):
    """Yield the member's bytes in chunks, refusing once more than ``cap`` come out."""
    if method not in (0, 8):
        raise UploadRefused(f"压缩包成员 {name} 使用了不支持的压缩方式（{method}）")
    handle.seek(offset)
    left, produced = size, 0
    inflater = zlib.decompressobj(-15) if method == 8 else None
    while left > 0 or (inflater is not None and inflater.unconsumed_tail):
        if inflater is not None and inflater.unconsumed_tail:
            raw = inflater.unconsumed_tail
        else:
            raw = handle.read(min(CHUNK, left))
            if not raw:
                raise UploadRefused(f"文件已损坏：压缩包成员 {name} 不完整")
            left -= len(raw)
        try:
            out = inflater.decompress(raw, CHUNK) if inflater is not None else raw
        except zlib.error:
            raise UploadRefused(f"文件已损坏：压缩包成员 {name} 无法解压")
        produced += len(out)
        if produced > cap:
            raise _over_member(name, cap)
        if out:
            yield out
        if inflater is not None and inflater.eof:
            break


def _over_member(name: str, cap: int) -> UploadRefused:
    return UploadRefused(f"压缩包成员 {name} 解压后超过 {_mb(cap)}（上限 DIAODU_UPLOAD_MAX_UNZIPPED_MB），"
                         "这不像正常的表格或文档，已拒绝")


def check_zip(path: str | Path, limits: Limits, keep=lambda name: False) -> dict[str, bytes]:
    """Inflate every member within the limits; return the bytes of those ``keep`` selects."""
    kept: dict[str, bytes] = {}
    with open(path, "rb") as handle:
        members = _members(handle)
        if len(members) > limits.max_members:
            raise UploadRefused(f"压缩包内有 {len(members):,} 个文件，超过上限 {limits.max_members:,} 个"
                                "（DIAODU_UPLOAD_MAX_MEMBERS），已拒绝")
        declared = sum(m[4] for m in members)
        if declared > limits.max_total_bytes:
            raise UploadRefused(f"文件解压后共 {_mb(declared)}，超过上限 {_mb(limits.max_total_bytes)}"
                                "（DIAODU_UPLOAD_MAX_UNZIPPED_MB），已拒绝")
        total = 0
        for name, method, offset, size, file_size in members:
            if file_size > limits.max_member_bytes:
                raise _over_member(name, limits.max_member_bytes)
            parts = [] if keep(name) else None
            for chunk in _inflate(handle, method, offset, size, limits.max_member_bytes, name):
                total += len(chunk)
                if total > limits.max_total_bytes:
                    raise UploadRefused(f"文件解压后超过 {_mb(limits.max_total_bytes)}"
                                        "（DIAODU_UPLOAD_MAX_UNZIPPED_MB），已拒绝")
                if parts is not None:
                    parts.append(chunk)
            if parts is not None:
                kept[name] = b"".join(parts)
    return kept


# --- worksheets ------------------------------------------------------------------------

def _xml(data: bytes, start, end=None, char=None) -> None:
    """Parse with expat (linear time); no document type, so no entity expansion."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise UploadRefused("文件内含 XML 实体声明，不是正常的 Excel 或 Word 文件，已拒绝")
    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if char:
        parser.CharacterDataHandler = char
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise UploadRefused(f"文件已损坏：XML 格式错误（{exc}）")


def _sheet_members(files: dict[str, bytes]) -> list[str]:
    """The worksheet members in workbook order (calamine's sheet indexes)."""
    rels: dict[str, str] = {}
    order: list[str] = []

    def on_rel(name, attrs):
        if name.rsplit(":", 1)[-1] == "Relationship" and "Id" in attrs:
            rels[attrs["Id"]] = attrs.get("Target", "")

    def on_sheet(name, attrs):
        if name.rsplit(":", 1)[-1] == "sheet":
            rid = next((v for k, v in attrs.items() if k.endswith(":id") or k == "r:id"), None)
            order.append(rid or "")

    if "xl/workbook.xml" not in files or "xl/_rels/workbook.xml.rels" not in files:
        raise UploadRefused("Excel 文件已损坏或无法读取（缺少工作簿结构）")
    _xml(files["xl/_rels/workbook.xml.rels"], on_rel)
    _xml(files["xl/workbook.xml"], on_sheet)
    out = []
    for rid in order:
        target = rels.get(rid, "").lstrip("/")
        out.append(target if target.startswith("xl/") else f"xl/{target}")
    return out


_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})$")


def _column(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index


def scan_sheet(data: bytes, max_cells: int, label: str) -> dict[str, str]:
    """The sheet's error cells ("row,col" → value), refusing a sheet whose extent
    (what calamine would allocate) exceeds ``max_cells``."""
    errors: dict[str, str] = {}
    state = {"row": 0, "col": 0, "max_row": 0, "max_col": 0, "error": None, "in_v": False, "value": []}

    def start(name, attrs):
        local = name.rsplit(":", 1)[-1]
        if local == "row":
            r = attrs.get("r")
            state["row"] = int(r) if r and r.isdigit() else state["row"] + 1
            state["col"] = 0
        elif local == "c":
            match = _REF.match(attrs.get("r", ""))
            if match:
                state["col"], row = _column(match[1]), int(match[2])
            else:
                state["col"] += 1
                row = state["row"]
            if row > state["max_row"]:
                state["max_row"] = row
            if state["col"] > state["max_col"]:
                state["max_col"] = state["col"]
            state["error"] = (row, state["col"]) if attrs.get("t") == "e" else None
        elif local == "v" and state["error"]:
            state["in_v"], state["value"] = True, []

    def end(name):
        local = name.rsplit(":", 1)[-1]
        if local == "v" and state["in_v"]:
            row, col = state["error"]
            errors[f"{row - 1},{col - 1}"] = "".join(state["value"])
            state["in_v"] = False
        elif local == "c":
            state["error"] = None

    def char(text):
        if state["in_v"]:
            state["value"].append(text)

    if b't="e"' in data:
        _xml(data, start, end, char)
    elif _PREFIXED_CELL.search(data):
        _extent_general(data, state)
    elif _within_bound(data, max_cells):
        return errors
    else:
        _extent_exact(data, state)
    extent = state["max_row"] * state["max_col"]
    if extent > max_cells:
        raise UploadRefused(f"工作表“{label}”的范围为 {state['max_row']:,} 行 × {state['max_col']:,} 列，"
                            f"超过 {max_cells:,} 个单元格的上限（DIAODU_UPLOAD_MAX_CELLS），已拒绝")
    return errors


# Linear patterns: no nested or overlapping repetition; [^<>] stops at the tag's end.
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^<>]*?\sr=\"(\d{1,9})\"")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b[^<>]*?\sr=\"([A-Z]{1,3})(\d{1,9})\"")
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_ANY_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
# calamine reads <x:c> as a cell as well as <c>: a prefixed cell is never the usual shape.
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_UNPREFIXED_CELL = re.compile(rb"<c[\s/>]")
# The usual shape (every writer we know puts r first): literal prefixes, one pass each.
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})\d')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,9})"')
SLICE = 8 << 20


@functools.lru_cache(maxsize=8)
def _unusual_cell(max_cells: int) -> re.Pattern | None:
    """A cell tag other than ``<c r="A123"`` with a one-letter column and a row
    below R, where 26 × R <= max_cells (R = a × 10^k: 300,000 for 8 million cells).
    None when no R >= 1 fits."""
    bound = max_cells // 26
    if bound < 1:
        return None
    k = len(str(bound)) - 1
    a = bound // 10**k
    rows = rf"\d{{1,{k}}}" if k else ""  # fewer digits than R, then as many digits, below a × 10^k
    if a > 1:
        rows = "|".join(filter(None, (rows, rf"[1-{a - 1}]\d{{{k}}}")))
    if not rows:  # R is 1: no row is below it
        return None
    return re.compile(rb'<c(?=[\s/>])(?! r="[A-Z](?:' + rows.encode() + rb')")')


def _within_bound(data: bytes, max_cells: int) -> bool:
    """True when every cell is the usual ``<c r="A123"`` within the bound of
    ``_unusual_cell``: the sheet fits without counting it cell by cell. One
    pass of a literal search; a 36 MB sheet of 100,000 rows takes 0.05 s where
    counting every cell took 0.3 s (bench/import_bench.py)."""
    pattern = _unusual_cell(max_cells)
    return pattern is not None and pattern.search(data) is None


def _extent_exact(data: bytes, state: dict) -> None:
    """A sheet's extent without a Python call per cell. When every cell starts
    ``<c r="A1"``, two literal scans suffice; otherwise the general scan below."""
    rows = _CELL_ROW.findall(data)
    if len(rows) == len(_UNPREFIXED_CELL.findall(data)):
        state["max_row"] = max(map(int, rows), default=0)
        state["max_col"] = max((_column(c.decode()) for c in set(_CELL_COLUMN.findall(data))), default=0)
        return
    _extent_general(data, state)


def _extent_general(data: bytes, state: dict) -> None:
    """In slices cut at a "<" (no tag is split, memory stays small); cells or rows
    without a reference count as if each took a further row or column."""
    max_row = max_col = unreferenced_cells = unreferenced_rows = 0
    start = 0
    while start < len(data):
        cut = data.find(b"<", start + SLICE)
        end = len(data) if cut < 0 else cut
        part = data[start:end]
        cells = _CELL_TAG.findall(part)
        rows = _ROW_TAG.findall(part)
        max_row = max([max_row, *(int(r) for _, r in cells), *(int(r) for r in rows)])
        max_col = max([max_col, *(_column(c.decode()) for c in {c for c, _ in cells})])
        unreferenced_cells += len(_ANY_CELL.findall(part)) - len(cells)
        unreferenced_rows += len(_ANY_ROW.findall(part)) - len(rows)
        start = end
    state["max_row"] = max_row + max(unreferenced_rows, 0)
    state["max_col"] = max_col + max(unreferenced_cells, 0)


def scan_xlsx(path: str | Path, limits: Limits) -> dict:
    files = check_zip(path, limits, keep=lambda n: n.startswith("xl/") and n.endswith((".xml", ".rels"))
                      and (n.startswith("xl/worksheets/") or n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")))
    errors = {}
    for index, member in enumerate(_sheet_members(files)):
        if member in files:
            found = scan_sheet(files.pop(member), limits.max_cells, member.rsplit("/", 1)[-1])
            if found:
                errors[str(index)] = found
    return {"formula_errors": errors}


def scan_docx(path: str | Path, limits: Limits) -> dict:
    files = check_zip(path, limits, keep=lambda n: n == "word/document.xml")
    if "word/document.xml" not in files:
        raise UploadRefused("不是有效的 Word 文档（缺少 word/document.xml）")
    _xml(files["word/document.xml"], lambda name, attrs: None)
    return {}


SCANNERS = {"xlsx": scan_xlsx, "docx": scan_docx}


# --- the child process ------------------------------------------------------------------

def _limit_self(limits: Limits) -> None:  # pragma: no cover - runs in the child
    """The child limits itself first thing (no preexec_fn: the server's workers have threads)."""
    try:
        import resource
    except ImportError:  # not POSIX: the parent's timeout still holds
        return
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 1))


def check_upload(kind: str, path: str | Path, limits: Limits | None = None) -> dict:
    """Run the ``kind`` scanner on ``path`` in a child process within the limits.
    Raises UploadRefused with the reason."""
    limits = limits or Limits.from_settings()
    command = [sys.executable, "-m", "diaodu.core.uploads", kind, str(path), json.dumps(asdict(limits))]
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "PYTHONPATH", "LANG", "LC_ALL", "HOME")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(Path(__file__).resolve().parents[2]),
                                                      env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(command, capture_output=True, timeout=limits.seconds, env=env)
    except subprocess.TimeoutExpired:
        raise UploadRefused(f"文件解析超过 {limits.seconds} 秒的时限（DIAODU_UPLOAD_PARSE_SECONDS），已拒绝")
    try:
        answer = json.loads(done.stdout.decode("utf-8").strip().splitlines()[-1])
    except (ValueError, IndexError):
        answer = None
    if done.returncode != 0 or not isinstance(answer, dict):
        if b"MemoryError" in done.stderr or done.returncode in (-9, -6, 137):
            raise UploadRefused(f"文件解析超过 {limits.memory_mb} MB 的内存上限"
                                "（DIAODU_UPLOAD_PARSE_MEMORY_MB），已拒绝")
        if done.returncode in (-24, 152):  # SIGXCPU
            raise UploadRefused(f"文件解析超过 {limits.seconds} 秒的时限（DIAODU_UPLOAD_PARSE_SECONDS），已拒绝")
        raise UploadRefused("文件无法读取（检查进程异常退出）")
    if "refused" in answer:
        raise UploadRefused(answer["refused"])
    return answer


def main(argv: list[str]) -> int:  # pragma: no cover - runs in the child
    kind, path, raw = argv
    limits = Limits(**json.loads(raw))
    _limit_self(limits)
    try:
        answer = SCANNERS[kind](path, limits)
    except UploadRefused as exc:
        answer = {"refused": str(exc)}
    except MemoryError:
        sys.stderr.write("MemoryError\n")
        return 3
    sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
