"""Promise 3: bad input gets a clear error and changes nothing.

Every file of the corpus (``corpus.py``) goes through the real ``diaodu``
command in-process; each must exit 1 with a Chinese message naming the sheet,
and where it means something the row and column, print no traceback, and
leave every table exactly as it was (a checksum of each table's rows).
"""

from __future__ import annotations

import json

import pytest
from django.db import connections

from diaodu.audit.models import ChangeRecord
from diaodu.indicators import actions
from diaodu.indicators.models import Observation, Target
from tests.helpers import table_checksums
from tests.ingest import corpus


@pytest.fixture
def diaodu(monkeypatch, capsys):
    """``diaodu …`` in-process. The command closes every connection when it
    ends; inside the test's transaction that would discard it."""
    monkeypatch.setattr(connections, "close_all", lambda: None)
    return lambda *argv: corpus.run_diaodu(capsys, *argv)


@pytest.fixture
def seeded(personas):
    """Published figures and a target already in the database, so that
    "unchanged" means something."""
    tongji = personas["tongji"]
    actions.submit_figures(tongji, [
        actions.FigureInput("621202", "fai", 2021, 9, 100.0, 8.0, ""),
        actions.FigureInput("621224", "fai", 2021, 9, 45.0, 4.5, ""),
        actions.FigureInput("621202", "retail", 2021, 9, 30.0, 6.0, ""),
    ], publish=True, source="test", reason="种子数据", official_release=True)
    actions.submit_figures(personas["wudu"], [actions.FigureInput("621202", "fai", 2021, 8, 90.0, 7.0, "")],
                           source="test", reason="待审核")
    actions.set_targets(tongji, [actions.TargetInput("621202", "fai", 2021, None, 10.0, "city")],
                        source="test", reason="种子目标")
    return personas


def assert_refused(outcome: corpus.Outcome, case: corpus.Case) -> None:
    """Exit 1; a Chinese message naming sheet/row/column; no traceback."""
    assert outcome.code == 1, outcome
    assert "Traceback" not in outcome.out + outcome.err
    assert outcome.out == ""
    assert outcome.err.startswith("导入失败"), outcome.err
    assert "未写入任何数据" in outcome.err.splitlines()[0]
    where = f"工作表“{case.sheet}”" + (f" 第 {case.row} 行" if case.row else "")
    problems = [line.strip() for line in outcome.err.splitlines()[1:]]
    matching = [
        line for line in problems
        if line.startswith(where) and case.says in line and (case.column is None or f"列“{case.column}" in line)
    ]
    assert matching, f"expected {where} 列“{case.column}” …{case.says}… in:\n{outcome.err}"
    assert len(outcome.err) < 5000, "a message must not echo the file back"


@pytest.mark.parametrize("build", corpus.MALFORMED, ids=lambda build: build.__name__)
def test_malformed_file_is_refused_and_changes_nothing(build, tmp_path, seeded, diaodu):
    case = build(tmp_path)
    before = table_checksums()

    outcome = diaodu("import", case.path, "--user", case.user, *case.args)

    assert_refused(outcome, case)
    assert table_checksums() == before


def test_the_corpus_is_large_enough():
    assert len(corpus.MALFORMED) + 2 >= 25  # plus the two 50 MB files below


@pytest.mark.slow
@pytest.mark.parametrize("build", [corpus.huge_corrupt_xlsx, corpus.huge_csv_with_giant_cell],
                         ids=lambda build: build.__name__)
def test_fifty_megabyte_file_is_refused_and_changes_nothing(build, tmp_path, seeded, diaodu):
    case = build(tmp_path)
    assert case.path.stat().st_size >= corpus.FIFTY_MB
    before = table_checksums()

    outcome = diaodu("import", case.path, "--user", case.user)

    assert_refused(outcome, case)
    assert table_checksums() == before


def test_every_problem_is_reported_at_once(tmp_path, seeded, diaodu):
    path = corpus.figures_xlsx(
        tmp_path, "three_problems",
        corpus.row(value="abc"),
        corpus.GOOD_ROW,
        corpus.row(indicator="retail", period="2021-13"),
        corpus.row(code="999999", indicator="retail_x"),
    )
    before = table_checksums()

    outcome = diaodu("import", path, "--user", "tongji")

    assert outcome.code == 1
    assert "共 4 处问题" in outcome.err
    for fragment in ("第 2 行 列“E（累计值）”", "第 4 行 列“D（期别）”", "第 5 行 列“A（区划代码）”",
                     "第 5 行 列“C（指标代码）”"):
        assert fragment in outcome.err
    assert table_checksums() == before


