"""The one table writer (diaodu.core.tables): text a spreadsheet would take for a formula is written
as text in .xlsx and behind an apostrophe in .csv, and imports back unchanged."""

from __future__ import annotations

import csv
import json

import pytest
from django.db import connections
from openpyxl import load_workbook

from diaodu.audit import exports as audit_exports
from diaodu.briefings.doc import Cell, Column, Table
from diaodu.briefings.xlsx import render
from diaodu.core import tables
from diaodu.ingest.service import import_file
from diaodu.projects import importers
from diaodu.projects.models import Project
from tests.helpers import table_checksums
from tests.ingest import corpus
from tests.projects.conftest import make_project

HOSTILE = ['=HYPERLINK("http://example.com","点我")', "+86 939 1234567", "-暂无-", "@张三", "=1+1"]


def _formulas(path) -> list[str]:
    book = load_workbook(path)
    return [f"{ws.title}!{c.coordinate}" for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_escaping_rules_round_trip():
    for text in [*HOSTILE, "\t缩进", "\r回车", "普通文字", "-3.5", "+12%", "", "'引号开头"]:
        assert tables.unescape(tables.csv_value(text)) == text
    assert tables.csv_value("=1+1") == "'=1+1"
    assert tables.csv_value("-3.5") == "-3.5"  # a number is no formula: written as it is
    assert tables.csv_value(None) == ""
    assert tables.unescape("'单引号") == "'单引号"  # only the escaping apostrophe is removed


def test_xlsx_cells_are_text_never_formulas(tmp_path):
    path = tmp_path / "t.xlsx"
    rows = [[text, 1.5] for text in [*HOSTILE, "#N/A"]]
    assert tables.write_table(path, ["名称", "数值"], rows, "表") == len(rows)
    assert _formulas(path) == []
    sheet = load_workbook(path)["表"]
    assert [c.value for c in sheet["A"][1:]] == [*HOSTILE, "#N/A"]
    assert all(c.data_type == "s" for c in sheet["A"][1:])
    assert sheet["A2"].quotePrefix and [c.value for c in sheet["B"][1:]] == [1.5] * len(rows)


@pytest.fixture
def hostile_projects(personas):
    fgw = personas["fgw"]
    for i, text in enumerate(HOSTILE):
        make_project(fgw, f"P-ESC-{i}", "621202", name=text, leader=text[::-1], obstacle_note=text)
    return fgw


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_ledger_with_formula_like_text_round_trips(suffix, hostile_projects, tmp_path):
    path = tmp_path / f"projects{suffix}"
    assert importers.export_projects(path) == len(HOSTILE)
    if suffix == ".xlsx":
        assert _formulas(path) == []
    else:
        text = path.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK(" in text and "'@张三" in text and "'-暂无-" in text
    before = {k: v for k, v in table_checksums().items() if k != "django_session"}
    result = import_file(path, hostile_projects)
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(HOSTILE))
    assert {k: v for k, v in table_checksums().items() if k != "django_session"} == before
    assert sorted(Project.objects.values_list("name", flat=True)) == sorted(HOSTILE)


def test_export_figures_csv_escapes_notes_and_reimports_unchanged(tmp_path, personas, monkeypatch, capsys):
    monkeypatch.setattr(connections, "close_all", lambda: None)  # else the command ends the test's transaction
    rows = [corpus.row(code=code, name=name, note=HOSTILE[i % len(HOSTILE)])
            for i, (code, name) in enumerate(corpus.LONGNAN_COUNTIES)]
    source = corpus.write_csv(tmp_path / "in.csv", [corpus.HEADER, *rows])  # a clerk's file, no escaping
    assert corpus.run_diaodu(capsys, "import", source, "--user", "tongji", "--official-release",
                             "--reason", "统计局正式发布").code == 0
    out = tmp_path / "figures.csv"
    assert corpus.run_diaodu(capsys, "export", "figures", "--out", out).code == 0
    with open(out, encoding="utf-8-sig", newline="") as handle:
        notes = [r[6] for r in csv.reader(handle)][1:]
    assert sorted(set(notes)) == sorted("'" + t for t in HOSTILE)
    before = table_checksums()
    report = corpus.run_diaodu(capsys, "import", out, "--user", "tongji", "--json")
    assert report.code == 0 and json.loads(report.out)["unchanged"] == len(rows)
    assert table_checksums() == before


def test_audit_and_briefing_workbooks_hold_no_formula(tmp_path, hostile_projects):
    path = tmp_path / "audit.xlsx"
    audit_exports.export(path)
    assert _formulas(path) == []
    assert any(str(c.value).startswith("=") for row in load_workbook(path)["变更记录"].iter_rows() for c in row)
    table = Table(title="=1+1", columns=[Column("=名称")], rows=[[Cell("@张三", value="=1+1")]], note="-注")
    path.write_bytes(render([table]))
    assert _formulas(path) == []


def test_import_template_keeps_catalogue_names_as_text(tmp_path, db):
    from diaodu.ingest.exports import write_template
    from diaodu.org.models import Region

    Region.objects.filter(code="621202").update(name="=HYPERLINK(\"http://example.com\",\"武都区\")")
    path = tmp_path / "template.xlsx"
    write_template(path)
    assert _formulas(path) == []
    names = [c.value for c in load_workbook(path)["代码表"]["B"]]
    assert "=HYPERLINK(\"http://example.com\",\"武都区\")" in names
