"""Entry points the CLI, the web upload and the API share."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path

from diaodu.core import ledgers as ledger_specs
from diaodu.ingest.figures import FiguresImporter, TargetsImporter
from diaodu.ingest.problems import IngestError, Problem
from diaodu.ingest.readers import read_file
from diaodu.ingest.responsibilities import ResponsibilitiesImporter
from diaodu.ingest.tabular import ImportResult, cell_text, normalise_header, run_import

# The importers of figures, targets and 目标责任书, by kind. The ledgers' importers come from their
# LedgerSpecs (``diaodu.core.ledgers``), by slug.
FOUNDATION_IMPORTERS: dict[str, type] = {
    cls.kind: cls for cls in (FiguresImporter, TargetsImporter, ResponsibilitiesImporter)
}


def importers() -> dict[str, type]:
    """Every importer by kind: figures, targets, responsibilities, then each ledger's by slug
    (the order a file's header is matched in)."""
    return {**FOUNDATION_IMPORTERS, **ledger_specs.importers()}


def canonical_kind(kind: str) -> str | None:
    """The kind a name stands for: an importer's kind, ``wide``, or a ledger's slug for one of its
    earlier names (``investment`` → ``deals``); None if it is none of them."""
    if kind == "wide" or kind in FOUNDATION_IMPORTERS:
        return kind
    return ledger_specs.canonical(kind)


def known_kinds() -> list[str]:
    """The kinds ``--kind`` takes, as messages list them (earlier names are accepted too)."""
    return [*importers(), "wide"]


def detect_kind(sheets) -> str:
    """Which importer a file is for, from the header of its first non-empty sheet."""
    from diaodu.ingest.wide import looks_wide

    for sheet in sheets:
        for row in sheet.iter_rows():
            if not any(cell_text(c) for c in row):
                continue
            for kind, cls in importers().items():
                if cls.matches(row):
                    return kind
            closest = _closest_kind(row)
            if closest:
                return closest
            if looks_wide(sheet):
                return "wide"
            return "unknown"
    return "empty"


def _closest_kind(header) -> str | None:
    """The importer a header was meant for when a required column is missing:
    the one recognising the most of its columns (three at least, no tie), so the
    import says which column is missing rather than that the file is unknown."""
    counts = []
    for kind, cls in importers().items():
        names = cls.header_map()
        counts.append((len({names.get(normalise_header(c)) for c in header if cell_text(c)} - {None}), kind))
    counts.sort(reverse=True)
    if counts and counts[0][0] >= 3 and (len(counts) == 1 or counts[0][0] > counts[1][0]):
        return counts[0][1]
    return None


@contextmanager
def cyclic_gc_paused():
    """The cyclic garbage collector off for the block. An import allocates a few
    objects per cell and frees almost none until it ends, so the collector runs
    over and over and finds nothing: a fifth of a 100,000-row import's time
    (bench/import_bench.py). Memory is still freed by reference counting; the
    few cycles made meanwhile are collected once the collector is back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_file(path: str | Path, user, **options) -> ImportResult:
    """Import one file of figures, targets or a wide table. Raises IngestError.

    ``publish`` enters and publishes at once: under four eyes only an
    ``official_release`` (the 统计局 loading the published statistics, with
    ``reason``) may (``indicators.actions.check_direct_publish``). Warnings of the
    validation rules stop the import unless ``accept_warnings``."""
    with cyclic_gc_paused():
        return _import_file(Path(path), user, **options)


def _import_file(path: Path, user, *, kind: str | None = None, dry_run: bool = False,
                 publish: bool = False, reason: str = "", source: str = "import",
                 period: str | None = None, official_release: bool = False,
                 accept_warnings: bool = False) -> ImportResult:
    if publish:
        from diaodu.indicators.actions import check_direct_publish

        check_direct_publish(user, official_release, reason)  # before the file is read
    if kind:
        name, kind = kind, canonical_kind(kind)
        if kind is None:
            raise IngestError([Problem(path.name, None, None,
                                       f"未知的文件类型 {name}：可选 {'、'.join(known_kinds())}")])
    sheets = read_file(path)
    kind = kind or detect_kind(sheets)
    if kind == "empty":
        raise IngestError([Problem(sheets[0].name if sheets else path.name, None, None, "文件没有任何数据")])
    if kind == "unknown":
        first = sheets[0].name
        raise IngestError([Problem(first, 1, None,
                                   "无法识别的表格格式：表头应为 区划代码、指标代码、期别、累计值、累计增速… "
                                   "（可下载导入模板），或县区主要经济指标完成情况表")])
    if kind == "wide":
        from diaodu.ingest.wide import import_wide

        return import_wide(sheets, user, dry_run=dry_run, publish=publish, reason=reason, source=source,
                           period=period, official_release=official_release, accept_warnings=accept_warnings)
    options = {"accept_warnings": accept_warnings} if kind == "figures" else {}
    if official_release:
        options["official_release"] = True
    importer = importers()[kind](user, publish=publish, reason=reason, source=source, **options)
    return run_import(path, importer, dry_run=dry_run, sheets=sheets)