def test_json_reports_errors_in_one_shape(tmp_path, seeded, diaodu):
    path = corpus.figures_xlsx(tmp_path, "json", corpus.GOOD_ROW, corpus.row(indicator="retail", value=-3))
    before = table_checksums()

    outcome = diaodu("import", path, "--user", "tongji", "--json")

    assert outcome.code == 1
    assert outcome.err == ""
    report = json.loads(outcome.out)
    assert report == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "errors": [{
            "sheet": "数据",
            "row": 3,
            "column": "E（累计值）",
            "message": "累计值 -3 为负数",
            "text": "工作表“数据” 第 3 行 列“E（累计值）”：累计值 -3 为负数",
        }],
    }
    assert table_checksums() == before


def test_json_reports_a_file_level_problem(tmp_path, seeded, diaodu):
    case = corpus.text_renamed_xlsx(tmp_path)

    outcome = diaodu("import", case.path, "--user", "tongji", "--json")

    assert outcome.code == 1
    [error] = json.loads(outcome.out)["errors"]
    assert error["sheet"] == case.path.name and error["row"] is None and error["column"] is None


def test_growth_beyond_100_with_a_note_imports(tmp_path, seeded, diaodu):
    """The positive control of growth_beyond_100_without_note: a note explains it."""
    path = corpus.figures_xlsx(tmp_path, "growth_note", corpus.row(growth=156.0, note="重大项目集中投产"))
    before = table_checksums()

    # Implausible all the same (合理性审核): refused until the warnings are confirmed.
    refused = diaodu("import", path, "--user", "tongji", "--json")
    assert refused.code == 1 and table_checksums() == before
    messages = [e["message"] for e in json.loads(refused.out)["errors"]]
    assert any("累计增速 156% 超出 ±50%" in m for m in messages), messages
    assert any("较1-8月的 7% 变动 149.0 个百分点" in m for m in messages), messages

    outcome = diaodu("import", path, "--user", "tongji", "--json", "--accept-warnings")

    assert outcome.code == 0, outcome
    report = json.loads(outcome.out)
    assert report["updated"] == 1 and len(report["warnings"]) == 2
    record = ChangeRecord.objects.filter(object_type="indicators.observation").latest("id")
    assert len(record.after["accepted_warnings"]) == 2 and "已确认2条合理性警告" in record.reason
    obs = Observation.objects.get(region_id="621202", indicator__code="fai", year=2021, month=9)
    assert (obs.value, obs.growth, obs.note, obs.status) == (123.4, 156.0, "重大项目集中投产", "entered")
    assert (obs.published_value, obs.published_growth) == (100.0, 8.0)  # the published revision stands


def test_a_clerk_cannot_import_into_another_county_even_with_good_rows_first(tmp_path, seeded, diaodu):
    """Row 2 (武都) is fine for the 武都 clerk; row 3 (康县) is not: nothing is written."""
    case = corpus.out_of_scope_region(tmp_path)

    outcome = diaodu("import", case.path, "--user", "wudu")

    assert outcome.code == 1
    assert Observation.objects.get(region_id="621202", indicator__code="fai", year=2021, month=9).value == 100.0


def test_publishing_without_the_approver_role_is_refused(tmp_path, seeded, diaodu):
    path = corpus.figures_xlsx(tmp_path, "publish", corpus.GOOD_ROW)
    before = table_checksums()

    outcome = diaodu("import", path, "--user", "wudu", "--publish")

    assert outcome.code == 1
    assert "无权直接发布" in outcome.err
    assert "Traceback" not in outcome.err
    assert table_checksums() == before


def test_unknown_user_is_refused(tmp_path, seeded, diaodu):
    path = corpus.figures_xlsx(tmp_path, "nobody", corpus.GOOD_ROW)
    before = table_checksums()

    outcome = diaodu("import", path, "--user", "nobody")

    assert outcome.code == 1
    assert "用户“nobody”不存在" in outcome.err
    assert table_checksums() == before


def test_invalid_targets_leave_existing_targets(tmp_path, seeded, diaodu):
    case = corpus.targets_invalid_source(tmp_path)

    diaodu("import", case.path, "--user", "tongji")

    target = Target.objects.get(region_id="621202", indicator__code="fai", year=2021)
    assert (target.total, target.growth, target.source) == (None, 10.0, "city")
