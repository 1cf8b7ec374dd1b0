"""The meeting's documents: GB/T 9704 layout, every number is the engine's, the speech's figures,
the county table as the import's wide table, the pack, the web page, PDF through LibreOffice.

The demo is loaded once for the module (``diaodu demo --no-serve``).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from io import StringIO
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from diaodu.briefings import build
from diaodu.briefings.facts import apply, numbers_in, resolve
from diaodu.briefings.gbt9704 import LINE_PITCH
from diaodu.engine.overtake import overtaken
from diaodu.evaluation import compute
from tests.briefings.rounding import check_fact, half_up
from tests.helpers import demo_database

# Every test is marked: pytest-django sets up the test database only for a session with a test that
# needs it, and the module fixture below would otherwise write into the development database.
pytestmark = pytest.mark.django_db

HOME = "621200"
PERIODS = ["2021-09", "2021-10"]
DEMO_PERIODS = ["2021-06", "2021-09", "2021-10"]  # the demo's periods: every number checked at each
DOC_KINDS = ["economy", "evaluation", "weak", "speech", "table"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_database(django_db_blocker):
        yield


def _docx_text(data: bytes) -> tuple[Document, list[str]]:
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        seen = set()
        for row in table.rows:
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    texts.append(cell.text)
    return document, texts


def _check_fact(fact: dict) -> None:
    check_fact(fact, resolve, apply)


# --- every number is the engine's ------------------------------------------------------------

@pytest.mark.parametrize("period", DEMO_PERIODS)
@pytest.mark.parametrize("kind", DOC_KINDS)
def test_every_number_in_the_document_is_the_engines(demo, kind, period):
    doc = build.document(kind, period)
    assert doc.facts.items, "a document without figures"
    with compute.snapshot():  # the data do not change within the test: one fingerprint for every fact
        for fact in doc.facts.as_json():
            _check_fact(fact)
    if kind in ("economy", "speech"):  # their gaps are differences of printed numbers, checked as such
        assert any(f.minus for f in doc.facts.items)
    printed = {f.text for f in doc.facts.items}
    data = build.render(doc, "docx")
    _, texts = _docx_text(data)
    for text in texts:
        for number in numbers_in(text):
            assert number in printed, f"{number!r} in {text!r} has no source"
    # and the spreadsheet of its tables holds the same numbers as numbers: the rounded ones it shows
    if doc.tables:
        wb = openpyxl.load_workbook(io.BytesIO(build.render(doc, "xlsx")))
        values = {float(f.text.replace(",", "")) for f in doc.facts.items}
        for ws in wb.worksheets:
            for row in ws.iter_rows(min_row=3):
                for cell in row:
                    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                        assert any(abs(cell.value - v) < 1e-9 for v in values) or abs(cell.value) in values, cell


# --- the speech states the engine's figures --------------------------------------------------

def _row(rows, **keys):
    return next(r for r in rows if all(r.get(k) == v for k, v in keys.items()))


def _quarter(period: str) -> str:
    year, month = period.split("-")
    return f"{year}-{int(month) // 3 * 3:02d}"


@pytest.mark.parametrize("period", PERIODS)
def test_speech_states_the_engines_figures(demo, period):
    doc = build.document("speech", period)
    text = doc.text()
    summary = _row(compute.evaluation(period, level="city")["summary"], region_code=HOME)
    change = summary["rank_change"]
    moved = "前移" if change > 0 else "后退" if change < 0 else ""
    assert (f"综合得分{half_up(summary['score'], 2)}分，排名全省第{summary['rank']}位（14个市州均已报送），"
            f"较上半年{moved}{abs(change)}位") in text \
        if change else "较上半年名次持平" in text

    def rank(code):
        p = _quarter(period) if code in ("gdp", "income_urban", "income_rural") else period
        return _row(compute.ranks(p, "city"), region_code=HOME, indicator=code)["rank_growth"]

    assert f"地区生产总值增速居全省第{rank('gdp')}位" in text
    assert f"规上工业增加值增速居全省第{rank('industry_va')}位" in text
    assert f"固定资产投资增速居全省第{rank('fai')}位" in text
    assert f"社会消费品零售总额增速居全省第{rank('retail')}位" in text
    assert (f"大口径财政收入、一般公共预算收入增速分别居全省第{rank('revenue_broad')}、第{rank('revenue_general')}位"
            in text)
    assert f"城乡居民人均可支配收入增速分别居全省第{rank('income_urban')}、第{rank('income_rural')}位" in text

    forecasts = compute.forecasts(period, "city")
    gdp = _row(forecasts, region_code=HOME, indicator="gdp", measure="growth")
    retail = _row(forecasts, region_code=HOME, indicator="retail", measure="growth")
    industry = _row(forecasts, region_code=HOME, indicator="industry_va", measure="growth")
    fai = _row(forecasts, region_code=HOME, indicator="fai", measure="growth")
    assert f"生产总值增长在{half_up(gdp['low'], 1)}%至{half_up(gdp['high'], 1)}%之间" in text
    assert f"规上工业增加值增长{half_up(industry['point'], 1)}%左右" in text
    assert f"固定资产投资增长{half_up(fai['point'], 1)}%左右" in text
    assert f"社会消费品零售总额增长在{half_up(retail['low'], 1)}%至{half_up(retail['high'], 1)}%之间" in text
    # beside the forecasts, each one's method and its record against the naive rule
    record = text[text.index("以上预计的方法与往年检验："):]
    for name, row in (("地区生产总值", gdp), ("规上工业增加值", industry), ("固定资产投资", fai),
                      ("社会消费品零售总额", retail)):
        assert row["backtest_n"], (name, "the demo has earlier years to check every method on")
        assert (f"{name}按{row['method_label']}预计，往年检验平均误差{half_up(row['backtest_mae'], 2)}个百分点"
                f"（按年内累计不变为{half_up(row['naive_mae'], 2)}个百分点），"
                f"区间往年覆盖{half_up(row['backtest_coverage'], 0)}%") in record, name

    gap = _row(compute.gaps(period, "city"), region_code=HOME, indicator="gdp")
    assert f"GDP总量要达到{half_up(gap['target_total'], 2)}亿元" in text
    assert f"全市GDP完成{half_up(gap['value'], 2)}亿元" in text
    assert f"不到{gap['months_remaining']}个月的时间里还需完成{half_up(gap['target_total'], 2) - half_up(gap['value'], 2)}亿元" in text

    first = [r for r in compute.overtakes(period) if r["first_time"]]
    assert first, "the demo's story: 定西 overtakes 陇南 in 2021"
    assert f"GDP近{first[0]['years_behind']}年来首次被{first[0]['peer_name']}（{half_up(first[0]['peer_value'], 2)}亿元）超越" in text
    second = _row(compute.contributions(_quarter(period)), part_indicator="gdp_secondary")
    assert f"二产对经济增长的贡献率仅为{half_up(second['contribution'], 1)}%" in text
    assert "倒数第" in text


def test_speech_command_writes_text_docx_and_sources(demo, tmp_path):
    out = tmp_path / "speech.txt"
    stdout = StringIO()
    call_command("brief", "speech", "--period", "2021-10", "--out", str(out), "--json", stdout=stdout)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("第一、以主动担当对标对表找差距的警醒补齐短板弱项")
    payload = json.loads(stdout.getvalue()[stdout.getvalue().index("{"):])
    assert {f["src"]["fn"] for f in payload["facts"]} >= {"ranks", "forecasts", "gaps", "evaluation", "overtakes"}
    for number in numbers_in(text):
        assert number in {f["text"] for f in payload["facts"]}
    call_command("brief", "speech", "--period", "2021-10", "--out", str(tmp_path / "speech.docx"), stdout=StringIO())
    assert Document(str(tmp_path / "speech.docx")).paragraphs[0].style.name == "Heading 1"


# --- GB/T 9704 layout ------------------------------------------------------------------------

def _east_asia(rpr) -> str | None:
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


@pytest.mark.parametrize("kind", ["economy", "evaluation", "weak", "speech"])
def test_docx_layout_follows_gbt9704(demo, kind):
    data = build.render(build.document(kind, "2021-09"), "docx")
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    mm = pytest.approx  # Word stores twips: 210 mm is 11906 twips
    assert (section.page_width.mm, section.page_height.mm) == (mm(210, abs=0.1), mm(297, abs=0.1))
    assert (section.top_margin.mm, section.left_margin.mm) == (mm(37, abs=0.1), mm(28, abs=0.1))
    assert Emu(section.page_width - section.left_margin - section.right_margin).mm == mm(156, abs=0.1)
    assert Emu(section.page_height - section.top_margin - section.bottom_margin).mm == mm(225, abs=0.1)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == str(LINE_PITCH) and LINE_PITCH * 22 == pytest.approx(Mm(225).twips, abs=22)
    styles = document.styles
    normal = styles["Normal"]
    assert normal.font.size == Pt(16) and _east_asia(normal.element.rPr) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing == Pt(LINE_PITCH / 20)
    spacing = normal.element.rPr.find(qn("w:spacing"))
    # 28 characters of 16 pt (less the character spacing) fit in the 156 mm line
    assert 28 * (16 + int(spacing.get(qn("w:val"))) / 20) <= Mm(156).pt < 29 * (16 + int(spacing.get(qn("w:val"))) / 20)
    expected = {"Heading 1": "黑体", "Heading 2": "楷体_GB2312", "Heading 3": "仿宋_GB2312", "Heading 4": "仿宋_GB2312"}
    for name, font in expected.items():
        assert _east_asia(styles[name].element.rPr) == font and styles[name].font.size == Pt(16)
    if kind != "speech":
        title = document.paragraphs[0]
        assert title.style.name == "Title" and styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert styles["Title"].font.size == Pt(22) and _east_asia(styles["Title"].element.rPr) == "方正小标宋简体"
    used = {p.style.name for p in document.paragraphs}
    assert "Heading 1" in used
    if kind == "economy":
        assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"} <= used
        levels = {p.style.name: p.text for p in document.paragraphs if p.style.name.startswith("Heading")}
        assert re.match(r"^[一二三四五六七八九十]+、", levels["Heading 1"])
        assert re.match(r"^（[一二三四五六七八九十]+）", levels["Heading 2"])
        assert re.match(r"^\d+\. ", levels["Heading 3"]) and re.match(r"^（\d+）", levels["Heading 4"])
    # zh-CN everywhere: the defaults and every style that sets a language
    lang = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    for el in styles.element.iter(qn("w:lang")):
        assert el.get(qn("w:eastAsia")) in (None, "zh-CN")
    # every run names its East Asian font (body, tables, footers)
    runs = list(document.element.body.iter(qn("w:r")))
    for footer in (section.footer, section.even_page_footer):
        runs += list(footer._element.iter(qn("w:r")))
    assert runs
    for r in runs:
        assert _east_asia(r.find(qn("w:rPr"))), r.xml[:200]
    # page numbers: — n — in 4号 宋体, odd right, even left
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        assert p.alignment == align
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert p.text.startswith("— ") and p.text.endswith(" —")
        for r in p.runs:
            assert r.font.size == Pt(14) and _east_asia(r._r.rPr) == "宋体"


def test_economy_tables_have_merged_headers_and_pace_fills(demo):
    doc = build.document("economy", "2021-09")
    document = Document(io.BytesIO(build.render(doc, "docx")))
    county = document.tables[1]
    header = county.rows[0].cells
    assert header[1].text == "地区生产总值" and header[1]._tc is header[2]._tc  # merged over its columns
    fills = {el.get(qn("w:fill")) for el in document.element.body.iter(qn("w:shd"))}
    assert fills & {"C6EFCE", "FFEB9C", "FFC7CE"}
    assert county.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


# --- xlsx --------------------------------------------------------------------------------------

def test_county_table_xlsx_headers_formats_panes_print(demo):
    wb = openpyxl.load_workbook(io.BytesIO(build.render(build.document("table", "2021-10"), "xlsx")))
    ws = wb.worksheets[0]
    assert ws["A1"].value == "陇南市2021年1-10月县区主要经济指标完成情况表"
    assert "A3:A4" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["B3"].value == "规上工业增加值" and ws["B4"].value == "同比增长%"
    assert any(str(r).startswith("D3:") for r in ws.merged_cells.ranges)  # 固定资产投资 over 累计/增长/位次
    assert ws["D4"].value == "1-10月累计" and ws["D5"].number_format == "0.00" and ws["E5"].number_format == "0.0"
    assert ws["A5"].value == "全市" and ws.freeze_panes == "B5"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows.replace("$", "") == "3:4"
    assert any(c.fill.fgColor.rgb.endswith(("C6EFCE", "FFEB9C", "FFC7CE")) for row in ws.iter_rows(min_row=5) for c in row)
    assert [s.title for s in wb.worksheets][:2] == ["县区主要指标", "县区主要指标（前三季度）"]


def test_generated_county_table_imports_as_unchanged(demo, tmp_path, capsys):
    for period in PERIODS:
        path = tmp_path / f"table_{period}.xlsx"
        call_command("brief", "table", "--period", period, "--out", str(path), stdout=StringIO())
        capsys.readouterr()
        call_command("import", str(path), "--json", "--user", "tongji", stdout=StringIO())
        result = json.loads(capsys.readouterr().out)
        assert (result["created"], result["updated"]) == (0, 0), result
        assert result["unchanged"] > 0


# --- pack, supervision, the web ------------------------------------------------------------------

def test_pack_bundles_the_meeting_documents(demo, tmp_path):
    out = tmp_path / "pack.zip"
    call_command("brief", "pack", "--period", "2021-10", "--out", str(out), stdout=StringIO())
    names = zipfile.ZipFile(out).namelist()
    for part in ("经济运行情况通报_2021-10.docx", "县区主要经济指标完成情况表_2021-10.xlsx",
                 "县区重点工作评价结果通报_2021-10.docx", "短板弱项清单_2021-10.docx", "讲话稿数据部分_2021-10.docx",
                 "讲话稿数据部分_2021-10.sources.json"):
        assert any(n.endswith(part) for n in names), names


def test_evaluation_says_once_what_every_county_lacks(demo):
    """At 2021-06 no county has the two budget items: the 通报 says so once, not after each of nine
    counties; an item only some counties lack is still named after each of them."""
    summary = compute.evaluation("2021-06", level="county")["summary"]
    common = set.intersection(*(set(r["missing_items"]) for r in summary))
    assert common
    text = build.document("evaluation", "2021-06").text()
    result = text.split("各县区综合得分和排名依次为：", 1)[1].split("\n", 1)[0]
    assert result.count("缺数") == 1 + sum(bool(set(r["missing_items"]) - common) for r in summary)
    assert "、".join(i for i in summary[0]["missing_items"] if i in common) + "各县区均缺数，均不得分。" in result


def test_evaluation_table_compares_with_the_half_year_only_after_it(demo):
    """表一's 较上半年 column stands for the engine's comparison: at 上半年 there is none to show."""
    for period, compared in (("2021-06", False), ("2021-09", True)):
        assert any(r["compare_period"] for r in compute.evaluation(period, level="county")["summary"]) is compared
        table = build.document("evaluation", period).tables[0]
        assert ("较上半年" in [c.label for c in table.columns]) is compared, period


def test_supervision_bulletin_from_the_tasks(demo, tmp_path):
    from diaodu.supervision.models import Task

    out = tmp_path / "sup.docx"
    if Task.objects.exists():
        call_command("brief", "supervision", "--out", str(out), stdout=StringIO())
        document = Document(str(out))
        assert document.paragraphs[0].text == "市政府督查事项办理情况通报"
        assert len(document.tables[0].rows) >= 2
    else:
        with pytest.raises(CommandError, match="还没有交办事项"):
            call_command("brief", "supervision", "--out", str(out), stdout=StringIO())


def test_errors_are_one_sentence(demo, tmp_path):
    with pytest.raises(CommandError, match="格式不对"):
        call_command("brief", "economy", "--period", "2021/13", "--out", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="支持的格式"):
        call_command("brief", "speech", "--period", "2021-09", "--out", str(tmp_path / "x.xlsx"))


def test_briefings_page_lists_and_serves_documents(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="leader"))
    html = client.get("/briefings/?period=2021-09").content.decode()
    assert "经济运行情况通报" in html and "/briefings/download/economy/docx/?period=2021-09" in html
    response = client.get("/briefings/download/economy/docx/?period=2021-09")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    Document(io.BytesIO(response.content))
    assert client.get("/briefings/download/pack/zip/?period=2021-09").status_code == 200
    assert Client().get("/briefings/").status_code == 302


def test_next_steps_come_from_the_open_tasks(demo):
    """下步工作 names the 督办事项 open at the end of the period, as the supervision ledger then
    stood: a task open then stays in the 2021-09 通报 (with the deadline it had) after it is
    changed and closed; one closed before the period's end, or begun after it, does not appear."""
    import datetime as dt
    from unittest import mock

    from django.utils import timezone

    from diaodu.org.models import Department
    from diaodu.supervision import actions
    from diaodu.supervision.models import State, Task

    users = get_user_model().objects
    office, finance_clerk = users.get(username="ducha"), users.get(username="czj")
    finance = Department.objects.get(code="czj")

    def next_steps(period: str = "2021-09") -> str:
        return build.document("economy", period).text().split("五、下步工作")[1]

    def new_task(title: str, start: dt.date) -> Task:
        task = Task(title=title, content=title, start_date=start, deadline=dt.date(2021, 11, 30))
        return actions.create_task(office, task, [finance], assign=True)

    def close(task: Task) -> None:
        for user, step in ((finance_clerk, "sign"), (finance_clerk, "report"), (office, "review"), (office, "close")):
            actions.transition(user, task, step)

    line = "市财政局牵头办理“盘活闲置国有资产增加财政收入”，2021年11月30日前办结。"
    task = new_task("盘活闲置国有资产增加财政收入", dt.date(2021, 9, 1))
    assert line in next_steps()
    # today (after September): a later deadline, then 办结; the 2021-09 通报 reads the ledger of 9月底
    actions.update_task(office, task, {"deadline": dt.date(2021, 12, 31)})
    close(task)
    assert Task.objects.get(pk=task.pk).state == State.CLOSED
    assert line in next_steps()
    # closed on 2021-09-20, inside the period: not open at its end
    with mock.patch("django.utils.timezone.now", return_value=timezone.make_aware(dt.datetime(2021, 9, 20, 10))):
        done = new_task("清理拖欠中小企业账款", dt.date(2021, 9, 1))
        close(done)
    assert Task.objects.get(pk=done.pk).closed_on == dt.date(2021, 9, 20)
    new_task("谋划储备明年重大项目", dt.date(2021, 10, 8))  # begun in October
    text = next_steps()
    assert "清理拖欠中小企业账款" not in text and "谋划储备明年重大项目" not in text
    assert "“谋划储备明年重大项目”，2021年11月30日前办结" in next_steps("2021-10")


