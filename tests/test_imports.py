"""No import circles under _ext/: every import, at module level or inside a function, counts."""
from __future__ import annotations

import ast
from pathlib import Path

from support import REPO

EXT = REPO / "_ext"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of ``root`` it imports (``from pkg import name`` counts as pkg.name
    when that is a module, else as pkg)."""
    modules = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                found.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                             for alias in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import circle once, as the path that closes it (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                member = stack.pop()
                part.append(member)
                if member == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_under_ext():
    graph = import_graph(EXT)
    assert "mdx_builder.navigation" in graph and graph["mdx_builder.builder"], "graph not read"
    assert cycles(graph) == []


def test_spark_reference_uses_the_mdx_builder_package_only():
    """Its interface is the builder's public methods (anchor_id, write_page, write_file)."""
    graph = import_graph(EXT)
    internal = {(m, dep) for m, deps in graph.items() if m.startswith("spark_reference")
                for dep in deps if dep.startswith("mdx_builder.")}
    assert internal == set()


def test_a_circle_is_found(tmp_path):
    """Negative case: a relative lazy import that closes a circle, and one through a package."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .a import f\n")
    (pkg / "a.py").write_text("from .b import g\n\ndef f():\n    return g\n")
    (pkg / "b.py").write_text("def g():\n    from .a import f\n    return f\n")
    (tmp_path / "other.py").write_text("from pkg import c\n")
    (pkg / "c.py").write_text("import other\n")
    found = cycles(import_graph(tmp_path))
    assert ["pkg.a", "pkg.b"] in found
    assert ["other", "pkg.c"] in found
    (pkg / "b.py").write_text("def g():\n    return 1\n")
    (pkg / "c.py").write_text("")
    assert cycles(import_graph(tmp_path)) == []
