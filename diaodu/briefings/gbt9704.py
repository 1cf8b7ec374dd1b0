"""GB/T 9704-2012 layout of a :class:`~diaodu.briefings.doc.Doc` with python-docx.

A4; top margin 37 mm, left (binding) 28 mm; a 156 × 225 mm text block (so right 26 mm, bottom
35 mm); 22 lines of 28 characters. Lines: the section's document grid (``w:docGrid`` type
``lines``, line pitch 225 mm / 22 = 579 twips) and exact line spacing of the same pitch.
Characters: 28 × 16 pt is 448 pt, 6 pt wider than 156 mm, so body text is set 0.25 pt tighter
(``w:spacing w:val="-5"``, 15.75 pt a character). Word's own template uses a character grid
(type ``linesAndChars``, ``charSpace`` −849) for that instead, but LibreOffice puts a 16 pt
character that does not fit a 15.79 pt grid cell into two cells (14 characters a line in the
PDF), so the grid here is lines only and the pitch comes from the character spacing.

Fonts are named as government PCs have them: body 3号 (16 pt) 仿宋_GB2312; title 2号 (22 pt)
方正小标宋简体 (the 小标宋 every office installs: "方正小标宋简体" is the family name Windows
shows for FZXBSJW.TTF); headings 一、 黑体, （一） 楷体_GB2312, 1. and （1） 仿宋_GB2312; tables
五号 (10.5 pt). Page numbers "— n —" in 4号 (14 pt) 宋体 in the footer, odd pages right and even
pages left, each one character in from the edge of the text block (``evenAndOddHeaders``). Every
style and every run names its East Asian font (``w:rFonts w:eastAsia``), and the East Asian
language is zh-CN (python-docx's default template says en-US, which misplaces Chinese punctuation).
For PDF, :mod:`diaodu.briefings.pdf` maps these names to open fonts with fontconfig.
"""

from __future__ import annotations

import io
import itertools
import re
from copy import deepcopy

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, Twips
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .doc import FILLS, Doc, Table

FONT_BODY = "仿宋_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE = "宋体"
SIZE_TITLE, SIZE_BODY, SIZE_PAGE, SIZE_TABLE = 22, 16, 14, 10.5
LINE_PITCH = 579  # twips: 225 mm / 22 lines
CHAR_SPACING = -5  # twips (−0.25 pt): 28 characters of 16 pt in 156 mm
PAGE = {"width": 210, "height": 297, "top": 37, "left": 28, "right": 26, "bottom": 35}
FOOTER_DISTANCE_MM = 21.6  # footer line (18 pt) begins 7 mm below the text block
HEADING_STYLES = {"h1": ("Heading 1", FONT_H1), "h2": ("Heading 2", FONT_H2),
                  "h3": ("Heading 3", FONT_BODY), "h4": ("Heading 4", FONT_BODY)}


