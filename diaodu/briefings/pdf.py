"""PDF through LibreOffice (where installed), with the official font names mapped to open fonts.

Each conversion runs ``soffice --headless --convert-to pdf`` with its own profile
(``-env:UserInstallation=file:///tmp/lo-<unique>``: two conversions sharing one profile silently
lose one) and ``FONTCONFIG_FILE`` pointing at ``data/fonts.conf``, which includes the system's
fontconfig and maps 仿宋_GB2312/楷体_GB2312/黑体/宋体/方正小标宋简体 to Noto CJK and AR PL UKai.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "data" / "fonts.conf"
TIMEOUT = 180


class PdfError(Exception):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path, outdir: Path | None = None) -> Path:
    """Convert ``docx`` to PDF next to it (or in ``outdir``); returns the PDF's path."""
    binary = soffice()
    if binary is None:
        raise PdfError("本机未安装 LibreOffice（soffice），无法转换 PDF：请安装 libreoffice-writer-nogui。")
    docx = Path(docx).resolve()
    outdir = Path(outdir or docx.parent).resolve()
    profile = Path(tempfile.gettempdir()) / f"lo-{uuid.uuid4().hex}"
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(profile)}
    try:
        done = subprocess.run(
            [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
            env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise PdfError(f"LibreOffice 转换 {docx.name} 超时（{TIMEOUT} 秒）。")
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise PdfError(f"LibreOffice 未能转换 {docx.name}：{(done.stderr or done.stdout).strip()[:300]}")
    return pdf
