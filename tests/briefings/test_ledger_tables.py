"""The ledgers' briefing tables: 重点项目和招商引资 and 工业企业和财政 as GB/T 9704 .docx and .xlsx,
every number the ledger app's own value (its rates/calc/queries), recorded as a fact with its source.

The demo (figures and the project, investment, enterprise and fiscal ledgers) is loaded once.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from io import StringIO

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, Twips
from docx.table import Table

from diaodu.briefings import build, facts, gbt9704
from diaodu.briefings.facts import apply, numbers_in
from diaodu.engine.periods import Period
from tests.briefings.rounding import check_fact, half_up
from tests.helpers import demo_database

pytestmark = pytest.mark.django_db

HOME = "621200"
PERIODS = ["2021-06", "2021-09", "2021-10"]  # the demo's periods
KINDS = ["projects", "enterprise-fiscal"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_database(django_db_blocker):
        yield


@pytest.fixture
def resolve(monkeypatch):
    """``facts.resolve`` with each source function called once per arguments within the test: a
    table cites one list (projects_behind of a region and period, 0.06 s a call) once per cell, so
    the projects document's facts called it 740 times (58 s of the suite). The data do not change
    within a test, so each fact is still checked against what its source returns."""
    results: dict = {}
    source_function = facts.source_function

    def once(name: str):
        fn = source_function(name)

        def call(**args):
            key = (name, json.dumps(args, sort_keys=True, default=str))
            if key not in results:
                results[key] = fn(**args)
            return results[key]
        return call

    monkeypatch.setattr(facts, "source_function", once)
    return facts.resolve


@pytest.fixture(scope="module")
def docs(demo):
    """Each document at 2021-10 with its .docx and .xlsx."""
    out = {}
    for kind in KINDS:
        doc = build.document(kind, "2021-10")
        out[kind] = (doc, Document(io.BytesIO(build.render(doc, "docx"))),
                     openpyxl.load_workbook(io.BytesIO(build.render(doc, "xlsx"))))
    return out


def _sheet_rows(wb, doc, title_prefix: str) -> list[list]:
    """The data rows of the .xlsx sheet of the table whose title starts with ``title_prefix``."""
    index, table = next((i, t) for i, t in enumerate(doc.tables) if t.title.startswith(title_prefix))
    ws = wb.worksheets[index]
    first = 5 if table.two_level else 4
    return [[c.value for c in row] for row in ws.iter_rows(min_row=first, max_row=first + len(table.rows) - 1)]


def _pct(share):
    return None if share is None else share * 100


def _same(a, b) -> bool:
    """The sheet's number is the ledger's value as printed (an integer at most 0.5 off, a decimal
    0.05; the rounding itself is checked against every fact)."""
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= (0.5 if isinstance(a, int) else 0.05) + 1e-9


# --- every number is a ledger fact -------------------------------------------------------------

@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_number_is_a_ledger_fact(demo, kind, period, resolve):
    doc = build.document(kind, period)
    assert len(doc.facts.items) > 30
    for fact in doc.facts.as_json():
        src = fact["src"]
        assert src["fn"].startswith("diaodu.briefings.ledger_sources.") and src["ledger"].startswith("diaodu."), src
        check_fact(fact, resolve, apply)
    printed = {f.text for f in doc.facts.items}
    document = Document(io.BytesIO(build.render(doc, "docx")))
    for p in document.paragraphs:  # the text: every number a fact (dates and numbering aside)
        for number in numbers_in(p.text):
            assert number in printed, f"{number!r} in {p.text!r} has no source"
    # the tables: every numeric column's cell is a fact, in .docx as in the document
    printed_tables = [part for table in doc.tables for part, _widths in gbt9704.table_parts(table)[0]]
    body_tables = [t for t in document.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is None]  # not the 版记
    assert len(body_tables) == len(printed_tables)
    for table, dt in zip(printed_tables, body_tables, strict=True):
        head = 2 if table.two_level else 1
        assert len(dt.rows) == head + len(table.rows)
        for r, row in enumerate(table.rows):
            cells = dt.rows[head + r].cells
            for c, (column, cell) in enumerate(zip(table.columns, row, strict=True)):
                assert cells[c].text == cell.text
                if column.digits is not None and cell.text != "—":
                    assert cell.text in printed, (table.title, column.label, cell.text)
    # the .xlsx stores the same numbers as numbers, rounded as printed
    values = [float(f.text.replace(",", "")) for f in doc.facts.items]  # the rounded numbers it shows
    wb = openpyxl.load_workbook(io.BytesIO(build.render(doc, "xlsx")))
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    assert any(abs(cell.value - v) < 1e-9 for v in values), (ws.title, cell.coordinate, cell.value)


# --- the tables equal the ledger functions ------------------------------------------------------

def test_project_tables_equal_the_project_ledger(docs):
    from diaodu.projects import queries
    from diaodu.projects.models import Project

    period = Period(2021, 10)
    doc, _, wb = docs["projects"]
    county = queries.county_table(period)
    rows = _sheet_rows(wb, doc, "表一")
    assert [r[0] for r in rows] == [c.region.name for c in county]
    for row, c in zip(rows, county, strict=True):
        assert row[1:5] == [c.planned_starts, c.started, pytest.approx(_pct(c.start_rate), abs=0.05), c.ranks["start_rate"]]
        assert _same(row[5], c.annual_plan) and _same(row[6], c.ytd)
        assert _same(row[7], _pct(c.completion)) and row[8] == c.ranks["completion"] and row[9] == c.behind
    assert any(c.behind for c in county)
    assert f"序时进度：{queries.schedule_percent(period):.1f}%" in wb.worksheets[0]["A2"].value

    behind = queries.behind_plan(Project.objects.all(), period)
    rows = _sheet_rows(wb, doc, "表二")
    assert behind and [r[1] for r in rows] == [b.project.code for b in behind]
    for row, b in zip(rows, behind, strict=True):
        assert _same(row[3], b.project.annual_plan) and _same(row[4], b.target) and _same(row[5], b.ytd)
        assert _same(row[6], _pct(b.completion)) and _same(row[7], b.gap)

    idle = queries.idle_since_batch(Project.objects.all(), period)
    rows = _sheet_rows(wb, doc, "表三")
    assert idle and [r[1] for r in rows] == [i.project.code for i in idle]
    assert [r[5] for r in rows] == [i.reports_since for i in idle]

    groups = queries.not_started(Project.objects.all(), period)
    rows = _sheet_rows(wb, doc, "表四")
    assert [(r[0], r[1]) for r in rows] == [(label, len(ps)) for label, ps in groups.items()]

    stats = list(queries.not_in_statistics(Project.objects.all()))
    rows = _sheet_rows(wb, doc, "表五")
    assert stats and [r[1] for r in rows] == [p.code for p in stats]
    assert all(_same(r[4], p.total_investment) for r, p in zip(rows, stats, strict=True))
    assert [r[6] for r in rows] == [f"{p.stats_deadline.year}年{p.stats_deadline.month}月{p.stats_deadline.day}日"
                                   if p.stats_deadline else None for p in stats]


def test_investment_table_equals_the_pipeline_rates(docs):
    from diaodu.investment import queries

    doc, _, wb = docs["projects"]
    pipeline = queries.county_pipeline(Period(2021, 10))
    rows = _sheet_rows(wb, doc, "表六")
    assert [r[0] for r in rows] == [p.region.name for p in pipeline.values()]
    for row, p in zip(rows, pipeline.values(), strict=True):
        r = p.rates
        assert row[1:3] == [r.signed, r.started] and _same(row[3], _pct(r.start_rate))
        assert row[4] == p.ranks["start_rate"]
        assert _same(row[5], r.contracted) and _same(row[6], r.arrived) and _same(row[7], _pct(r.funds_rate))
        assert row[8] == p.ranks["funds_rate"] and row[9] == r.terminated
        assert _same(row[10], _pct(r.performance_rate)) and row[11] == p.ranks["performance_rate"]
    assert any(p.rates.signed for p in pipeline.values())


def test_enterprise_tables_equal_the_enterprise_ledger(docs):
    from diaodu.enterprises import rules, services
    from diaodu.enterprises.models import TROUBLED

    doc, _, wb = docs["enterprise-fiscal"]
    counts = services.troubled_counts()
    rows = _sheet_rows(wb, doc, "表一")
    from diaodu.projects.queries import counties

    assert [r[0] for r in rows] == [c.name for c in counties()]
    for row, c in zip(rows, counties(), strict=True):
        assert row[1:] == [counts.get(c.code, {}).get(s, 0) for s in TROUBLED]
    troubled = list(services.troubled(HOME))
    rows = _sheet_rows(wb, doc, "表二")
    assert troubled and [(r[0], r[2]) for r in rows] == [(e.name, e.get_status_display()) for e in troubled]
    assert all(r[3].startswith(e.get_cause_display()) for r, e in zip(rows, troubled, strict=True) if e.cause)
    candidates = services.upgrade_candidates((2021, 10))
    rows = _sheet_rows(wb, doc, "表三")
    assert candidates and [r[0] for r in rows] == [c.enterprise.name for c in candidates]
    for row, c in zip(rows, candidates, strict=True):
        assert _same(row[2], c.candidate.annual_revenue) and _same(row[3], c.candidate.gap)
    assert f"年主营业务收入{rules.SCALE_THRESHOLD:.0f}万元" in doc.text()
    assert any(c.enterprise.name == "暖山农业" or "暖山" in c.enterprise.name for c in candidates)


def test_fiscal_tables_equal_the_fiscal_ledger(docs):
    from diaodu.fiscal import services

    doc, _, wb = docs["enterprise-fiscal"]
    table = services.execution_table(2021, 10)
    rows = _sheet_rows(wb, doc, "表四")
    assert [r[0] for r in rows] == [u.label for u in table] and rows[0][0] == "全市" and rows[1][0] == "市级"
    for row, unit in zip(rows, table, strict=True):
        for k, item in enumerate(("revenue_broad", "revenue_general", "land_revenue")):
            cell = unit.cells[item]
            got = row[1 + 4 * k: 5 + 4 * k]
            assert _same(got[0], cell.budget) and _same(got[1], cell.actual)
            assert _same(got[2], _pct(cell.rate))
            # 较序时: the difference of the printed 执行率 and 序时进度 (39.9 − 83.3 = −43.4, not −43.5)
            assert got[3] == float(half_up(_pct(cell.rate), 1) - half_up(_pct(cell.rate - cell.gap), 1))
    land = next(u for u in table if u.code == HOME).cells["land_revenue"]
    assert land.gap < 0, "the demo's story: city-level land revenue behind schedule"
    text = doc.text()
    assert (f"市级土地出让收入年初预算{land.budget:.2f}亿元，1-10月完成{land.actual:.2f}亿元，执行预算的{land.rate * 100:.1f}%，"
            f"低于序时进度{-land.gap * 100:.1f}个百分点，较序时进度少收{land.behind:.2f}亿元") in text
    gaps, total = services.gaps(2021, 10)
    rows = _sheet_rows(wb, doc, "表五")
    assert gaps and [r[0] for r in rows] == [g.label for g in gaps]
    for row, g in zip(rows, gaps, strict=True):
        res = g.result
        assert [_same(a, b) for a, b in zip(row[1:], [res.revenue, res.land_counted, res.available, res.need, res.gap],
                                            strict=True)] == [True] * 5
    assert f"全市财力缺口{total:.2f}亿元" in text


# --- layout ---------------------------------------------------------------------------------------

def _tables_and_text_widths(document) -> list[tuple]:
    """Each table with the text width (mm) of the section it is in: 156 portrait, 225 landscape (not
    the 版记, a table floating at the foot of the last page)."""
    out, pending = [], []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:tbl") and child.find(f"{qn('w:tblPr')}/{qn('w:tblpPr')}") is None:
            pending.append(child)
        sect = child if child.tag == qn("w:sectPr") else child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if sect is not None:
            width = int(sect.find(qn("w:pgSz")).get(qn("w:w")))
            mar = sect.find(qn("w:pgMar"))
            room = Emu(Twips(width - int(mar.get(qn("w:left"))) - int(mar.get(qn("w:right"))))).mm
            out += [(Table(t, document), room) for t in pending]
            pending = []
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_docx_layout_and_xlsx_setup(docs, kind):
    doc, document, wb = docs[kind]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert Emu(section.page_width - section.left_margin - section.right_margin).mm == pytest.approx(156, abs=0.1)
    title = re.sub("[\n\u2060]", "", document.paragraphs[0].text)  # word joiners hold 1-10月 together
    assert document.paragraphs[0].style.name == "Title" and title == doc.title
    assert document.styles["Normal"].font.size == Pt(16)
    headings = [p for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert [p.text[:2] for p in headings if p.style.name == "Heading 1"] == ["一、", "二、"]
    assert all(p.text.startswith("（") for p in headings if p.style.name == "Heading 2")
    for r in document.element.body.iter(qn("w:r")):
        assert r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")), r.xml[:200]
    for dt, room in _tables_and_text_widths(document):  # header rows repeat; each fits its section's text block
        assert dt.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert sum(Emu(int(g.w)).mm for g in dt._tbl.tblGrid.gridCol_lst) <= room + 0.5
    assert len(wb.worksheets) == len(doc.tables)
    for ws, table in zip(wb.worksheets, doc.tables, strict=True):
        first = 5 if table.two_level else 4
        assert ws.freeze_panes == f"B{first}" and ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws["A1"].value.startswith("陇南市")
        for c, column in enumerate(table.columns, 1):
            if column.digits is not None:
                for r in range(first, first + len(table.rows)):
                    if isinstance(ws.cell(r, c).value, (int, float)):
                        assert ws.cell(r, c).number_format == {0: "0", 1: "0.0", 2: "0.00"}[column.digits]
        if table.two_level:  # a group merged over its columns
            assert any(r.min_row == 3 and r.max_row == 3 and r.max_col > r.min_col for r in ws.merged_cells.ranges)


def test_documents_regenerate_for_a_past_period(demo):
    doc = build.document("projects", "2021-09")
    assert doc.title == "陇南市2021年前三季度重点项目和招商引资推进情况通报"
    assert all(f["src"]["args"].get("period") in (None, "2021-09") for f in doc.facts.as_json())
    assert "序时进度75.0%" in doc.text()


# --- command, pack, web -----------------------------------------------------------------------------

def test_brief_command_writes_docx_xlsx_and_sources(demo, tmp_path):
    for kind in KINDS:
        call_command("brief", kind, "--period", "2021-10", "--out", str(tmp_path / f"{kind}.docx"), stdout=StringIO())
        assert Document(str(tmp_path / f"{kind}.docx")).paragraphs[0].style.name == "Title"
        call_command("brief", kind, "--period", "2021-10", "--out", str(tmp_path / f"{kind}.xlsx"), stdout=StringIO())
        assert openpyxl.load_workbook(tmp_path / f"{kind}.xlsx").worksheets
    out = StringIO()
    call_command("brief", "projects", "--period", "2021-10", "--json", stdout=out)
    payload = json.loads(out.getvalue()[out.getvalue().index("{"):])
    ledgers = {f["src"]["ledger"] for f in payload["facts"]}
    assert {"diaodu.projects.queries.county_table", "diaodu.projects.queries.behind_plan",
            "diaodu.investment.queries.county_pipeline"} <= ledgers


def test_pack_and_page_carry_the_ledger_documents(demo, tmp_path):
    out = tmp_path / "pack.zip"
    call_command("brief", "pack", "--period", "2021-10", "--out", str(out), stdout=StringIO())
    names = zipfile.ZipFile(out).namelist()
    for part in ("重点项目和招商引资推进情况通报_2021-10.docx", "重点项目和招商引资推进情况通报_2021-10.xlsx",
                 "工业企业和财政运行情况通报_2021-10.docx", "工业企业和财政运行情况通报_2021-10.xlsx"):
        assert any(n.endswith(part) for n in names), names
    client = Client()
    client.force_login(get_user_model().objects.get(username="leader"))
    html = client.get("/briefings/?period=2021-10").content.decode()
    for kind in KINDS:
        assert f"/briefings/download/{kind}/docx/?period=2021-10" in html
        assert f"/briefings/download/{kind}/xlsx/?period=2021-10" in html
    response = client.get("/briefings/download/enterprise-fiscal/xlsx/?period=2021-10")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert openpyxl.load_workbook(io.BytesIO(response.content))["财力缺口"]["A1"].value.endswith("财力缺口测算")


def test_a_past_period_reads_the_ledgers_as_they_stood(demo):
    """Generate, change the ledgers (through the write path, which records the change), regenerate
    the old period: the same document. The ledger's current state shows the change."""
    from django.contrib.auth import get_user_model

    from diaodu.briefings import ledger_sources
    from diaodu.core.write_path import update_record
    from diaodu.enterprises.models import Enterprise

    admin = get_user_model().objects.get(username="admin")
    before = {kind: build.render(build.document(kind, "2021-09"), "txt") for kind in KINDS}
    troubled = Enterprise.objects.exclude(status="normal").order_by("pk").first()
    normal = Enterprise.objects.filter(status="normal").order_by("pk").first()
    old = [(troubled, troubled.status, troubled.cause), (normal, normal.status, normal.cause)]
    try:
        update_record(admin, troubled, {"status": "normal", "cause": ""}, reason="复产")
        update_record(admin, normal, {"status": "stopped", "cause": "orders"}, reason="停产")
        names_now = {r["name"] for r in ledger_sources.enterprises_troubled()["rows"]}
        assert normal.name in names_now and troubled.name not in names_now
        for kind in KINDS:
            assert build.render(build.document(kind, "2021-09"), "txt") == before[kind], kind
    finally:
        for obj, status, cause in old:
            update_record(admin, obj, {"status": status, "cause": cause}, reason="还原")


