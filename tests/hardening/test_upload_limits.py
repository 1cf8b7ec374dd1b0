"""Finding 1 and 2 of the attack pass: a 7 KB file held a worker for minutes (a
quadratic regular expression), a 1 MB one inflated to gigabytes. Each file is
read in a child process under a time and memory limit: on the old code these
tests fail by timeout or crash, never by hanging the suite."""

from __future__ import annotations

import time

import pytest

from tests.hardening import hostile


@pytest.fixture
def home(tmp_path):
    return tmp_path


def read(home, name: str, data: bytes, **limits) -> dict:
    path = home / name
    path.write_bytes(data)
    return hostile.read_limited(hostile.READ.format(path=str(path)), home, **limits)


def test_regex_bomb_is_refused_within_seconds(home):
    data = hostile.regex_bomb()
    assert len(data) < 20_000
    started = time.monotonic()
    answer = read(home, "regex.xlsx", data, seconds=15)
    assert answer["outcome"] == "refused", answer
    assert "XML" in answer["message"]
    assert time.monotonic() - started < 15


def test_zip_bomb_names_the_limit(home):
    answer = read(home, "bomb.xlsx", hostile.zip_bomb(400), seconds=30, memory_mb=1024)
    assert answer["outcome"] == "refused", answer
    assert "300 MB" in answer["message"] and "DIAODU_UPLOAD_MAX_UNZIPPED_MB" in answer["message"]


def test_zip_bomb_with_lying_sizes_is_counted_by_inflating(home):
    """A header that declares a small size: the inflated bytes are what count."""
    import struct
    import zipfile

    data = bytearray(hostile.zip_bomb(64))
    # Rewrite the sheet's declared size (local header and central directory) to 1 KB.
    with zipfile.ZipFile(__import__("io").BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    struct.pack_into("<L", data, info.header_offset + 22, 1024)
    start = 0
    while (central := bytes(data).find(b"PK\x01\x02", start)) >= 0:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46:central + 46 + name_len]) == b"xl/worksheets/sheet2.xml":
            struct.pack_into("<L", data, central + 24, 1024)
        start = central + 4
    answer = read(home, "liar.xlsx", bytes(data), seconds=20, memory_mb=1024,
                  env={"DIAODU_UPLOAD_MAX_UNZIPPED_MB": "32"})
    assert answer["outcome"] == "refused", answer


def test_sheet_extent_is_limited_before_calamine_allocates_it(home):
    answer = read(home, "wide.xlsx", hostile.wide_sheet(), seconds=15)
    assert answer["outcome"] == "refused", answer
    assert "DIAODU_UPLOAD_MAX_CELLS" in answer["message"]


def test_member_count_is_limited(home):
    answer = read(home, "many.xlsx", hostile.many_members(2100), seconds=15)
    assert answer["outcome"] == "refused", answer
    assert "2,000" in answer["message"] and "DIAODU_UPLOAD_MAX_MEMBERS" in answer["message"]


def test_docx_bomb_is_refused(home):
    path = home / "speech.docx"
    path.write_bytes(hostile.docx_bomb(64))
    code = f"""
from django.core.files.uploadedfile import SimpleUploadedFile
from django import forms
from diaodu.supervision.forms import read_speech_file
try:
    read_speech_file(SimpleUploadedFile("speech.docx", open({str(path)!r}, "rb").read()))
    print(json.dumps({{"outcome": "read"}}))
except forms.ValidationError as exc:
    print(json.dumps({{"outcome": "refused", "message": exc.messages[0]}}, ensure_ascii=False))
"""
    answer = hostile.read_limited(code, home, seconds=20, memory_mb=1024, env={"DIAODU_UPLOAD_MAX_UNZIPPED_MB": "32"})
    assert answer["outcome"] == "refused", answer
    assert "DIAODU_UPLOAD_MAX_UNZIPPED_MB" in answer["message"]


def test_error_cells_still_found(home, tmp_path):
    """The linear scanner finds what the regular expression found: #DIV/0! in B2."""
    sheet = (hostile.SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
             b'<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
             + hostile.SHEET_TAIL)
    path = home / "errors.xlsx"
    path.write_bytes(hostile.xlsx_bytes(sheet))
    code = f"""
from diaodu.ingest.readers import read_file
sheets = read_file({str(path)!r})
print(json.dumps({{"errors": {{f"{{k[0]}},{{k[1]}}": v for k, v in sheets[0].formula_errors.items()}}}}))
"""
    assert hostile.read_limited(code, home, seconds=15) == {"errors": {"1,1": "#DIV/0!"}}


def test_extent_is_found_when_r_is_not_the_first_attribute(home):
    sheet = (hostile.SHEET_HEAD + b'<row r="1"><c s="0" r="A1"><v>1</v></c></row>'
             b'<row r="1048576"><c s="0" r="XFD1048576"><v>1</v></c></row>' + hostile.SHEET_TAIL)
    answer = read(home, "shifted.xlsx", hostile.xlsx_bytes(sheet), seconds=15)
    assert answer["outcome"] == "refused" and "DIAODU_UPLOAD_MAX_CELLS" in answer["message"], answer


def test_a_file_over_the_memory_budget_is_refused_not_fatal(home):
    """The check's child runs out of its address space: the file is refused, the caller lives."""
    answer = read(home, "heavy.xlsx", hostile.zip_bomb(160), seconds=30, memory_mb=1024,
                  env={"DIAODU_UPLOAD_PARSE_MEMORY_MB": "120"})
    assert answer["outcome"] == "refused", answer
    assert "DIAODU_UPLOAD_PARSE_MEMORY_MB" in answer["message"]


# --- the extent, however the cells are written --------------------------------------------
# scan_sheet is pure and linear: these run it in-process on small sheets.

def _extent_refused(sheet_data: bytes, max_cells: int = 8_000_000) -> bool:
    from diaodu.core.uploads import UploadRefused, scan_sheet

    try:
        scan_sheet(hostile.SHEET_HEAD + sheet_data + hostile.SHEET_TAIL, max_cells, "sheet1.xml")
    except UploadRefused as exc:
        assert "DIAODU_UPLOAD_MAX_CELLS" in str(exc)
        return True
    return False


FAR = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


@pytest.mark.parametrize("far", [
    FAR,
    FAR.replace(b"<c ", b"<c\n "),  # whitespace other than a space before r
    FAR.replace(b"<c ", b"<c t=\"n\" "),  # r not the first attribute
    # calamine reads a namespace-prefixed cell as a cell
    b'<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="1048576">'
    b'<x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>',
])
def test_a_far_cell_is_found_however_its_tag_is_written(far):
    assert _extent_refused(b'<row r="1"><c r="A1"><v>1</v></c></row>' + far)


@pytest.mark.parametrize("max_cells", [8_000_000, 1000, 260, 52])
def test_the_quick_bound_and_the_exact_count_agree_at_the_limit(max_cells):
    """A sheet of one column and exactly max_cells rows fits; one more row does not;
    26 columns of max_cells // 26 rows fit (the quick path's bound is below that)."""
    def sheet(rows: int, column: bytes = b"A") -> bytes:
        return (b'<row r="1"><c r="A1"><v>1</v></c></row>'
                + b'<row r="%d"><c r="%s%d"><v>1</v></c></row>' % (rows, column, rows))

    assert not _extent_refused(sheet(max_cells), max_cells)
    assert _extent_refused(sheet(max_cells + 1), max_cells)
    assert not _extent_refused(sheet(max_cells // 26, b"Z"), max_cells)
    assert _extent_refused(sheet(max_cells // 26 + 1, b"Z"), max_cells)
