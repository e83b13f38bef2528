"""``{compat-table} /_data/langflow-compat.json``: the LangFlow compatibility matrix as a table
(``/_data/hive-compat.json``: the paths Spark's Hive adapter calls, and what Hive answers).

The data file is written by the live suite (tests/live/test_compat.py), never by hand: one
table per LangFlow release (named with the package installed and the version it reports), one
column per setup, one row per Spark operation, each cell ``works`` or what a reader sees
instead. Plain docutils nodes, so both builders render it.
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
        out = self.parse_text_to_nodes(
            f"Measured with Spark {data['spark']} on a running LangFlow of each release, one table "
            "per release.")
        for release, entry in releases.items():
            out += self.parse_text_to_nodes(
                f"**LangFlow {release}** (package `{entry['package']}`, which reports version "
                f"{entry['reports']}):")
            header = ["Operation"] + [setups[s] for s in entry["results"]]
            rows = [[label] + [entry["results"][s][key] for s in entry["results"]]
                    for key, label in operations.items()]
            out.append(_table(header, rows))
        return out

    def hive(self, data: dict) -> list[nodes.Node]:
        """The Hive data: each path Spark's adapter calls and each listing path Hive serves."""
        intro = self.parse_text_to_nodes(
            f"Measured with Spark {data['spark']}'s Hive adapter "
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
