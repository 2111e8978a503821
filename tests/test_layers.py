"""The packages import downwards only, and no module imports itself back through others (all imports counted,
also those inside functions)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("geodata", "indicators", "etl", "dashboard")

#: What each top package may import from the others.
ALLOWED_PACKAGES = {
    "geodata": {"geodata"},
    "indicators": {"indicators", "geodata"},
    "etl": {"etl", "indicators", "geodata"},
    "dashboard": {"dashboard", "etl", "indicators", "geodata"},
}
#: Layers inside etl, bottom to top: a module imports from its own layer or lower ones.
ETL_LAYERS = {
    "etl": 0,
    "etl.errors": 0,
    "etl.settings": 0,
    "etl.codes": 0,
    "etl.numbers": 0,
    "etl.reasons": 0,
    "etl.texts": 0,
    "etl.workspace": 1,
    "etl.store": 2,
    "etl.sources": 3,
    "etl.connectors": 3,
    "etl.report": 3,
    "etl.pipeline": 4,
    "etl.cli": 5,
    "etl.tools": 5,
}
#: The parts of etl the dashboard may use: reading the store and its vocabulary, never a loader.
DASHBOARD_MAY_USE = (
    "etl.errors",
    "etl.settings",
    "etl.codes",
    "etl.numbers",
    "etl.reasons",  # says a stored reject's reason in the reader's language
    "etl.store",
    "etl.workspace",
    "etl.report",  # reads the store and typesets; loads nothing
)


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_modules(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            found[_module_name(path, root)] = path
    return found


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """Project modules imported anywhere in ``path`` (``from etl import store`` counts as ``etl.store``)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [
                f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                out.add(name)
    return out


def _etl_layer(module: str) -> int:
    while module not in ETL_LAYERS:
        module = module.rpartition(".")[0]
    return ETL_LAYERS[module]


def layer_problems(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, targets in graph.items():
        top = module.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if other not in ALLOWED_PACKAGES[top] and not (module.startswith("etl.tools") and other == "dashboard"):
                problems.append(f"{module} imports {target}: {top}/ may not import {other}/")
            if top == "etl" and other == "etl" and _etl_layer(target) > _etl_layer(module):
                problems.append(f"{module} imports {target}, a higher layer of etl/")
            if top == "dashboard" and other == "etl" and not target.startswith(DASHBOARD_MAY_USE):
                problems.append(f"{module} imports {target}: the dashboard reads the store, it loads nothing")
    return sorted(problems)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def import_graph(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    modules = project_modules(root, packages)
    graph = {}
    for name, path in modules.items():
        targets = imports_of(path, modules) - {name}
        # a package's __init__ re-exporting its own modules is not a circle with them
        graph[name] = {t for t in targets if not (name and t.startswith(name + ".") and path.name == "__init__.py")}
    return graph


def test_the_project_has_no_import_circles_and_no_upward_imports():
    graph = import_graph(ROOT)
    assert len(graph) > 60
    assert cycles(graph) == []
    assert layer_problems(graph) == []


def test_the_checker_finds_a_circle_and_an_upward_import(tmp_path):
    for package, body in {
        "geodata": "from etl.errors import AtlasError\n",
        "etl": "",
        "indicators": "",
        "dashboard": "",
    }.items():
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
        (tmp_path / package / "mod.py").write_text(body)
    (tmp_path / "etl" / "errors.py").write_text("AtlasError = ValueError\n")
    (tmp_path / "etl" / "store").mkdir()
    (tmp_path / "etl" / "store" / "__init__.py").write_text("")
    (tmp_path / "etl" / "store" / "a.py").write_text("def f():\n    from etl.pipeline import b\n")
    (tmp_path / "etl" / "pipeline").mkdir()
    (tmp_path / "etl" / "pipeline" / "__init__.py").write_text("")
    (tmp_path / "etl" / "pipeline" / "b.py").write_text("from etl.store import a\n")
    graph = import_graph(tmp_path)
    assert cycles(graph) == [["etl.pipeline.b", "etl.store.a"]]
    problems = layer_problems(graph)
    assert "geodata.mod imports etl.errors: geodata/ may not import etl/" in problems
    assert "etl.store.a imports etl.pipeline.b, a higher layer of etl/" in problems


@pytest.mark.parametrize("module", ["geodata.io", "indicators.rules", "etl.store.writing"])
def test_every_module_says_what_it_is_for(module):
    path = project_modules(ROOT)[module]
    assert ast.get_docstring(ast.parse(path.read_text("utf-8")))


def test_all_modules_have_a_docstring():
    missing = [
        name
        for name, path in project_modules(ROOT).items()
        if path.read_text("utf-8").strip() and not ast.get_docstring(ast.parse(path.read_text("utf-8")))
    ]
    assert missing == []
