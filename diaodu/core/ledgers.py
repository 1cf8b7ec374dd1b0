"""One definition per ledger: a :class:`LedgerSpec` declared in ``<app>/ledgers.py``, registered
when the app is ready. The importer kinds (``diaodu import --kind``), the exporter kinds
(``diaodu export <slug>``) and the API's ledger routes are all read from here, under one slug per
ledger (plural nouns, hyphens: ``deals``, ``budget-lines``); the names a ledger had before are
kept as aliases, so existing files, scripts and commands still work.

A spec also drives the generic pages (``diaodu.core.ledger_views``: list, record, create, edit,
history, export for every ledger) and the tests every ledger gets (``tests/core/test_ledger_views.py``).
This module imports nothing of Diaodu but the write path (``diaodu.core.write_path``), the default of
a spec's ``create`` and ``update``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from diaodu.core import write_path


@dataclass(frozen=True)
class LedgerSpec:
    slug: str  # one name everywhere: import/export kind, API route (plural noun, hyphens)
    label: str  # Chinese name, as the pages and messages say it
    model: type  # the record's model
    importer: type | None = None  # an ingest importer class; its ``kind`` must be the slug
    # (path, period=None, year=None) -> rows written; default: the importer's export of every record
    exporter: Callable[..., int] | None = None
    key_fields: tuple[str, ...] = ()  # the natural key a file names a record by
    parent: str | None = None  # the parent ledger's slug, for records of a parent (progress, arrivals)
    filters: tuple[str, ...] = ()  # model fields the lists (web and API) may be filtered by
    # The writes of an owned record, by the pages and the API; an app with more to do on a write
    # (a project's lists) gives its own action. Records without an owner of their own (an
    # enterprise's months, a chain's members) are written by ``write_path.save_child`` under the parent.
    create: Any = write_path.create_record  # (user, obj, *, reason, source) -> obj
    update: Any = write_path.update_record  # (user, obj, changes, *, expected_version, reason, source) -> bool
    # The pages: columns of the list, fields of the form (default: every editable field), the
    # app's own page for the ledger (a URL name), if it has one beside the generic pages.
    list_columns: tuple[str, ...] = ()
    form_fields: tuple[str, ...] = ()
    page: str = ""
    # The API (``/api/ledgers/<slug>``): only ledgers with ``api`` set have routes.
    api: bool = False

    @cached_property
    def owned(self) -> bool:
        """The record has its own owner and version (``OwnedLedger``); else it is its parent's."""
        return issubclass(self.model, write_path.OwnedLedger)

    @cached_property
    def parent_field(self) -> str | None:
        """The foreign key to the parent ledger's record (``project`` of a progress report)."""
        if self.parent is None:
            return None
        parent_model = LEDGERS[self.parent].model
        return next(f.name for f in self.model._meta.concrete_fields
                    if f.is_relation and f.related_model is parent_model)

    def children(self) -> list[LedgerSpec]:
        """The ledgers whose records belong to this one's (a project's progress reports)."""
        return [spec for spec in LEDGERS.values() if spec.parent == self.slug]

    def export(self, path, period=None, year=None) -> int:
        """Write the ledger in its import shape; the rows written."""
        if self.exporter is not None:
            return self.exporter(path, period=period, year=year)
        return self.importer.export(path)


LEDGERS: dict[str, LedgerSpec] = {}  # slug -> spec, in registration order (INSTALLED_APPS order)
ALIASES: dict[str, str] = {}  # an earlier name -> slug


def register(spec: LedgerSpec, aliases: tuple[str, ...] | list[str] = ()) -> LedgerSpec:
    """Add a ledger. A slug or alias already taken is refused; registering the same spec again
    (an app's ready() run twice) is a no-op."""
    if LEDGERS.get(spec.slug) == spec and all(ALIASES.get(a) == spec.slug for a in aliases):
        return spec
    taken = {*LEDGERS, *ALIASES}
    for name in (spec.slug, *aliases):
        if name in taken:
            raise ValueError(f"台账名称 {name} 已被使用")
    if len(set(aliases)) != len(tuple(aliases)) or spec.slug in aliases:
        raise ValueError(f"台账 {spec.slug} 的别名重复")
    kind = getattr(spec.importer, "kind", spec.slug)
    if kind != spec.slug:
        raise ValueError(f"台账 {spec.slug} 的导入类 {spec.importer.__name__} 的 kind 是 {kind}，应与 slug 相同")
    if spec.importer is None and spec.exporter is None:
        raise ValueError(f"台账 {spec.slug} 既无导入类也无导出")
    if spec.parent is not None and spec.parent not in LEDGERS:
        raise ValueError(f"台账 {spec.slug} 的上级台账 {spec.parent} 须先注册")
    LEDGERS[spec.slug] = spec
    for alias in aliases:
        ALIASES[alias] = spec.slug
    return spec


def canonical(name: str) -> str | None:
    """The slug a name (slug or alias) stands for; None if it is no ledger's."""
    if name in LEDGERS:
        return name
    return ALIASES.get(name)


def get(name: str) -> LedgerSpec:
    """The spec by slug or alias. KeyError naming the slugs if it is none."""
    slug = canonical(name)
    if slug is None:
        raise KeyError(f"未知的台账 {name}：可选 {'、'.join(LEDGERS)}")
    return LEDGERS[slug]


def aliases_of(slug: str) -> list[str]:
    return [alias for alias, target in ALIASES.items() if target == slug]


def importers() -> dict[str, type]:
    """slug -> importer class, for the ledgers that import."""
    return {slug: spec.importer for slug, spec in LEDGERS.items() if spec.importer is not None}


def api_ledgers() -> list[LedgerSpec]:
    """The ledgers the API serves, in registration order."""
    return [spec for spec in LEDGERS.values() if spec.api]