# --- PDF through LibreOffice ----------------------------------------------------------------------

@pytest.mark.office
def test_economy_pdf_has_pages_and_embedded_chinese_fonts(demo, tmp_path):
    if not shutil.which("soffice") or not shutil.which("pdffonts"):
        if os.environ.get("DIAODU_REQUIRE_TOOLS") == "1":
            pytest.fail("soffice/pdffonts missing and DIAODU_REQUIRE_TOOLS=1")
        pytest.skip("LibreOffice (soffice) or poppler-utils (pdffonts) not installed")
    out = tmp_path / "economy.docx"
    call_command("brief", "economy", "--period", "2021-09", "--out", str(out), "--pdf", stdout=StringIO())
    pdf = tmp_path / "economy.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 3 <= pages <= 12
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    cjk = [r for r in rows if re.search(r"Fandol|CJK|UKai", r[0])]
    assert cjk, fonts
    if Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol").is_dir():
        assert len(cjk) == len([r for r in rows if r]) and not any("CJKjp" in r[0] for r in rows), fonts
    assert all("yes" in r[-5:-3] for r in cjk), fonts  # embedded
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "经济运行情况通报" in text.replace(" ", "") and re.search(r"—\s*2\s*—", text)


# --- the engine's overtake --------------------------------------------------------------------------