def set_fonts(rpr_parent, font: str) -> None:
    """Name ``font`` for every script of a run or style (no theme fonts) and say zh-CN."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


# Elements that follow w:spacing in w:rPr (ECMA-376 order; Word rejects elements out of order).
RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                     "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                     "w:specVanish", "w:oMath")


PPR_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                  "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                  "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _insert_ordered(parent, element, successors) -> None:
    for child in parent:
        if child.tag in {qn(t) for t in successors}:
            child.addprevious(element)
            return
    parent.append(element)


def set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _exact(pf, points: float | None = None) -> None:
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(points) if points else Twips(LINE_PITCH)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)


def _indent_chars(element, chars: int) -> None:
    """First-line indent in characters (w:firstLineChars), as Word writes 首行缩进2字符; 0 is
    written too, so a style based on Normal does not inherit its two characters."""
    ind = element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(chars * SIZE_BODY * 20))
    ind.set(qn("w:leftChars"), "0")
    ind.set(qn("w:left"), "0")


PPR_AFTER_OVERFLOW = ("w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                      "w:snapToGrid") + ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                                         "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                                         "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
                                         "w:sectPr", "w:pPrChange")


def _no_hanging_punctuation(element) -> None:
    """``w:overflowPunct w:val=0`` on a style or paragraph: a line-end 、 or 。 stays inside the
    text block (LibreOffice's hanging punctuation otherwise puts it up to a character into the
    margin, and at a justified line's end drops it from the PDF). LibreOffice reads it only from
    the paragraph, Word from the style too: every paragraph carries it."""
    el = OxmlElement("w:overflowPunct")
    el.set(qn("w:val"), "0")
    _insert_ordered(element.get_or_add_pPr(), el, PPR_AFTER_OVERFLOW)


def _style(doc, name: str, font: str, size: float, *, bold: bool = False, align=None, indent: int = 2,
           line: float | None = None):
    style = doc.styles[name]
    set_fonts(style.element, font)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = None
    rpr = style.element.get_or_add_rPr()
    for tag in ("w:color", "w:kern", "w:spacing"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    set_lang(rpr)
    ppr = style.element.get_or_add_pPr()
    for el in ppr.findall(qn("w:pBdr")):
        ppr.remove(el)
    pf = style.paragraph_format
    _exact(pf, line)
    if align is not None:
        pf.alignment = align
    _indent_chars(style.element, indent)  # 0 too: Title, Footer and tables must not inherit Normal's two characters
    return style


def _styles(doc) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        fonts.attrib.pop(attr)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT_BODY)
    set_lang(rpr)
    normal = _style(doc, "Normal", FONT_BODY, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _no_hanging_punctuation(normal.element)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING))
    _insert_ordered(normal.element.get_or_add_rPr(), spacing, RPR_AFTER_SPACING)
    _style(doc, "Title", FONT_TITLE, SIZE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, line=36)
    for name, font in HEADING_STYLES.values():
        style = _style(doc, name, font, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        style.paragraph_format.keep_with_next = True
    _style(doc, "Footer", FONT_PAGE, SIZE_PAGE, indent=0, line=18)
    _style(doc, "Table Grid", FONT_BODY, SIZE_TABLE, indent=0, line=15)
    for name, font in (("Table Text", FONT_BODY), ("Table Head", FONT_H1)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        _style(doc, name, font, SIZE_TABLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, line=15)
        _indent_chars(style.element, 0)
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        _insert_ordered(style.element.get_or_add_pPr(), snap, PPR_AFTER_SNAP)


def _section(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.top_margin, section.bottom_margin = Mm(PAGE["top"]), Mm(PAGE["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE["left"]), Mm(PAGE["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.attrib.pop(qn("w:charSpace"), None)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, align) -> None:
    """— n — in 4号 宋体, one character in from the side (odd right, even left)."""
    paragraph.style = "Footer"
    _no_hanging_punctuation(paragraph._p)
    paragraph.alignment = align
    pf = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        pf.right_indent = Pt(SIZE_PAGE)
    else:
        pf.left_indent = Pt(SIZE_PAGE)
    run(paragraph, "— ", FONT_PAGE, SIZE_PAGE)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        r = run(paragraph, "" if kind != "text" else text, FONT_PAGE, SIZE_PAGE)
        if kind in ("begin", "separate", "end"):
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
        elif kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
    run(paragraph, " —", FONT_PAGE, SIZE_PAGE)


_RPR_CACHE: dict[tuple, object] = {}


def _rpr(font: str, size: float | None, bold: bool):
    """A w:rPr naming ``font`` for every script (and size, bold), built once and copied per run."""
    key = (font, size, bold)
    if key not in _RPR_CACHE:
        rpr = OxmlElement("w:rPr")
        fonts = OxmlElement("w:rFonts")
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), font)
        rpr.append(fonts)
        if bold:
            rpr.append(OxmlElement("w:b"))
        if size:
            for tag in ("w:sz", "w:szCs"):
                el = OxmlElement(tag)
                el.set(qn("w:val"), str(int(round(size * 2))))
                rpr.append(el)
        _RPR_CACHE[key] = rpr
    return deepcopy(_RPR_CACHE[key])


WORD_JOINER = "\u2060"  # zero width, no break on either side (LibreOffice and Word draw nothing)
PERIOD_SPAN = re.compile(r"(\d{1,2})-(\d{1,2})月")


def unbreakable_periods(text: str) -> str:
    """``1-10月`` held together on one line: a word joiner on each side of the hyphen and before
    月 (LibreOffice otherwise breaks a narrow table cell after “1-”). The fonts have no U+2011
    non-breaking hyphen, so the hyphen stays the ASCII one; a reader of the .docx text drops the
    joiners (:func:`diaodu.briefings.facts.numbers_in` does)."""
    if "-" not in text:
        return text
    return PERIOD_SPAN.sub(lambda m: f"{m[1]}{WORD_JOINER}-{WORD_JOINER}{m[2]}月", text)


def run(paragraph, text: str, font: str, size: float | None = None, bold: bool = False):
    """A run with its East Asian font named (every run does); periods never wrap (1-10月)."""
    text = unbreakable_periods(text)
    r = OxmlElement("w:r")
    r.append(_rpr(font, size, bold))
    if text:
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r.append(t)
    if text and "\n" in text:  # a header split at a word boundary: lines with w:br between
        t = r.find(qn("w:t"))
        r.remove(t)
        for i, line in enumerate(text.split("\n")):
            if i:
                r.append(OxmlElement("w:br"))
            piece = OxmlElement("w:t")
            piece.set(qn("xml:space"), "preserve")
            piece.text = line
            r.append(piece)
    p = paragraph._p if hasattr(paragraph, "_p") else paragraph
    p.append(r)
    return Run(r, paragraph) if hasattr(paragraph, "_p") else r


def new_document():
    doc = Document()
    _styles(doc)
    _section(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    return doc


STYLE_IDS = {"Normal": None, "Title": "Title", "Heading 1": "Heading1", "Heading 2": "Heading2",
             "Heading 3": "Heading3", "Heading 4": "Heading4", "Table Text": "TableText", "Table Head": "TableHead"}


def _add_paragraph(doc, style: str = "Normal"):
    """``doc.add_paragraph(style=…)`` without python-docx's style lookup by name (slow)."""
    p = doc.add_paragraph()
    if STYLE_IDS[style]:
        p._p.style = STYLE_IDS[style]
    _no_hanging_punctuation(p._p)
    return p


TITLE_EMS = 20  # characters of 2号 in the 156 mm line
TITLE_BREAK_AFTER = ("市", "年", "季度", "半年", "月", "和", "及", "情况", "工作", "事项")


def title_lines(title: str) -> list[str]:
    """A title as it prints: one line when it fits, else two lines split after a word (陇南市2021年
    前三季度 / 重点项目和招商引资推进情况通报: never 招商引/资 or 评价/结果通报), both fitting, as even
    as possible, the upper one not longer (梯形)."""
    width = lambda t: sum(1 if ord(ch) > 0x2E7F else 0.5 for ch in t)  # noqa: E731
    if width(title) <= TITLE_EMS - 0.5:
        return [title]
    cuts = [i for i in range(2, len(title) - 1) if title[:i].endswith(TITLE_BREAK_AFTER)
            and not (title[i - 1].isdigit() and title[i].isdigit())]
    fitting = [i for i in cuts if width(title[:i]) <= TITLE_EMS - 0.5 and width(title[i:]) <= TITLE_EMS - 0.5]
    if not fitting:
        half = len(title) // 2
        return [title[:half], title[half:]]
    best = min(fitting, key=lambda i: (abs(width(title[:i]) - width(title[i:])), width(title[:i]) > width(title[i:])))
    return [title[:best], title[best:]]


def render(document: Doc) -> bytes:
    """The .docx bytes of ``document`` (with its 公文 elements when it is issued)."""
    doc = new_document()
    issued = document.issuance
    if issued and issued.masthead:
        _masthead(doc, issued)
    after_title = False
    for block in document.blocks:
        if block.kind == "title":
            p = _add_paragraph(doc, "Title")
            run(p, "\n".join(title_lines(block.text)), FONT_TITLE, SIZE_TITLE)
            after_title = True
            continue
        if block.kind == "subtitle":
            p = _add_paragraph(doc, "Normal")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _no_indent(p)
            run(p, block.text, FONT_H2, SIZE_BODY)
        elif block.kind == "blank":
            p = _add_paragraph(doc, "Normal")
            run(p, "", FONT_BODY)
        elif block.kind in HEADING_STYLES:
            name, font = HEADING_STYLES[block.kind]
            p = _add_paragraph(doc, name)
            run(p, block.text, font, SIZE_BODY)
        elif block.kind == "table":
            _wide_or_narrow_table(doc, block.table)
        elif block.kind == "signature":
            p = _add_paragraph(doc, "Normal")
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(SIZE_BODY * 4)
            _no_indent(p)
            run(p, block.text, FONT_BODY, SIZE_BODY)
        else:
            p = _add_paragraph(doc, "Normal")
            run(p, block.text, FONT_BODY, SIZE_BODY)
        if after_title and issued and block.kind == "blank":  # 标题下空一行，主送机关顶格
            p = _add_paragraph(doc, "Normal")
            _no_indent(p)
            run(p, issued.recipients + "：", FONT_BODY, SIZE_BODY)
        after_title = False
    if issued:
        _signature(doc, issued)
        _imprint(doc, issued)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- 公文 elements ---------------------------------------------------------------------------------

RED = "FF0000"
PPR_AFTER_BDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct") \
    + PPR_AFTER_OVERFLOW


def _border(p, side: str, eighths: int, color: str = "000000") -> None:
    """A paragraph rule (``eighths`` of a point: 8 is 0.35 mm, the 版记's thick line; 6 is 0.25 mm)."""
    ppr = p._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        _insert_ordered(ppr, bdr, PPR_AFTER_BDR)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(eighths))
    el.set(qn("w:space"), "1")
    el.set(qn("w:color"), color)
    order = ["top", "left", "bottom", "right"]
    for existing in bdr:
        if order.index(existing.tag.split("}")[1]) > order.index(side):
            existing.addprevious(el)
            return
    bdr.append(el)