def test_idle_projects_show_their_last_report_as_of_the_period(demo):
    text = build.document("projects", "2021-09").text()
    assert "2021年10月" not in text.split("表三")[-1].split("表四")[0]


def test_speech_states_the_ledgers_figures(demo, resolve):
    """The seed's 三是/四是: 停产/未销售 counts, 财力缺口 (全市, 市级), 市级土地出让 入库 and its budget;
    items without data say 暂无数据 instead of a rank."""
    from diaodu.briefings import ledger_sources

    doc = build.document("speech", "2021-09")
    text = doc.text()
    troubled = ledger_sources.enterprises_troubled(period="2021-09")
    assert f"截至9月底，仍有{troubled['count_stopped']}户企业停产" in text
    assert f"{troubled['count_unsold']}户企业未销售" in text
    gaps = ledger_sources.fiscal_gaps("2021-09")
    city_gap = next(r for r in gaps["rows"] if r["unit"] == HOME)["gap"]
    assert f"全市财力缺口达{half_up(gaps['total'], 2)}亿元，其中：市级缺口{half_up(city_gap, 2)}亿元" in text
    land = next(r for r in ledger_sources.fiscal_execution("2021-09") if r["unit"] == HOME and r["item"] == "land_revenue")
    assert (f"入库{half_up(land['actual'], 2)}亿元，占年初预算{half_up(land['budget'], 2)}亿元的"
            f"{half_up(apply(land['rate'], 'pct'), 1)}%") in text
    # every evaluation item the city has no data for (the evaluation scores it 0) is named before
    # 暂无数据, and none of them is given a rank
    from diaodu.evaluation import compute

    missing = [i["item_name"] for i in compute.evaluation("2021-09", level="city")["items"]
               if i["region_code"] == HOME and i.get("rank") is None]
    assert "省列重大项目" in missing
    said = next(s for s in re.split(r"[。；]", text) if "暂无数据，按评价办法本项不得分" in s)
    for name in missing:
        assert name in said, (name, said)
        assert not re.search(re.escape(name) + r"[^，。；]*第\d+位", text), name
    for fact in doc.facts.as_json():  # the new figures are facts with their ledger source too
        check_fact(fact, resolve, apply)
