"""One definition per ledger: a :class:`LedgerSpec` declared in ``<app>/ledgers.py``, registered
when the app is ready. The importer kinds (``diaodu import --kind``), the exporter kinds
(``diaodu export <slug>``) and the API's ledger routes are all read from here, under one slug per
ledger (plural nouns, hyphens: ``deals``, ``budget-lines``); the names a ledger had before are
kept as aliases, so existing files, scripts and commands still work.

This module imports nothing of Diaodu: a spec refers to its model, importer and write functions,
the registry only holds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


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
    # The API (``/api/ledgers/<slug>``): only ledgers with ``api`` set have routes.
    api: bool = False
    api_filters: tuple[str, ...] = ()  # model fields the list may be filtered by
    api_create: Any = None  # (user, obj, *, source) -> obj; default: org.ledgers.create_record
    api_update: Any = None  # (user, obj, changes, *, expected_version, reason, source); default: update_record

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
