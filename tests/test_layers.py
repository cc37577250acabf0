"""The layers only point down (README, Layout): read from every module's import statements, so a
new import that points up, or closes a cycle in `graph/`, fails here naming the file and line."""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("graph", "loaders", "queries", "reports", "api", "chanjiao", "benchmarks", "tests")
# Each package (or module) and the project modules it must never import, at any depth.
FORBIDDEN = {
    "graph": ("loaders", "queries", "reports", "api", "chanjiao", "benchmarks", "tests"),
    "loaders": ("reports", "api", "chanjiao", "benchmarks", "tests"),
    "queries": ("reports", "api", "chanjiao", "benchmarks", "tests"),
    # the annual report reads through queries/ and renders; it serves neither the API nor the CLI
    "reports": ("loaders", "api", "chanjiao", "benchmarks", "tests"),
    # the API may read the settings, the configured store and the server's heap handling, never the CLI
    "api": ("chanjiao.cli", "chanjiao.commands", "chanjiao.neo4j_local", "benchmarks", "tests"),
    "chanjiao.settings": PROJECT,
    "chanjiao.runtime": PROJECT,
    "chanjiao.stores": ("loaders", "queries", "reports", "api", "chanjiao.cli", "chanjiao.commands", "chanjiao.neo4j_local"),
}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    where: str
    type_only: bool  # under `if TYPE_CHECKING:`: for annotations, never run


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, ast.Name | ast.Attribute) and ast.unparse(test).endswith("TYPE_CHECKING")


def _statements(tree: ast.AST, type_only: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, type_only
        else:
            yield from _statements(node, type_only or _type_checking(node))


def _targets(importer: str, node: ast.Import | ast.ImportFrom, package: bool) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        anchor = importer.split(".")[: len(importer.split(".")) - node.level + (1 if package else 0)]
        base = ".".join([*anchor, *([base] if base else [])])
    yield base
    yield from (f"{base}.{alias.name}" for alias in node.names if is_module(f"{base}.{alias.name}"))


def imports_of(path: Path) -> Iterator[Import]:
    importer = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node, type_only in _statements(tree):
        for imported in _targets(importer, node, path.name == "__init__.py"):
            if imported.split(".")[0] in PROJECT:
                yield Import(importer, imported, f"{path.relative_to(ROOT)}:{node.lineno}", type_only)


def project_imports() -> list[Import]:
    files = sorted(path for package in PROJECT for path in (ROOT / package).rglob("*.py"))
    return [found for path in files for found in imports_of(path)]


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


def violations(found: list[Import]) -> list[str]:
    return [
        f"{imp.where}: {imp.importer} imports {imp.imported}"
        for imp in found
        for layer, banned in FORBIDDEN.items()
        if within(imp.importer, layer) and any(within(imp.imported, other) for other in banned)
    ]


def cycle_in(found: list[Import], package: str) -> list[str] | None:
    """A cycle of run-time imports among the modules of `package`, if there is one."""
    edges: dict[str, set[str]] = {}
    for imp in found:
        if within(imp.importer, package) and within(imp.imported, package) and not imp.type_only:
            edges.setdefault(imp.importer, set()).add(imp.imported)
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


def test_the_layers_only_point_down() -> None:
    assert violations(project_imports()) == []


def test_graph_has_no_import_cycle() -> None:
    cycle = cycle_in(project_imports(), "graph")
    assert cycle is None, " imports ".join(cycle or ())


def test_the_reader_sees_every_kind_of_import(tmp_path: Path) -> None:
    """Imports inside functions and relative ones count; only `if TYPE_CHECKING:` ones are marked
    type-only (they may close a cycle, since they never run)."""
    found = [
        Import("graph.a", "graph.b", "graph/a.py:1", False),
        Import("graph.b", "graph.a", "graph/b.py:1", True),
        Import("graph.b", "chanjiao.settings", "graph/b.py:2", False),
        Import("api.app", "chanjiao.commands.serve", "api/app.py:3", False),
        Import("api.app", "chanjiao.settings", "api/app.py:4", False),
    ]
    assert violations(found) == [
        "graph/b.py:2: graph.b imports chanjiao.settings",
        "api/app.py:3: api.app imports chanjiao.commands.serve",
    ]
    assert cycle_in(found, "graph") is None
    assert cycle_in([*found, Import("graph.b", "graph.a", "graph/b.py:3", False)], "graph") in (
        ["graph.a", "graph.b", "graph.a"], ["graph.b", "graph.a", "graph.b"],
    )
    source = tmp_path / "sample.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nimport graph.model\n"
        "from graph import records\nif TYPE_CHECKING:\n    from graph.neo4j.store import Neo4jStore\n"
        "def f():\n    from chanjiao import settings\n",
        encoding="utf-8",
    )
    tree = ast.parse(source.read_text(encoding="utf-8"))
    seen = [(sorted(_targets("graph.sample", node, False)), type_only) for node, type_only in _statements(tree)]
    assert seen == [
        (["typing"], False),
        (["graph.model"], False),
        (["graph", "graph.records"], False),
        (["graph.neo4j.store"], True),
        (["chanjiao", "chanjiao.settings"], False),
    ]


@pytest.mark.parametrize(("importer", "level", "module", "package", "expected"), [
    ("graph.neo4j.store", 1, "totals", False, "graph.neo4j.totals"),
    ("graph.neo4j", 1, "store", True, "graph.neo4j.store"),
    ("graph.neo4j.cypher.reads", 2, "totals", False, "graph.neo4j.totals"),
])
def test_relative_imports_resolve_from_their_package(importer: str, level: int, module: str, package: bool, expected: str) -> None:
    node = ast.ImportFrom(module=module, names=[ast.alias("x")], level=level)
    assert next(_targets(importer, node, package)) == expected
