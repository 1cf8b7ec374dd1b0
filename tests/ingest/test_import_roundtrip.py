"""Good files import, and only once: the canonical file, the template, the wide
table (县区主要经济指标完成情况表) and targets; ``diaodu export figures`` writes
what ``diaodu import`` reads back unchanged; the installed console script
exits 0 on a good file and 1 on a bad one."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone
from openpyxl import load_workbook

from diaodu.indicators.models import Observation, Revision, Target
from tests.helpers import table_checksums
from tests.ingest import corpus

FIGURES_IN_CANONICAL = 2 * len(corpus.LONGNAN_COUNTIES) + 1


@pytest.fixture
def diaodu(monkeypatch, capsys):
    """``diaodu …`` in-process. The command closes every connection when it
    ends; inside the test's transaction that would discard it."""
    monkeypatch.setattr(connections, "close_all", lambda: None)
    return lambda *argv: corpus.run_diaodu(capsys, *argv)


def import_json(diaodu, path, *args, user="tongji") -> dict:
    outcome = diaodu("import", path, "--user", user, "--json", *args)
    assert outcome.code == 0, outcome
    return json.loads(outcome.out)


def counts(report: dict) -> tuple[int, int, int]:
    return report["created"], report["updated"], report["unchanged"]


def test_canonical_file_imports_once(tmp_path, personas, diaodu):
    path = corpus.canonical_figures(tmp_path / "figures.xlsx")

    first = import_json(diaodu, path)
    second = import_json(diaodu, path)

    assert counts(first) == (FIGURES_IN_CANONICAL, 0, 0) and first["errors"] == []
    assert counts(second) == (0, 0, FIGURES_IN_CANONICAL)
    assert Revision.objects.count() == FIGURES_IN_CANONICAL
    wudu = Observation.objects.get(region_id="621202", indicator__code="retail", year=2021, month=9)
    assert (wudu.value, wudu.growth, wudu.note, wudu.status) == (20.5, None, "仅有总量", "entered")
    assert wudu.published_revision is None


def test_publishing_import_is_idempotent_too(tmp_path, personas, diaodu):
    path = corpus.canonical_figures(tmp_path / "figures.csv")

    assert counts(import_json(diaodu, path, "--official-release", "--reason", "统计局发布")) == (FIGURES_IN_CANONICAL, 0, 0)
    assert counts(import_json(diaodu, path, "--official-release", "--reason", "统计局发布")) == (0, 0, FIGURES_IN_CANONICAL)
    assert not Observation.objects.filter(published_revision__isnull=True).exists()


def test_a_clerk_imports_their_own_county(tmp_path, personas, diaodu):
    path = corpus.figures_xlsx(tmp_path, "wudu", corpus.GOOD_ROW)

    assert counts(import_json(diaodu, path, user="wudu")) == (1, 0, 0)
    assert Revision.objects.get().entered_by == personas["wudu"]


def _english_headers(tmp):
    english = ["region_code", "region_name", "indicator", "period", "value", "growth", "note"]
    return corpus.write_xlsx(tmp / "english.xlsx", [english, corpus.GOOD_ROW])


