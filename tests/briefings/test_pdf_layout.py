"""The documents as printed: every kind at 2021-06, 2021-09 and 2021-10 (and the 督查通报, which has no
period: the supervision ledger as of its clock) converted to PDF once (two LibreOffice runs for the
module), then measured with ``pdftotext -bbox-layout``: text inside the
版心, no number split across lines, the title centred, page numbers where GB/T 9704 puts them,
only Simplified-Chinese fonts, and the docx's characters all in the PDF. The pages are also
rendered to PNG in tests/screenshots/briefings/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import collections
import functools
import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from diaodu.briefings import build
from diaodu.briefings.facts import numbers_in
from diaodu.briefings.pdf import to_pdfs
from tests.helpers import demo_database

pytestmark = [pytest.mark.django_db, pytest.mark.office]

PERIODS = ["2021-06", "2021-09", "2021-10"]
KINDS = ["economy", "evaluation", "weak", "speech", "projects", "enterprise-fiscal", "table"]
# every document as printed: each kind at each period, and the 督查通报 (no period) once
CASES = [(kind, period) for period in PERIODS for kind in KINDS] + [("supervision", None)]
TITLED = [(kind, period) for kind, period in CASES if kind not in ("speech", "table")]  # these have no title
ISSUED = [(kind, period) for kind, period in CASES if kind in build.ISSUED]
MM = 72 / 25.4
TOLERANCE = 0.5 * MM
PNG_DIR = Path(__file__).resolve().parents[1] / "screenshots" / "briefings"
HTML = "{http://www.w3.org/1999/xhtml}"


def _tools() -> None:
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        if os.environ.get("DIAODU_REQUIRE_TOOLS") == "1":
            pytest.fail("soffice/pdftotext missing and DIAODU_REQUIRE_TOOLS=1")
        pytest.skip("LibreOffice (soffice) or poppler-utils not installed")


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker, tmp_path_factory):
    """{(kind, period): (docx bytes, pdf path, title)} — each document converted once."""
    _tools()
    out = tmp_path_factory.mktemp("pdf")
    with demo_database(django_db_blocker):
        docs = {}
        for kind, period in CASES:
            doc = build.document(kind, period)
            path = out / f"{kind}_{period or doc.name.rsplit('_', 1)[-1]}.docx"
            path.write_bytes(build.render(doc, "docx"))
            docs[(kind, period)] = (path, doc)
    pdfs = to_pdfs([p for p, _ in docs.values()], out)
    shutil.rmtree(PNG_DIR, ignore_errors=True)  # only this run's pages
    PNG_DIR.mkdir(parents=True)
    for pdf in pdfs:
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(PNG_DIR / pdf.stem)], check=True)
    return {key: (path.read_bytes(), pdf, doc) for (key, (path, doc)), pdf in zip(docs.items(), pdfs, strict=True)}


@functools.cache
def _pages(pdf: Path) -> list[dict]:
    """Per page: width, height and its lines as (xMin, yMin, xMax, yMax, text). Read once per PDF
    (seven tests measure each; pdftotext took 6 s of the module's 30 s when each ran its own)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    root = ET.fromstring(xml)
    pages = []
    for page in root.iter(f"{HTML}page"):
        lines = []
        for line in page.iter(f"{HTML}line"):
            words = [w.text or "" for w in line.iter(f"{HTML}word")]
            lines.append((float(line.get("xMin")), float(line.get("yMin")), float(line.get("xMax")),
                          float(line.get("yMax")), "".join(words)))
        pages.append({"width": float(page.get("width")), "height": float(page.get("height")), "lines": lines})
    return pages


def _text_block(page: dict) -> tuple[float, float, float, float]:
    """The 版心 in points: 156 × 225 mm at 28 mm from the left, 37 mm from the top; turned on a
    landscape page (225 × 156 mm at 37 mm from the left, 28 mm from the top)."""
    if page["width"] > page["height"]:
        return 37 * MM, 28 * MM, (37 + 225) * MM, (28 + 156) * MM
    return 28 * MM, 37 * MM, (28 + 156) * MM, (37 + 225) * MM


def _is_page_number(line) -> bool:
    return bool(re.fullmatch(r"—\s*\d+\s*—", line[4]))


@pytest.mark.parametrize(("kind", "period"), CASES)
def test_every_line_inside_the_text_block_and_numbers_whole(printed, kind, period):
    data, pdf, _doc = printed[(kind, period)]
    for n, page in enumerate(_pages(pdf), 1):
        left, top, right, bottom = _text_block(page)
        for line in page["lines"]:
            if _is_page_number(line):
                continue
            x0, y0, x1, y1, text = line
            assert x0 >= left - TOLERANCE and x1 <= right + TOLERANCE, (n, text, x0 / MM, x1 / MM)
            # the line box is the font's (ascent to descent): its glyphs lie inside
            assert y0 >= top - 2 * MM and y1 <= bottom + 2 * MM, (n, text, y0 / MM, y1 / MM)
    # no number broken over two lines: every number of the .docx is whole on one line of the PDF
    printed_numbers = collections.Counter(n for page in _pages(pdf) for line in page["lines"]
                                          for n in numbers_in(line[4]))
    document = Document(io.BytesIO(data))
    wanted = collections.Counter(n for p in document.element.body.iter(qn("w:p"))
                                 for n in numbers_in("".join(t.text or "" for t in p.iter(qn("w:t")))))
    assert not wanted - printed_numbers, f"split or lost: {dict(wanted - printed_numbers)}"


DATE = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?")


@pytest.mark.parametrize(("kind", "period"), CASES)
def test_dates_in_tables_never_wrap(printed, kind, period):
    """A date in a table cell (2021年10月, 2021年11月30日) prints on one line: the first release
    broke them as "2021/年10/月". Counted like the numbers above (a date may also stand whole in
    the running text, where a line may break inside it as Chinese text does)."""
    data, pdf, _doc = printed[(kind, period)]
    document = Document(io.BytesIO(data))
    wanted = collections.Counter(date for cell in document.element.body.iter(qn("w:tc"))
                                 for date in DATE.findall("".join(t.text or "" for t in cell.iter(qn("w:t")))))
    printed_dates = collections.Counter(date for page in _pages(pdf) for line in page["lines"]
                                        for date in DATE.findall(line[4].replace("\u2060", "")))
    assert not wanted - printed_dates, f"wrapped: {dict(wanted - printed_dates)}"


@pytest.mark.parametrize(("kind", "period"), TITLED)
def test_title_is_centred(printed, kind, period):
    _, pdf, doc = printed[(kind, period)]
    page = _pages(pdf)[0]
    left, _, right, _ = _text_block(page)
    title = re.sub(r"\s", "", doc.title)
    lines, got = [], ""
    for line in page["lines"]:
        if got == title:
            break
        if title.startswith(got + re.sub(r"\s", "", line[4])):
            lines.append(line)
            got += re.sub(r"\s", "", line[4])
    assert got == title, (got, title)
    for x0, _, x1, _, text in lines:
        assert abs((x0 + x1) / 2 - (left + right) / 2) <= TOLERANCE, (text, ((x0 + x1) / 2 - (left + right) / 2) / MM)


@pytest.mark.parametrize(("kind", "period"), CASES)
def test_page_numbers_where_gbt9704_puts_them(printed, kind, period):
    _, pdf, _ = printed[(kind, period)]
    for n, page in enumerate(_pages(pdf), 1):
        numbers = [ln for ln in page["lines"] if _is_page_number(ln)]
        assert len(numbers) == 1, (n, [ln[4] for ln in page["lines"]][-3:])
        x0, y0, x1, _, text = numbers[0]
        assert int(re.search(r"\d+", text).group()) == n
        left, _, right, bottom = _text_block(page)
        one_character = 14  # 4号: the number sits one character in from the side of the text block
        if n % 2:
            assert abs(right - x1 - one_character) <= 1.5 * MM, (n, (right - x1) / MM)
        else:
            assert abs(x0 - left - one_character) <= 1.5 * MM, (n, (x0 - left) / MM)
        # the line of the page number lies 7 mm below the text block (its font box top)
        assert abs(y0 - bottom - 7 * MM) <= 1.5 * MM, (n, (y0 - bottom) / MM)


@pytest.mark.parametrize(("kind", "period"), ISSUED)
def test_imprint_at_the_foot_of_the_last_page(printed, kind, period):
    """版记 (GB/T 9704 7.5): on the last page, its last line (印发机关 one character in from the left,
    …印发 one character in from the right) ends on the last line of the 版心, 抄送 right above it,
    nothing but the page number below, and no body text under it."""
    _, pdf, _ = printed[(kind, period)]
    page = _pages(pdf)[-1]
    left, _, right, bottom = _text_block(page)
    lines = [ln for ln in page["lines"] if not _is_page_number(ln)]
    printed_by = next(ln for ln in lines if ln[4].endswith("印发"))
    cc = next(ln for ln in lines if ln[4].startswith("抄送："))
    assert abs(printed_by[3] - bottom) <= 1.5 * MM, (printed_by[3] - bottom) / MM  # the line box ends on it
    row = [ln for ln in lines if abs(ln[1] - printed_by[1]) < 1]  # 印发机关 and 印发日期 apart on one line
    x0, x1 = min(ln[0] for ln in row), max(ln[2] for ln in row)
    assert abs(x0 - left - 14) <= 0.5 * MM and abs(right - 14 - x1) <= 0.5 * MM, ((x0 - left) / MM, (right - x1) / MM)
    assert 0 < printed_by[1] - cc[1] <= 28 + 0.5, "抄送 on the line above"
    issued_on = next(ln for ln in lines if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", ln[4]))
    assert issued_on[3] <= cc[1], "the 成文日期 above the 版记"
    assert all(ln[3] <= cc[1] + 1 or ln[1] >= cc[1] - 1 for ln in lines), "body text under the 版记"


FANDOL = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")


def fandol_installed() -> None:
    """The Fandol fonts (texlive-lang-chinese, ``scripts/setup --system``): without them the PDF
    falls back to Noto CJK, whose shared outlines carry a Japanese PostScript name."""
    if not FANDOL.is_dir():
        if os.environ.get("DIAODU_REQUIRE_TOOLS") == "1":
            pytest.fail("Fandol fonts missing (texlive-lang-chinese) and DIAODU_REQUIRE_TOOLS=1")
        pytest.skip("Fandol fonts (texlive-lang-chinese) not installed: run scripts/setup --system")


@pytest.mark.parametrize("period", [*PERIODS, None])
def test_only_simplified_chinese_faces(printed, period):
    fandol_installed()
    for kind in [k for k, p in CASES if p == period]:
        _, pdf, _ = printed[(kind, period)]
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        names = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()]
        assert names
        for name in names:
            assert re.match(r"Fandol(Fang|Song|Hei|Kai)-|UKaiCN|NotoS\w+CJKsc", name), (kind, name)


def _title_faces(pdf: Path, title: str) -> set[str]:
    """The fonts (their PostScript names, as pdffonts lists them) that draw the title on page 1:
    pdftohtml names each text piece's font by its subset tag, pdffonts gives the tag's full name."""
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    by_tag = dict(line.split()[0].split("+", 1) for line in listed.splitlines()[2:] if "+" in line.split()[0])
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-f", "1", "-l", "1", str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    page = ET.fromstring(xml).find("page")
    families = {spec.get("id"): spec.get("family").split("+")[0] for spec in page.iter("fontspec")}
    faces, got = set(), ""
    for piece in page.iter("text"):
        text = re.sub(r"\s", "", "".join(piece.itertext()))
        if got != title and text and title.startswith(got + text):
            got += text
            faces.add(by_tag.get(families[piece.get("font")], families[piece.get("font")]))
    assert got == title, (got, title)
    return faces


@pytest.mark.parametrize("period", [*PERIODS, None])
def test_title_in_a_bold_song_face(printed, period):
    """2号小标宋 on a server is FandolSong's Bold face (fonts.conf declares it bold: its file says
    regular, and LibreOffice drew the regular face)."""
    fandol_installed()
    for kind in [k for k, p in TITLED if p == period]:
        _, pdf, doc = printed[(kind, period)]
        assert _title_faces(pdf, re.sub(r"\s", "", doc.title)) == {"FandolSong-Bold"}, kind


def _docx_chars(data: bytes) -> collections.Counter:
    """The .docx's characters, without the word joiners that hold periods together (not drawn)."""
    document = Document(io.BytesIO(data))
    return collections.Counter(re.sub(r"[\s\u2060]", "", "".join(t.text or "" for t in document.element.body.iter(qn("w:t")))))


def _header_chars(data: bytes) -> collections.Counter:
    """Characters of the repeated header rows (a table over several pages prints them again)."""
    document = Document(io.BytesIO(data))
    out = collections.Counter()
    for tr in document.element.body.iter(qn("w:tr")):
        if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
            out += collections.Counter(re.sub(r"[\s\u2060]", "", "".join(t.text or "" for t in tr.iter(qn("w:t")))))
    return out


@pytest.mark.parametrize(("kind", "period"), CASES)
def test_docx_and_pdf_texts_are_equal(printed, kind, period):
    data, pdf, _ = printed[(kind, period)]
    pages = _pages(pdf)  # the words as drawn (plain pdftotext drops a line-end hyphen as hyphenation)
    pdf_chars = collections.Counter(re.sub(r"\s", "", "".join(line[4] for page in pages for line in page["lines"]
                                                              if not _is_page_number(line))))
    pages = len(pages)
    docx_chars = _docx_chars(data)
    assert not docx_chars - pdf_chars, f"lost in the PDF: {dict(docx_chars - pdf_chars)}"
    extra = pdf_chars - docx_chars  # only header rows repeated on later pages
    headers = _header_chars(data)
    assert all(extra[ch] <= headers[ch] * pages for ch in extra), dict(extra)


def test_a_period_never_wraps_at_its_hyphen(tmp_path):
    """1-10月 and 1-9月 at every position of a body line and of a narrow table cell (LibreOffice
    broke a cell after “1-” before the .docx held the hyphen with word joiners): no printed line
    ends at “1-”, and every period prints."""
    _tools()
    from diaodu.briefings import gbt9704
    from diaodu.briefings.doc import Cell, Column, Doc, Table

    doc = Doc(name="periods", title="期别不在连字符处断行")
    doc.add("title", doc.title)
    for k in range(28):  # the period at each place of the 28-character line, so some end a line
        doc.p("一" * k + "1-10月全市经济运行，1-9月情况。")
    rows = [[Cell("县" * k + "1-10月完成情况说明文字较长需要换行的单元格内容"), Cell("1-10月")] for k in range(14)]
    doc.add_table(Table("表一　窄列", [Column("说明", width=30), Column("期别", width=14)], rows))
    path = tmp_path / "periods.docx"
    path.write_bytes(gbt9704.render(doc))
    assert "1\u2060-\u206010月" in "".join(t.text or "" for t in Document(path).element.body.iter(qn("w:t")))
    pdf = to_pdfs([path], tmp_path)[0]
    lines = [re.sub(r"\s", "", line[4]) for page in _pages(pdf) for line in page["lines"]]
    assert not [ln for ln in lines if re.search(r"\d-$", ln)], "a period broken at its hyphen"
    assert not [ln for ln in lines if re.match(r"\d{1,2}月", ln)]
    printed = "".join(lines)
    assert printed.count("1-10") == 28 + 2 * len(rows) and printed.count("1-9月") == 28
