"""Hostile files, built small in the test (the attack pass's samples), and a
runner that reads one in a child process under a time and memory limit, so a
regression fails the test instead of hanging or swapping the machine."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                 b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                 b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 b'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
                 b'"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
ROOT_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
             b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
             b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def xlsx_bytes(sheet_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def regex_bomb() -> bytes:
    """1 MiB of error cells with an unclosed <f>: quadratic for the old regex (≈ 7 KB zipped)."""
    cell = b'<c r="A1" t="e"><f>'
    return xlsx_bytes(SHEET_HEAD + b'<row r="1">' + cell * (1048576 // len(cell)))


def zip_bomb(unzipped_mb: int) -> bytes:
    """A well-formed sheet padded with whitespace inside <sheetData> to ``unzipped_mb`` MB
    (written in chunks: the test never holds the inflated sheet)."""
    buffer = io.BytesIO(xlsx_bytes(SHEET_HEAD + SHEET_TAIL))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as member:
            member.write(SHEET_HEAD + b'<row r="1"><c r="A1"><v>1</v></c></row>')
            pad = b" " * 1048576
            for _ in range(unzipped_mb):
                member.write(pad)
            member.write(SHEET_TAIL)
    return buffer.getvalue()


def wide_sheet() -> bytes:
    """Two cells, A1 and XFD1048576: calamine would allocate 17 billion cells."""
    return xlsx_bytes(SHEET_HEAD + b'<row r="1"><c r="A1"><v>1</v></c></row>'
                      b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' + SHEET_TAIL)


def million_rows() -> bytes:
    """A 1 MiB-row sheet: one number in every row of column A (≈ 2 MB zipped)."""
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 1048577))
    return xlsx_bytes(SHEET_HEAD + rows + SHEET_TAIL)


def docx_bomb(unzipped_mb: int) -> bytes:
    body = b" " * (unzipped_mb * 1048576)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml",
                         b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p>'
                         + body + b"</w:body></w:document>")
    return buffer.getvalue()


def many_members(count: int) -> bytes:
    return xlsx_bytes(SHEET_HEAD + SHEET_TAIL, {f"xl/media/m{i}.bin": b"" for i in range(count)})


def read_limited(code: str, home: Path, *, seconds: float = 20, memory_mb: int = 1536, env: dict | None = None) -> dict:
    """Run ``code`` (which prints one JSON line) in a Django-configured child
    limited to ``memory_mb`` of address space and killed after ``seconds``."""
    child_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "diaodu.settings", "DIAODU_HOME": str(home),
           "DATABASE_URL": f"sqlite:///{home / 'x.sqlite3'}", "PYTHONPATH": str(ROOT), **(env or {})}
    prelude = ("import resource, json, sys\n"
               f"resource.setrlimit(resource.RLIMIT_AS, ({memory_mb} << 20, {memory_mb} << 20))\n"
               "import django\ndjango.setup()\n")
    try:
        done = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, timeout=seconds,
                              env=child_env, cwd=str(home))
    except subprocess.TimeoutExpired:
        return {"outcome": "timeout"}
    lines = done.stdout.decode().strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"outcome": "crashed", "stderr": done.stderr.decode()[-2000:]}
    return json.loads(lines[-1])


READ = """
from diaodu.ingest.problems import IngestError
from diaodu.ingest.readers import read_file
try:
    sheets = read_file(sys.argv[1] if len(sys.argv) > 1 else {path!r})
    print(json.dumps({{"outcome": "read", "rows": sum(len(s.rows or []) for s in sheets)}}))
except IngestError as exc:
    print(json.dumps({{"outcome": "refused", "message": str(exc.problems[0])}}, ensure_ascii=False))
"""