TOLERATED = {
    # Excel turns a typed 2021-09 into a date.
    "period_as_date": lambda tmp: corpus.figures_xlsx(tmp, "date", corpus.row(period=dt.datetime(2021, 9, 1))),
    "gb18030_csv": lambda tmp: corpus.write_csv(tmp / "gbk.csv", [corpus.HEADER, corpus.GOOD_ROW],
                                                encoding="gb18030"),
    "utf8_csv_without_bom": lambda tmp: corpus.write_csv(tmp / "plain.csv", [corpus.HEADER, corpus.GOOD_ROW],
                                                         encoding="utf-8"),
    "english_headers": _english_headers,
    "separators_and_fullwidth": lambda tmp: corpus.figures_xlsx(tmp, "text", corpus.row(value="１２３.4", growth="8.5%")),
    "blank_rows_between": lambda tmp: corpus.write_xlsx(tmp / "blank.xlsx", [corpus.HEADER, [], corpus.GOOD_ROW, []]),
    # Numbers and periods as clerks type them (ingest/tabular.py parse_number, parse_period).
    "fullwidth_point": lambda tmp: corpus.figures_xlsx(tmp, "point", corpus.row(value="１２３．４", growth="８．５")),
    "period_year_month": lambda tmp: corpus.figures_xlsx(tmp, "ym", corpus.row(period="2021年9月")),
    "period_cumulative": lambda tmp: corpus.figures_xlsx(tmp, "cum", corpus.row(period="2021年1-9月")),
    "period_dot": lambda tmp: corpus.figures_xlsx(tmp, "dot", corpus.row(period="2021.09")),
    "period_slash": lambda tmp: corpus.figures_xlsx(tmp, "slash", corpus.row(period="2021/9")),
    "name_without_code": lambda tmp: corpus.figures_xlsx(tmp, "name", corpus.row(code="", name="武都区")),
    "short_name_without_code": lambda tmp: corpus.figures_xlsx(tmp, "short", corpus.row(code=None, name="武都")),
    "months_and_a_year_column": lambda tmp: corpus.write_xlsx(tmp / "year.xlsx", [
        ["单位名称", "指标代码", "年度", "期别", "累计值", "累计增速(%)"], ["武都", "fai", 2021, "1-9月", 123.4, 8.5]]),
}


def test_a_comma_between_groups_of_three_is_a_thousands_separator(tmp_path, personas, diaodu):
    path = corpus.figures_xlsx(tmp_path, "thousands", corpus.row(value="1，234.5"))
    report = import_json(diaodu, path, user="wudu")
    assert counts(report) == (1, 0, 0)
    obs = Observation.objects.get(region_id="621202", indicator__code="fai", year=2021, month=9)
    assert obs.value == 1234.5


@pytest.mark.parametrize("build", TOLERATED.values(), ids=TOLERATED.keys())
def test_forms_clerks_really_send_are_accepted(build, tmp_path, personas, diaodu):
    """The positive controls of the malformed corpus: strict, not fussy."""
    report = import_json(diaodu, build(tmp_path), user="wudu")

    assert counts(report) == (1, 0, 0)
    obs = Observation.objects.get(region_id="621202", indicator__code="fai", year=2021, month=9)
    assert (obs.value, obs.growth) == (123.4, 8.5)


def test_dry_run_writes_nothing(tmp_path, personas, diaodu):
    path = corpus.canonical_figures(tmp_path / "figures.xlsx")
    before = table_checksums()

    report = import_json(diaodu, path, "--dry-run")
    text = diaodu("import", path, "--user", "tongji", "--dry-run")

    assert counts(report) == (FIGURES_IN_CANONICAL, 0, 0) and report["dry_run"] is True
    assert text.code == 0 and "未写入" in text.out
    assert table_checksums() == before


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_changes_nothing(suffix, tmp_path, personas, diaodu):
    corpus_file = corpus.canonical_figures(tmp_path / "figures.xlsx")
    import_json(diaodu, corpus_file, "--official-release", "--reason", "统计局发布")
    exported = tmp_path / f"export{suffix}"

    outcome = diaodu("export", "figures", "--period", "2021-09", "--out", exported)
    assert outcome.code == 0, outcome
    before = table_checksums()
    report = import_json(diaodu, exported)

    assert counts(report) == (0, 0, FIGURES_IN_CANONICAL)
    assert table_checksums() == before
    assert counts(import_json(diaodu, exported, "--official-release", "--reason", "统计局发布")) == (0, 0, FIGURES_IN_CANONICAL)


def test_template_has_chinese_headers_and_dropdowns_and_imports_when_filled(tmp_path, personas, diaodu):
    path = tmp_path / "template.xlsx"
    assert diaodu("export", "template", "--out", path).code == 0

    workbook = load_workbook(path)
    sheet = workbook["数据"]
    assert [c.value for c in sheet[1]] == corpus.HEADER
    validations = sheet.data_validations.dataValidation
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in validations if v.type == "list"}
    assert set(lists) == {"A2", "B2", "C2", "D2"}
    assert all("代码表" in formula for formula in lists.values())
    assert any(v.type == "decimal" and "E2" in str(v.sqref) for v in validations)
    reference = workbook["代码表"]
    this_year = f"{timezone.localdate().year}-02"
    assert {"621202", "fai", this_year} <= {c.value for row in reference.iter_rows() for c in row}

    # A clerk fills in one row and uploads the template as it is.
    for cell, value in zip(sheet[2], corpus.GOOD_ROW, strict=False):
        cell.value = value
    workbook.save(path)
    assert counts(import_json(diaodu, path, user="wudu")) == (1, 0, 0)