def _chars(text: str) -> float:
    """Width of body text in characters (Arabic digits half a character)."""
    return sum(1 if ord(ch) > 0x2E7F else 0.5 for ch in text)


def _masthead(doc, issued) -> None:
    """版头: 发文机关标志 centred in red 小标宋 (as large as fits, at most 小初), 发文字号 centred
    below it, then the red rule across the text block."""
    size = min(36.0, Mm(156).pt / max(_chars(issued.masthead), 1) - 1)
    p = _add_paragraph(doc, "Title")
    _exact(p.paragraph_format, size * 1.3)
    r = run(p, issued.masthead, FONT_TITLE, size)
    r.font.color.rgb = None
    color = OxmlElement("w:color")
    color.set(qn("w:val"), RED)
    _insert_ordered(r._r.get_or_add_rPr(), color, ("w:spacing", *RPR_AFTER_SPACING))
    _add_paragraph(doc, "Normal")
    if issued.number:
        p = _add_paragraph(doc, "Normal")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _no_indent(p)
        run(p, issued.number, FONT_BODY, SIZE_BODY)
    rule = _add_paragraph(doc, "Normal")
    _exact(rule.paragraph_format, 8)
    _border(rule, "bottom", 12, RED)
    _add_paragraph(doc, "Normal")


