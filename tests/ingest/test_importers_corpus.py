"""Must show: a bad-input corpus across every importer — 0 partial writes.

The figures/targets/wide cases live in ``tests/ingest/corpus.py`` (run by
``tests/ingest/test_import_malformed.py``); this module adds the targets
and every ledger importer (``tests/ingest/ledger_corpus.py``). Every file goes
through the real ``diaodu import`` in-process over the ledgers' seeds (imported once for the
module; so each file also updates an existing record before its bad row), must exit 1
with a Chinese message naming the sheet (and row/column where it means
something), print no traceback, and leave every table's checksum unchanged.

Every importer of ``ingest.service.importers()`` must have cases here: a new importer
without any fails ``test_every_importer_has_a_corpus``.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import pytest
from django.db import connections

from diaodu.ingest.service import importers
from diaodu.org.models import Role
from tests.helpers import check_test_database, empty_demo, make_personas, make_user, table_checksums
from tests.ingest import corpus, ledger_corpus
from tests.ingest.ledger_corpus import CASES, LEDGERS
from tests.ingest.test_import_malformed import assert_refused

MIN_CASES_PER_KIND = 3


def foundation_kind(build) -> str:
    """Which importer a case of the foundation corpus is for (file-level cases,
    such as a legacy .xls, count for figures: that is what they pretend to be)."""
    name = build.__name__
    if name.startswith("wide_"):
        return "wide"
    if name.startswith("targets_"):
        return "targets"
    return "figures"


def corpus_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for build in [*corpus.MALFORMED, corpus.huge_corrupt_xlsx, corpus.huge_csv_with_giant_cell]:
        kind = foundation_kind(build)
        counts[kind] = counts.get(kind, 0) + 1
    for case in CASES:
        counts[case.kind] = counts.get(case.kind, 0) + 1
    return counts


@pytest.fixture
def diaodu(monkeypatch, capsys):
    """``diaodu …`` in-process; the command must not close the test's connection."""
    monkeypatch.setattr(connections, "close_all", lambda: None)
    return lambda *argv: corpus.run_diaodu(capsys, *argv)


def run_quietly(*argv) -> corpus.Outcome:
    """``diaodu …`` in-process where no capsys is at hand (a module's fixture)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = corpus.exit_code(*argv)
    return corpus.Outcome(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas, a clerk of the 工信局 (which leads the chains), and every ledger's seed file
    imported through the command (parents first), committed once for the module: each test's own
    imports roll back to it. The database is emptied back to the shipped data afterwards."""
    tmp = tmp_path_factory.mktemp("seeds")
    with django_db_blocker.unblock():
        check_test_database()
        make_personas()
        make_user("gongxin", "gxj", [Role.ENTER])
        try:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(connections, "close_all", lambda: None)
                done: set = set()
                for kind in sorted(LEDGERS):
                    seed(kind, tmp, done)
            yield
        finally:
            empty_demo()


def seed(kind: str, tmp_path, done: set) -> None:
    """Import a ledger's seed file (and first its parents') through the command."""
    if kind in done:
        return
    spec = LEDGERS[kind]
    for parent in spec.needs:
        seed(parent, tmp_path, done)
    user = "tongji" if kind == "targets" else "admin"
    outcome = run_quietly("import", ledger_corpus.seed_file(tmp_path, spec), "--user", user, "--kind", kind,
                          "--reason", "种子数据")
    assert outcome.code == 0, outcome
    done.add(kind)


def test_every_importer_has_a_corpus(capsys):
    counts = corpus_counts()
    kinds = [*importers(), "wide"]
    missing = {kind: counts.get(kind, 0) for kind in kinds if counts.get(kind, 0) < MIN_CASES_PER_KIND}
    assert not missing, f"importers without enough malformed files: {missing}"
    assert set(counts) <= set(kinds), f"cases of unknown importers: {set(counts) - set(kinds)}"
    total = sum(counts.values())
    assert total >= 60
    with capsys.disabled():
        print(f"\nbad-input corpus: {total} files across {len(kinds)} importers — "
              + ", ".join(f"{kind} {counts[kind]}" for kind in kinds)
              + f" (foundation corpus {len(corpus.MALFORMED) + 2}, ledger corpus {len(CASES)})")


@pytest.mark.parametrize("kind", sorted(LEDGERS))
def test_valid_rows_of_every_ledger_import(kind, tmp_path, seeded, db, diaodu):
    """The positive control: over the seeds, the two valid rows every malformed
    file starts with import (one update, one new record)."""
    spec = LEDGERS[kind]
    before = table_checksums()
    path = ledger_corpus.ledger_file(tmp_path, spec, "valid", spec.update, spec.new)

    outcome = diaodu("import", path, "--user", spec.user)

    assert outcome.code == 0, outcome
    assert "新增 1" in outcome.out and "更新 1" in outcome.out, outcome.out
    assert table_checksums() != before


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_malformed_ledger_file_is_refused_and_changes_nothing(case, tmp_path, seeded, db, diaodu):
    bad = case.build(tmp_path)
    before = table_checksums()

    outcome = diaodu("import", bad.path, "--user", bad.user, *bad.args)

    assert_refused(outcome, bad)
    assert table_checksums() == before