def test_wide_table_imports_and_its_ranks_are_checked(tmp_path, personas, diaodu):
    path = corpus.wide_table(tmp_path / "县区主要经济指标完成情况表.xlsx")

    report = import_json(diaodu, path)

    assert counts(report) == (2 * len(corpus.LONGNAN_COUNTIES), 0, 0)
    for (code, _), (value, growth) in zip(corpus.LONGNAN_COUNTIES, corpus.WIDE_FAI, strict=True):
        obs = Observation.objects.get(region_id=code, indicator__code="fai", year=2021, month=10)
        assert (obs.value, obs.growth) == (value, growth)
    liangdang = Observation.objects.get(region_id="621228", indicator__code="retail", year=2021, month=10)
    assert (liangdang.value, liangdang.growth) == corpus.WIDE_RETAIL[-1]
    assert counts(import_json(diaodu, path)) == (0, 0, 2 * len(corpus.LONGNAN_COUNTIES))


def test_targets_file_imports(tmp_path, personas, diaodu):
    path = corpus.targets_file(tmp_path / "targets.xlsx")

    assert counts(import_json(diaodu, path)) == (3, 0, 0)
    assert counts(import_json(diaodu, path)) == (0, 0, 3)
    gdp = Target.objects.get(region_id="621202", indicator__code="gdp", year=2021)
    assert (gdp.total, gdp.growth, gdp.source, gdp.note) == (300.0, 7.0, "province", "省下达")
    kangxian = Target.objects.get(region_id="621224", indicator__code="fai", year=2021)
    assert (kangxian.total, kangxian.source) == (60.0, "city")


# --- the installed console script, against its own SQLite database -------------

def diaodu_script() -> str:
    found = Path(sys.executable).with_name("diaodu")
    return str(found) if found.exists() else shutil.which("diaodu")


CREATE_CLERK = (
    "from django.contrib.auth.models import User; from diaodu.org.models import Profile, Region;"
    "u = User.objects.create_user('wudu');"
    "Profile.objects.create(user=u, region=Region.objects.get(code='621202'), roles=['enter'])"
)


@pytest.fixture(scope="module")
def fresh_install(tmp_path_factory):
    """A migrated SQLite database in a temporary DIAODU_HOME, with one clerk."""
    home = tmp_path_factory.mktemp("diaodu_home")
    env = {**os.environ, "DIAODU_HOME": str(home), "DATABASE_URL": f"sqlite:///{home / 'x.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def run(*argv) -> subprocess.CompletedProcess:
        return subprocess.run([diaodu_script(), *map(str, argv)], env=env, cwd=home, capture_output=True,
                              text=True, timeout=120)

    for argv in (("migrate", "-v0"), ("shell", "-c", CREATE_CLERK)):
        done = run(*argv)
        assert done.returncode == 0, done.stderr
    return home, run


def test_console_script_refuses_a_bad_file_cleanly(fresh_install):
    home, run = fresh_install
    case = corpus.period_words(home)

    done = run("import", case.path, "--user", "wudu")

    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "导入失败，共 1 处问题，未写入任何数据：",
        "  工作表“数据” 第 2 行 列“D（期别）”：期别“abc”格式不对，可用的写法：2021-09、2021年9月、2021年1-9月、"
        "2021.09、2021/9、2021年前三季度，或“1-9月”另填年度列",
    ]


def test_console_script_imports_a_good_file(fresh_install):
    home, run = fresh_install
    path = corpus.figures_xlsx(home, "good", corpus.GOOD_ROW)

    done = run("import", path, "--user", "wudu", "--json")

    assert done.returncode == 0, done.stderr
    assert counts(json.loads(done.stdout)) == (1, 0, 0)
