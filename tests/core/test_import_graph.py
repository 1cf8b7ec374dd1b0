"""The import graph of diaodu/ (every import, also those inside functions): no import cycles, and
domain apps do not import each other beyond today's known list, which may only shrink.

``core`` is the shared layer: every app may import it, and it imports only the foundations (org,
audit, engine, indicators, ingest). Edges into ``core`` are therefore left out of the package-level
cycle check; a real cycle through it would still show at module level, which is checked as is.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import diaodu

ROOT = Path(diaodu.__file__).resolve().parent
FOUNDATIONS = {"core", "org", "audit", "engine", "indicators", "ingest"}
# The layers above the domain apps (DESIGN.md's data flow): pages, documents and the API compose
# what the ledgers and the engine hold, so they read the domain apps; no domain app reads them.
COMPOSERS = {"api", "briefings", "dashboard"}

# None left: org ⇄ audit went when the ledger write path moved to core and adduser to accounts.
KNOWN_PACKAGE_CYCLES: set[frozenset[str]] = set()
KNOWN_MODULE_CYCLES: set[frozenset[str]] = set()
# Domain app → other domain app imports today (src, dst); may only shrink.
KNOWN_CROSS_DOMAIN = {
    ("accounts", "demo"),
    ("industry", "enterprises"),
    ("industry", "supervision"),  # 园区 overdue days count from the 督查 clock; the clock belongs in core
    ("supervision", "demo"),  # the extractor's fallback without a database reads the demo's city
    ("projects", "investment"),  # projects' county table shows investment's 资金到位率 and 签约项目开工率
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.with_suffix("").relative_to(ROOT).parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(("diaodu", *parts))] = path
    return out


def _module_graph() -> dict[str, set[str]]:
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*up, base] if base else up)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            else:
                continue
            for target in targets:
                found = resolve(target) if target.startswith("diaodu.") else None
                if found and found != name:
                    edges[name].add(found)
    return edges


def _cycles(edges: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()
    nodes = set(edges) | {n for targets in edges.values() for n in targets}
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.add(frozenset(component))
    return found


def _package(module: str) -> str:
    """The app a module belongs to; "" for the site shell's own modules (settings, urls, cli …)."""
    name = module.split(".")[1] if module.count(".") else ""
    return name if (ROOT / name).is_dir() else ""


def _package_graph() -> dict[str, set[str]]:
    packages: dict[str, set[str]] = defaultdict(set)
    for source, targets in _module_graph().items():
        for target in targets:
            a, b = _package(source), _package(target)
            if a and b and a != b:
                packages[a].add(b)
    return packages


def test_no_new_module_import_cycles():
    assert _cycles(_module_graph()) <= KNOWN_MODULE_CYCLES


def test_no_new_package_import_cycles():
    without_core = {a: {b for b in targets if b != "core"} for a, targets in _package_graph().items()}
    assert _cycles(without_core) <= KNOWN_PACKAGE_CYCLES


def test_core_imports_only_foundations():
    assert _package_graph().get("core", set()) <= FOUNDATIONS - {"core"}


def test_domain_apps_import_no_new_domain_app():
    cross = {(a, b) for a, targets in _package_graph().items() for b in targets
             if a not in FOUNDATIONS | COMPOSERS and b not in FOUNDATIONS}
    assert cross <= KNOWN_CROSS_DOMAIN, sorted(cross - KNOWN_CROSS_DOMAIN)


def test_the_checker_sees_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {frozenset({"a", "b", "c"})}