def _signature(doc, issued) -> None:
    """发文机关署名 (right, two characters in) and 成文日期 below it, its first character two to
    the right of the 署名's; a date longer than that goes two in and moves the 署名 left. They
    stay together, with the last lines of the text (no 成文日期 alone on a page)."""
    wi, wd = _chars(issued.issuer), _chars(issued.date_text)
    right_issuer, right_date = 2.0, 2.0 + wi - 2 - wd
    if right_date < 2:
        right_date, right_issuer = 2.0, wd + 4 - wi
    char = SIZE_BODY + CHAR_SPACING / 20
    last = doc.element.body[-2] if len(doc.element.body) > 1 else None  # before the body's sectPr
    if last is not None and last.tag == qn("w:p") and last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
        Paragraph(last, doc).paragraph_format.keep_with_next = True
    _add_paragraph(doc, "Normal").paragraph_format.keep_with_next = True
    for text, right in ((issued.issuer, right_issuer), (issued.date_text, right_date)):
        p = _add_paragraph(doc, "Normal")
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _no_indent(p)
        p.paragraph_format.right_indent = Pt(char * right)
        p.paragraph_format.keep_with_next = text == issued.issuer
        run(p, text, FONT_BODY, SIZE_BODY)


def _imprint(doc, issued) -> None:
    """版记 at the foot of the last page, its last rule on the last line of the 版心 (GB/T 9704
    7.5): 抄送机关 (4号, one character in, ending 。) between the thick first rule and a thin one,
    then 印发机关 (left, one character in) and 印发日期 (right, one character in, “…印发”) above the
    thick last rule. A one-column table floating at the bottom of the text block (``w:tblpPr``
    ``tblpYSpec="bottom"`` against the margin; LibreOffice makes it a frame there, Word keeps it
    a floating table), anchored on an empty paragraph after the 署名: body text never runs under
    it, and when the 署名 leaves no room it goes to the foot of the next page."""
    lines = []
    if issued.cc:
        lines.append(("cc", f"抄送：{issued.cc}。"))
    lines.append(("print", f"{issued.issuer}\t{issued.date_text}印发"))
    width = Mm(TEXT_WIDTH_MM)
    t = doc.add_table(rows=len(lines), cols=1)
    tbl = t._tbl
    tblpr = tbl.tblPr
    float_pr = OxmlElement("w:tblpPr")
    for key, value in (("leftFromText", "0"), ("rightFromText", "0"), ("topFromText", "0"),
                       ("bottomFromText", "0"), ("vertAnchor", "margin"), ("horzAnchor", "page"),
                       ("tblpX", str(Mm(PAGE["left"]).twips)), ("tblpYSpec", "bottom")):
        float_pr.set(qn(f"w:{key}"), value)
    tblpr.insert(1 if tblpr.find(qn("w:tblStyle")) is not None else 0, float_pr)
    overlap = OxmlElement("w:tblOverlap")
    overlap.set(qn("w:val"), "never")
    float_pr.addnext(overlap)
    borders = OxmlElement("w:tblBorders")
    for side, size in (("top", 8), ("left", 0), ("bottom", 8), ("right", 0), ("insideH", 6), ("insideV", 0)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single" if size else "nil")
        if size:
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tblpr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tblpr.append(margins)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tbl_w = tblpr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(width.twips))
    tbl.tblGrid.gridCol_lst[0].w = width
    for tr, (kind, text) in zip(tbl.tr_lst, lines, strict=True):
        tr.tc_lst[0].width = width
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(Pt(28).twips))
        height.set(qn("w:hRule"), "exact")
        tr.get_or_add_trPr().append(height)
        tc = tr.tc_lst[0]
        p = tc.find(qn("w:p"))
        para = Paragraph(p, t)
        _no_indent(para)
        _exact(para.paragraph_format, 28)
        pf = para.paragraph_format
        pf.left_indent = Pt(SIZE_PAGE)
        pf.right_indent = Pt(SIZE_PAGE)
        if kind == "print":
            pf.tab_stops.add_tab_stop(width - Pt(SIZE_PAGE), WD_TAB_ALIGNMENT.RIGHT)  # 印发日期 one character in
        parts = text.split("\t")
        run(p, parts[0], FONT_BODY, SIZE_PAGE)
        for part in parts[1:]:
            r = run(p, "", FONT_BODY, SIZE_PAGE)
            r.append(OxmlElement("w:tab"))
            run(p, part, FONT_BODY, SIZE_PAGE)
    anchor = _add_paragraph(doc, "Normal")  # the floating table's anchor (Word needs a paragraph after it)
    _exact(anchor.paragraph_format, 2)


