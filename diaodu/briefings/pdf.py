"""PDF through LibreOffice (where installed), with the official font names mapped to open fonts.

Each conversion runs ``soffice --headless --convert-to pdf`` with its own profile
(``-env:UserInstallation=file:///tmp/lo-<unique>``: two conversions sharing one profile silently
lose one) and ``FONTCONFIG_FILE`` pointing at ``data/fonts.conf``, which includes the system's
fontconfig and maps 仿宋_GB2312/楷体_GB2312/黑体/宋体/方正小标宋简体 to the Fandol fonts (Noto CJK SC
and AR PL UKai CN for what they lack; 方正小标宋简体 to FandolSong's Bold face).

The conversion goes through ODF: .docx → .odt, every paragraph style's ``punctuation-wrap`` set to
``simple``, .odt → PDF. LibreOffice's .docx import leaves punctuation hanging (``w:overflowPunct``
is not honoured everywhere), so a line-end 、 or ， was drawn up to a character into the margin, or
dropped from the PDF; GB/T 9704 keeps every character inside the 版心.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import uuid
import zipfile
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "data" / "fonts.conf"
TIMEOUT = 180


class PdfError(Exception):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path, outdir: Path | None = None) -> Path:
    """Convert ``docx`` to PDF next to it (or in ``outdir``); returns the PDF's path."""
    return to_pdfs([docx], outdir or Path(docx).parent)[0]


def to_pdfs(docxs: list[Path], outdir: Path) -> list[Path]:
    """Convert several .docx files with two LibreOffice runs (a test session converts each
    document once this way); returns the PDFs' paths in order."""
    binary = soffice()
    if binary is None:
        raise PdfError("本机未安装 LibreOffice（soffice），无法转换 PDF：请安装 libreoffice-writer-nogui。")
    docxs = [Path(d).resolve() for d in docxs]
    outdir = Path(outdir).resolve()
    profile = Path(tempfile.gettempdir()) / f"lo-{uuid.uuid4().hex}"
    work = Path(tempfile.mkdtemp(prefix="diaodu-pdf-"))
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(profile)}
    names = "、".join(d.name for d in docxs)

    def convert(fmt: str, files: list[Path], target: Path) -> None:
        try:
            done = subprocess.run(
                [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                 "--convert-to", fmt, "--outdir", str(target), *map(str, files)],
                env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"LibreOffice 转换 {names} 超时（{TIMEOUT} 秒）。") from None
        missing = [f.name for f in files if not (target / (f.stem + "." + fmt)).exists()]
        if done.returncode != 0 or missing:
            raise PdfError(f"LibreOffice 未能转换 {'、'.join(missing) or names}："
                           f"{(done.stderr or done.stdout).strip()[:300]}")

    try:
        convert("odt", docxs, work)
        odts = [work / (d.stem + ".odt") for d in docxs]
        for odt in odts:
            _no_hanging_punctuation(odt)
        convert("pdf", odts, outdir)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return [outdir / (d.stem + ".pdf") for d in docxs]


def _no_hanging_punctuation(odt: Path) -> None:
    """Every paragraph style of ``odt`` with ``style:punctuation-wrap="simple"`` (no hanging)."""
    with zipfile.ZipFile(odt) as zf:
        parts = {info: zf.read(info.filename) for info in zf.infolist()}
    with zipfile.ZipFile(odt, "w") as zf:
        for info, data in parts.items():  # mimetype first and stored, as ODF requires
            if info.filename in ("styles.xml", "content.xml"):
                data = re.sub(rb'style:punctuation-wrap="hanging"', b'style:punctuation-wrap="simple"', data)
                data = data.replace(b"<style:paragraph-properties ",
                                    b'<style:paragraph-properties style:punctuation-wrap="simple" ')
                data = re.sub(rb'(style:punctuation-wrap="simple" [^>]*?)style:punctuation-wrap="simple" ?', rb"\1",
                              data)
            zf.writestr(info, data, compress_type=zipfile.ZIP_STORED if info.filename == "mimetype"
                        else zipfile.ZIP_DEFLATED)