def test_overtaken_counts_the_years_behind():
    obs = pd.DataFrame([
        {"region": r, "indicator": "gdp", "year": y, "month": 9, "value": v, "growth": None}
        for r, y, v in [("A", 2018, 100), ("B", 2018, 90), ("C", 2018, 120), ("A", 2019, 110), ("B", 2019, 100),
                        ("C", 2019, 130), ("A", 2020, 120), ("B", 2020, 119), ("C", 2020, 140),
                        ("A", 2021, 130), ("B", 2021, 131), ("C", 2021, 150)]])
    indicators = pd.DataFrame([{"code": "gdp", "name": "GDP", "frequency": "quarterly", "first_month": 3}])
    out = overtaken(obs, indicators, "2021-10", "A", ["A", "B", "C"], "gdp")
    b = out[out["peer_code"] == "B"].iloc[0]
    c = out[out["peer_code"] == "C"].iloc[0]
    assert (b["years_behind"], b["first_time"], b["period"]) == (3, True, "2021-09")
    assert (c["years_behind"], c["first_time"]) == (0, False)
    assert out.iloc[0]["peer_code"] == "B"  # the nearest first
    assert overtaken(obs, indicators, "2021-10", "C", ["A", "B", "C"], "gdp").empty


# --- 公文 elements ----------------------------------------------------------------------------------