def _no_indent(p) -> None:
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "0")
    ind.set(qn("w:firstLine"), "0")


def _head_text(label: str, width_mm: float) -> str:
    """The label on one line if it fits the column, else split at its word boundary."""
    if text_width_mm(label) + CELL_PADDING_MM <= width_mm:
        return label
    return "\n".join(header_lines(label))


def _cell_paragraph(cell, text: str, font: str, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    """A table cell's text in the Table Text / Table Head paragraph style (五号, exact 15 pt, no
    indent, off the line grid); ``cell`` is a python-docx cell or a w:tc element."""
    tc = cell._tc if hasattr(cell, "_tc") else cell
    p = tc.find(qn("w:p"))
    ppr = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), "TableHead" if font == FONT_H1 else "TableText")
    ppr.append(style)
    overflow = OxmlElement("w:overflowPunct")
    overflow.set(qn("w:val"), "0")
    ppr.append(overflow)
    if align == WD_ALIGN_PARAGRAPH.LEFT:
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), "left")
        ppr.append(jc)
    for old in p.findall(qn("w:pPr")):
        p.remove(old)
    p.insert(0, ppr)
    run(p, text, font, SIZE_TABLE)


def _shade(cell, hex_fill: str) -> None:
    tcpr = (cell._tc if hasattr(cell, "_tc") else cell).get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    tcpr.append(shd)


