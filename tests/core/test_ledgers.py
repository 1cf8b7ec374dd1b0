"""The ledger registry (``diaodu.core.ledgers``): one LedgerSpec per ledger, one slug everywhere.

Every registered spec is checked here, so a new ledger gets these tests for free: its names are
unique, its importer and exporter are reachable by slug and by every earlier name, an export
re-imports unchanged, and the API serves exactly the specs with ``api`` set.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from diaodu.core import ledgers
from diaodu.core.ledgers import ALIASES, LEDGERS, LedgerSpec
from diaodu.ingest.readers import read_file
from diaodu.ingest.service import canonical_kind, detect_kind, import_file, importers
from tests.helpers import table_checksums
from tests.ingest import ledger_corpus

SLUG = re.compile(r"^[a-z]+(-[a-z]+)*$")
SPECS = list(LEDGERS.values())


def test_the_ledgers_and_their_earlier_names():
    assert list(LEDGERS) == [
        "projects", "projects-progress", "reserve-projects", "infra-projects", "infra-milestones", "deals",
        "deal-arrivals", "enterprises", "enterprise-months", "budget-lines", "land-parcels", "special-bonds",
        "fiscal-gap", "chains", "chain-members", "parks", "manual-scores",
    ]
    assert ALIASES == {
        "project-progress": "projects-progress", "investment": "deals", "investment-arrivals": "deal-arrivals",
        "enterprise_months": "enterprise-months", "fiscal": "budget-lines", "land_parcels": "land-parcels",
        "special_bonds": "special-bonds", "fiscal_gap": "fiscal-gap", "chain_members": "chain-members",
    }


@pytest.mark.parametrize("spec", SPECS, ids=[s.slug for s in SPECS])
def test_every_spec_is_well_formed(spec):
    assert SLUG.match(spec.slug), f"{spec.slug}: a slug is lower-case words joined by hyphens"
    assert spec.label and not spec.label.isascii(), "the label is Chinese"
    assert spec.importer is not None and spec.importer.kind == spec.slug
    assert spec.key_fields, "a file names a record by its key"
    for name in spec.key_fields:
        spec.model._meta.get_field(name)  # a field of the record
    if spec.parent is not None:
        assert list(LEDGERS).index(spec.parent) < list(LEDGERS).index(spec.slug)
        assert any(f.related_model is LEDGERS[spec.parent].model for f in spec.model._meta.concrete_fields
                   if f.is_relation), "a child record points at its parent's model"
    for name in spec.filters:
        spec.model._meta.get_field(name)


def test_names_are_unique_and_no_alias_shadows_a_slug():
    assert not set(ALIASES) & set(LEDGERS)
    assert set(ALIASES.values()) <= set(LEDGERS)
    # the foundation importers' kinds and the ledgers' names do not meet either
    assert not {"figures", "targets", "responsibilities", "wide", "template"} & {*LEDGERS, *ALIASES}
    assert len(importers()) == len(set(importers().values()))


def test_get_and_canonical_take_a_slug_or_an_alias():
    assert ledgers.get("deals") is ledgers.get("investment") is LEDGERS["deals"]
    assert ledgers.canonical("fiscal") == "budget-lines" and ledgers.canonical("budget-lines") == "budget-lines"
    assert ledgers.canonical("nothing") is None
    with pytest.raises(KeyError, match="deals"):
        ledgers.get("nothing")
    assert canonical_kind("investment-arrivals") == "deal-arrivals"
    assert canonical_kind("figures") == "figures" and canonical_kind("wide") == "wide"
    assert ledgers.aliases_of("deals") == ["investment"] and ledgers.aliases_of("projects") == []


def test_register_refuses_a_name_taken(monkeypatch):
    monkeypatch.setattr(ledgers, "LEDGERS", dict(LEDGERS))
    monkeypatch.setattr(ledgers, "ALIASES", dict(ALIASES))
    deals = LEDGERS["deals"]
    assert ledgers.register(deals, aliases=("investment",)) is deals  # an app's ready() run twice
    with pytest.raises(ValueError, match="已被使用"):
        ledgers.register(LedgerSpec("investment", "重名", deals.model, exporter=deals.export))
    with pytest.raises(ValueError, match="已被使用"):
        ledgers.register(LedgerSpec("deals-again", "重名", deals.model, exporter=deals.export), aliases=("fiscal",))
    with pytest.raises(ValueError, match="kind"):
        ledgers.register(LedgerSpec("other-deals", "招商", deals.model, deals.importer))
    with pytest.raises(ValueError, match="上级台账"):
        ledgers.register(LedgerSpec("orphans", "孤儿", deals.model, exporter=deals.export, parent="nowhere"))


@pytest.fixture
def seeded(personas, tmp_path):
    """Every ledger holding records: the bad-input corpus's seed file of each, imported in
    registration order (a parent before its children). That corpus must cover every importer
    (tests/ingest), so a new ledger brings its seed with it."""
    for spec in SPECS:
        seed = ledger_corpus.seed_file(tmp_path, ledger_corpus.LEDGERS[spec.slug])
        import_file(seed, personas["admin"], reason="种子数据")
    return personas


def _rows(path) -> list[tuple]:
    return [tuple(row) for row in load_workbook(path).active.iter_rows(values_only=True)]


def test_every_ledger_round_trips_by_slug_and_by_alias(seeded, tmp_path):
    admin = seeded["admin"]
    for spec in SPECS:
        assert spec.model.objects.exists(), f"{spec.slug}: no records to round-trip"
        out = tmp_path / f"{spec.slug}.xlsx"
        call_command("export", spec.slug, "--out", str(out), verbosity=0)
        assert detect_kind(read_file(out)) == spec.slug
        before = table_checksums()
        result = import_file(out, admin)
        assert result.created == result.updated == 0 and result.unchanged > 0, spec.slug
        assert table_checksums() == before, spec.slug
        for alias in ledgers.aliases_of(spec.slug):
            again = tmp_path / f"{alias}.xlsx"
            call_command("export", alias, "--out", str(again), verbosity=0)
            assert _rows(again) == _rows(out), alias
            result = import_file(again, admin, kind=alias, dry_run=True)
            assert result.created == result.updated == 0 and result.unchanged > 0, alias
    # the command line takes the earlier name too
    call_command("import", str(tmp_path / "investment.xlsx"), "--kind", "investment", "--user", "admin",
                 "--dry-run", verbosity=0)
    assert table_checksums() == before


def test_unknown_kinds_list_the_slugs(personas, tmp_path, capsys):
    with pytest.raises(CommandError, match="budget-lines") as caught:
        call_command("export", "nothing", "--out", str(tmp_path / "x.xlsx"))
    assert "fiscal、" not in str(caught.value)  # the slugs, not the earlier names
    with pytest.raises(CommandError, match="deal-arrivals"):
        call_command("import", str(tmp_path / "x.xlsx"), "--kind", "nothing", "--user", "admin")
    with pytest.raises(SystemExit):
        call_command("export", "--help")
    assert "chain-members" in capsys.readouterr().out


def test_the_api_serves_exactly_the_api_ledgers(client, personas):
    from diaodu.api import urls

    served = {p.name for p in urls.urlpatterns if str(p.pattern).startswith("ledgers/") and p.name}
    api = [spec.slug for spec in ledgers.api_ledgers()]
    assert api == ["projects", "deals", "enterprises", "budget-lines", "chains", "parks"]
    assert served == {*api, *(f"{slug}_detail" for slug in api)}
    client.force_login(personas["admin"])
    paths = {p for p in client.get("/api/schema").json()["paths"] if p.startswith("/api/ledgers/")}
    assert paths == {*(f"/api/ledgers/{s}" for s in api), *(f"/api/ledgers/{s}/{{id}}" for s in api)}
    # an earlier name answers 308 (method and body kept) to the slug's route
    response = client.get("/api/ledgers/investment?limit=1")
    assert response.status_code == 308 and response["Location"] == reverse("api:deals") + "?limit=1"
    response = client.patch("/api/ledgers/fiscal/7", "{}", content_type="application/json")
    assert response.status_code == 308 and response["Location"] == reverse("api:budget-lines_detail", args=[7])


def test_the_readme_names_every_slug():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `diaodu export <ledger>"))
    assert [slug for slug in LEDGERS if f"`{slug}`" not in row] == []