def test_issued_bulletin_has_recipients_signature_date_and_imprint(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("DIAODU_BRIEF_CC", "市委办公室")
    out = tmp_path / "economy.docx"
    call_command("brief", "economy", "--period", "2021-09", "--date", "2021-10-12", "--out", str(out), stdout=StringIO())
    document = Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[0].replace("\n", "") == "陇南市2021年前三季度经济运行情况通报" and texts[1] == ""
    assert texts[2] == "各县区人民政府，市政府各部门："  # 主送机关 below the blank line, 顶格
    assert texts[-3:] == ["陇南市人民政府办公室", "2021年10月12日", ""]  # the last: the 版记's anchor
    imprint = document.tables[-1]  # floating at the foot of the text block
    assert [row.cells[0].text for row in imprint.rows] == ["抄送：市委办公室。", "陇南市人民政府办公室\t2021年10月12日印发"]
    floating = imprint._tbl.tblPr.find(qn("w:tblpPr"))
    assert floating.get(qn("w:vertAnchor")) == "margin" and floating.get(qn("w:tblpYSpec")) == "bottom"
    # the default date is the period's meeting (15th of the next month), whenever it is printed
    doc = build.document("evaluation", "2021-09")
    assert doc.issuance.date_text == "2021年10月15日" and "2021年10月15日印发" in doc.text()
    assert build.document("speech", "2021-09").issuance is None
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("brief", "economy", "--period", "2021-09", "--date", "10/12", "--out", str(out))


def test_masthead_when_configured(demo, monkeypatch):
    monkeypatch.setenv("DIAODU_BRIEF_MASTHEAD", "陇南市人民政府办公室文件")
    monkeypatch.setenv("DIAODU_BRIEF_NUMBER", "陇政办发〔{year}〕12号")
    document = Document(io.BytesIO(build.render(build.document("projects", "2021-09"), "docx")))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "陇南市人民政府办公室文件" and "陇政办发〔2021〕12号" in texts[:4]
    red = [el for el in document.element.body.iter(qn("w:bottom")) if el.get(qn("w:color")) == "FF0000"]
    assert red, "the red rule under the 版头"
    assert any(p.text.replace("\n", "") == "陇南市2021年前三季度重点项目和招商引资推进情况通报" for p in document.paragraphs)