# --- tables that print: widths from the content, landscape when wide, parts when wider --------------

TEXT_WIDTH_MM = 156.0  # portrait 版心
LANDSCAPE_TEXT_WIDTH_MM = 225.0  # the 版心 turned: 225 × 156 mm
CELL_PADDING_MM = 2 * 1.905 + 1.0  # Table Grid's 108-twip cell margins, and 1 mm so nothing sits on the rule
EM_MM = SIZE_TABLE * 25.4 / 72  # one 五号 character


AUTOSPACE_EM = 0.25  # LibreOffice's space between Asian and non-Asian text (2021 年 3 月 18 日)


def text_width_mm(text: str) -> float:
    """Printed width of ``text`` in 五号: CJK and full-width characters one em, others (digits,
    Latin, '.', '-', '%') 0.55 em (the Fandol and Noto figures are proportional, at most that),
    and a quarter em wherever Chinese meets a digit or a letter: without it a date column was
    measured too narrow and printed 2021年3月18/日."""
    wide = [ord(ch) > 0x2E7F for ch in text if ch != "\u2060"]
    width = sum(EM_MM if w else 0.55 * EM_MM for w in wide)
    meets = sum(1 for a, b in itertools.pairwise(wide) if a != b)
    return width + meets * AUTOSPACE_EM * EM_MM


WORD_STARTS = ("累计", "增长", "同比", "位次", "完成", "计划", "开工", "预算", "执行", "到位", "金额", "项目", "收入",
               "状态", "期限", "日期", "代码", "名称", "序时", "差距", "标准", "%")
WORD_ENDS = ("季度", "半年", "月", "年", "本年", "签约", "已", "主营业务")


def header_lines(label: str) -> list[str]:
    """A header label as it prints: up to four characters on one line (增速位次 does not break as
    增速位/次), longer ones over two lines at the word boundary nearest the middle (前三季度/累计,
    同比/增长%), never inside a word, a number or before a ``%``."""
    if len(label) <= 4:
        return [label]
    cuts = [i for i in range(2, len(label) - 1)
            if label[i:].startswith(WORD_STARTS) or label[:i].endswith(WORD_ENDS)]
    cuts = [i for i in cuts if label[i] != "%" and not (label[i - 1].isdigit() and label[i].isdigit())]
    middle = len(label) / 2
    cut = min(cuts, key=lambda i: (abs(i - middle), i)) if cuts else (len(label) + 1) // 2
    return [label[:cut], label[cut:]]


def header_width_mm(label: str) -> float:
    """The narrowest a header cell may be (:func:`header_lines`)."""
    return max(text_width_mm(line) for line in header_lines(label))


