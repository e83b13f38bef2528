"""``{compat-table} /_data/langflow-compat.json``: the LangFlow compatibility matrix as a table
(``/_data/hive-compat.json``: the paths Spark's Hive adapter calls, and what Hive answers).

The data file is written by the live suite (tests/live/test_compat.py), never by hand: one
column per LangFlow release and setup, one row per Spark operation, each cell ``works`` or what
a reader sees instead. Above the table, one sentence names the Spark version and the LangFlow
releases (and packages) measured. Plain docutils nodes, so both builders render it.
"""
from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class CompatTable(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        rel, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(rel)
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if "spark_calls" in data:
                return self.hive(data)
            releases = data["releases"]
            operations, setups = data["operations"], data["setups"]
        except (OSError, ValueError, KeyError) as exc:
            raise self.error(f"compat-table: cannot read {self.arguments[0]}: {exc}") from None
        measured = ", ".join(f"LangFlow {r} (`{e['package']}`, reports {e['reports']})"
                             for r, e in releases.items())
        intro = self.parse_text_to_nodes(
            f"Measured by the docs' live test suite: Spark {data['spark']} against {measured}.")
        columns = [(r, s) for r in releases for s in setups]
        header = ["Operation"] + [f"LangFlow {r}, {setups[s]}" for r, s in columns]
        rows = [[label] + [releases[r]["results"][s][key] for r, s in columns]
                for key, label in operations.items()]
        return [*intro, _table(header, rows)]

    def hive(self, data: dict) -> list[nodes.Node]:
        """The Hive data: each path Spark's adapter calls and each listing path Hive serves."""
        intro = self.parse_text_to_nodes(
            f"Measured by the docs' live test suite: Spark {data['spark']}'s Hive adapter "
            f"against automagik-hive {data['hive']}. Adding Hive as a source: "
            f"{data['add_source']}.")
        rows = [["Spark calls", path, f"HTTP {code}"] for path, code in data["spark_calls"].items()]
        rows += [["Hive serves", path, f"HTTP {code}"] for path, code in data["hive_paths"].items()]
        return [*intro, _table(["Who", "Path", f"Hive {data['hive']} answers"], rows)]


def _table(header: list[str], rows: list[list[str]]) -> nodes.table:
    table = nodes.table(classes=["compat-table"])
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    head += _row(header)
    body = nodes.tbody()
    for row in rows:
        body += _row(row)
    group += head
    group += body
    return table


def _row(cells: list[str]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        para = nodes.paragraph()
        para += nodes.literal(text=cell) if cell.startswith("/") else nodes.Text(cell)  # a path
        entry += para
        row += entry
    return row


def setup(app):
    app.add_directive("compat-table", CompatTable)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