def column_widths(table: Table) -> list[float]:
    """Each column's width in mm: its designed width, widened to what its content needs (every
    cell on one line unless it is text wider than 40 mm; the header at word boundaries)."""
    out = []
    for c, col in enumerate(table.columns):
        need = header_width_mm(col.label)
        for row in table.rows:
            need = max(need, min(text_width_mm(row[c].text), 40.0) if not _is_number(row[c].text)
                       else text_width_mm(row[c].text))
        out.append(max(col.width if _has_long_text(table, c) else 0.0, need + CELL_PADDING_MM))
    return out


def _is_number(text: str) -> bool:
    return bool(text) and all(ch in "0123456789.,-%—年月日前移后退持平" for ch in text)


def _has_long_text(table: Table, c: int) -> bool:
    return any(text_width_mm(row[c].text) > 40.0 for row in table.rows)


def _parts(table: Table, widths: list[float], room: float) -> list[list[int]]:
    """Column indexes of each part of a table too wide for ``room``: the first (key) column in
    every part, an indicator's columns (one header group) never split."""
    groups: list[list[int]] = []
    for c in range(1, len(table.columns)):
        group = table.columns[c].group
        if groups and group and table.columns[groups[-1][-1]].group == group:
            groups[-1].append(c)
        else:
            groups.append([c])
    parts, current, used = [], [0], widths[0]
    for group in groups:
        w = sum(widths[c] for c in group)
        if len(current) > 1 and used + w > room:
            parts.append(current)
            current, used = [0], widths[0]
        current += group
        used += w
    parts.append(current)
    return parts


def table_parts(table: Table) -> tuple[list[tuple[Table, list[float]]], bool]:
    """How ``table`` prints: ([(table or part, widths in mm)], landscape). In the portrait text block
    when it fits; on a landscape section when it does not; in parts (the key column repeated,
    “（续）” in the caption, the 注 after the last) when it does not fit that either."""
    widths = column_widths(table)
    total = sum(widths)
    if total <= TEXT_WIDTH_MM:
        return [(table, widths)], False
    if total <= LANDSCAPE_TEXT_WIDTH_MM:
        return [(table, _spread(widths, LANDSCAPE_TEXT_WIDTH_MM))], True
    parts = _parts(table, widths, LANDSCAPE_TEXT_WIDTH_MM)
    out = []
    for i, cols in enumerate(parts):
        part = Table(table.title + ("" if i == 0 else "（续）"), [table.columns[c] for c in cols],
                     [[row[c] for c in cols] for row in table.rows], subtitle=table.subtitle if i == 0 else "",
                     note=table.note if i == len(parts) - 1 else "")
        out.append((part, _spread([widths[c] for c in cols], LANDSCAPE_TEXT_WIDTH_MM)))
    return out, True


def _wide_or_narrow_table(doc, table: Table) -> None:
    parts, landscape = table_parts(table)
    if landscape and len(doc.element.body) > 1:  # end the portrait section before (none if the table is first)
        _section_break(doc, landscape=False)
    for part, widths in parts:
        _table(doc, part, widths)
    if landscape:
        _section_break(doc, landscape=True)  # ends the landscape section after it


def _spread(widths: list[float], room: float) -> list[float]:
    """Widths grown in proportion to fill ``room`` (a landscape table spans its text block)."""
    total = sum(widths)
    return [w * room / total for w in widths] if total < room else widths


def _section_break(doc, *, landscape: bool) -> None:
    """An empty paragraph that ends the current section: portrait (A4, GB/T 9704 margins) or
    landscape (297 × 210 mm, the same 版心 turned: 225 × 156 mm, binding edge at the top)."""
    p = _add_paragraph(doc, "Normal")
    _exact(p.paragraph_format, 2)
    body_sect = doc.sections[-1]._sectPr
    sect = deepcopy(body_sect)
    ppr = p._p.get_or_add_pPr()
    ppr.append(sect)
    pg = sect.find(qn("w:pgSz"))
    mar = sect.find(qn("w:pgMar"))
    if landscape:
        pg.set(qn("w:w"), str(Mm(PAGE["height"]).twips))
        pg.set(qn("w:h"), str(Mm(PAGE["width"]).twips))
        pg.set(qn("w:orient"), "landscape")
        for side, mm_ in (("top", PAGE["left"]), ("bottom", PAGE["right"]), ("left", PAGE["top"]),
                          ("right", PAGE["bottom"])):
            mar.set(qn(f"w:{side}"), str(Mm(mm_).twips))
        # the page number stays 7 mm below the (now 26 mm high) bottom margin's text block
        mar.set(qn("w:footer"), str(Mm(FOOTER_DISTANCE_MM - (PAGE["bottom"] - PAGE["right"])).twips))
    for el in sect.findall(qn("w:titlePg")):
        sect.remove(el)
    typ = OxmlElement("w:type")
    typ.set(qn("w:val"), "nextPage")
    sect.insert(0, typ) if sect.find(qn("w:footerReference")) is None else \
        list(sect.iterchildren(qn("w:footerReference")))[-1].addnext(typ)


def _note(doc, text: str) -> None:
    note = _add_paragraph(doc, "Normal")
    _no_indent(note)
    _exact(note.paragraph_format, 18)
    run(note, text, FONT_BODY, SIZE_TABLE + 1.5)


def _table(doc, table: Table, widths_mm: list[float] | None = None) -> None:
    caption = _add_paragraph(doc, "Normal")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_indent(caption)
    caption.paragraph_format.keep_with_next = True
    run(caption, table.title, FONT_H1, SIZE_PAGE)
    if table.subtitle:
        sub = _add_paragraph(doc, "Normal")
        sub.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _no_indent(sub)
        _exact(sub.paragraph_format, 18)
        sub.paragraph_format.keep_with_next = True
        run(sub, table.subtitle, FONT_BODY, SIZE_TABLE + 1.5)
    head = 2 if table.two_level else 1
    n_cols = len(table.columns)
    t = doc.add_table(rows=head + len(table.rows), cols=n_cols)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    rows = t.rows
    widths_mm_ = widths_mm or [c.width for c in table.columns]
    widths = [Mm(w) for w in widths_mm_]
    # header
    if head == 2:
        top, bottom = rows[0].cells, rows[1].cells
        c = 0
        while c < n_cols:
            col = table.columns[c]
            if not col.group:
                top[c].merge(bottom[c])
                _cell_paragraph(top[c], _head_text(col.label, widths_mm_[c]), FONT_H1)
                c += 1
                continue
            end = c
            while end + 1 < n_cols and table.columns[end + 1].group == col.group:
                end += 1
            for k in range(c, end + 1):
                _cell_paragraph(bottom[k], _head_text(table.columns[k].label, widths_mm_[k]), FONT_H1)
            merged = top[c].merge(top[end]) if end > c else top[c]
            _cell_paragraph(merged, col.group, FONT_H1)
            c = end + 1
    else:
        for c, cell in enumerate(rows[0].cells):
            _cell_paragraph(cell, _head_text(table.columns[c].label, widths_mm_[c]), FONT_H1)
    for r in range(head):
        trpr = rows[r]._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        trpr.append(el)
    trs = t._tbl.tr_lst
    for i, data_row in enumerate(table.rows):
        for c, (tc, value) in enumerate(zip(trs[head + i].tc_lst, data_row, strict=True)):
            _cell_paragraph(tc, value.text, FONT_BODY, WD_ALIGN_PARAGRAPH.CENTER if c else WD_ALIGN_PARAGRAPH.LEFT)
            if value.fill:
                _shade(tc, FILLS[value.fill])
    for grid_col, width in zip(t._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = width  # LibreOffice lays out by the grid, Word by the cells: set both
    for tr in trs:
        tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))  # a row never breaks across pages
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = sum(widths[col:col + span], Emu(0))
            col += span
    if table.note:
        _note(doc, table.note)
