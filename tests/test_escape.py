"""The one escaper: unit tests, and property tests through Mintlify's real parser."""
from __future__ import annotations

import re
import shutil

import pytest
from docutils import nodes
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp
from sphinx.util.docutils import new_document

from helpers_node import NodeLines
from support import TESTS
from mdx_builder import escape as esc
from mintlify_components import nodes as mn


@pytest.mark.parametrize("raw, mdx", [
    ("a {b} <c> $5", r"a \{b\} \<c\> \$5"),
    ("x | y", r"x \| y"),
    ("*not* _em_ `tick` [link]", r"\*not\* \_em\_ \`tick\` \[link\]"),
    ("back\\slash & amp", r"back\\slash \& amp"),
    ("1. not a list", r"1\. not a list"),
    ("- not a list", r"\- not a list"),
    ("# not a heading", r"\# not a heading"),
    ("import os", "&#105;mport os"),
    ("export FOO=1", "&#101;xport FOO=1"),
    ("multi\n  line", "multi line"),
])
def test_text(raw, mdx):
    assert esc.text(raw) == mdx


def test_text_mid_line_keeps_markers():
    assert esc.text("- a", line_start=False) == "- a"


@pytest.mark.parametrize("code, span", [
    ("a", "`a`"), ("a`b", "``a`b``"), ("`a", "`` `a ``"), ("<metavar>", "`<metavar>`"),
])
def test_code_span(code, span):
    assert esc.code_span(code) == span


def test_code_span_in_table_escapes_pipe():
    assert esc.code_span("a|b", in_table=True) == r"`a\|b`"


def test_fence_is_longer_than_any_inner_fence():
    assert esc.fence_for("x") == "```"
    assert esc.fence_for("```\ncode\n```") == "````"
    assert esc.fence_for("  `````") == "``````"


def test_attr_quotes_and_entities():
    assert esc.attr('a "b" & c') == '"a &quot;b&quot; &amp; c"'


def test_table_cell_escapes_bare_pipes_only():
    assert esc.table_cell(r"a | b \| c") == r"a \| b \| c"


def test_yaml_string():
    assert esc.yaml_string('say "hi": x\\y') == r'"say \"hi\": x\\y"'


def test_anchor_strips_what_mintlify_strips():
    assert esc.anchor("a:b(c)") == "abc"


# -- property tests through the translator and Mintlify's parser ------------------------------
ALPHABET = st.sampled_from(list(
    "abcXYZ019 {}<>$|`*_\\#-+=.!&~[]()'\":;/?@%^" "éüß日本語🙂–—"))
TEXTS = st.text(ALPHABET, min_size=1, max_size=40).filter(lambda t: t.strip())


@pytest.fixture(scope="module")
def builder(tmp_path_factory):
    src = tmp_path_factory.mktemp("root")
    shutil.copytree(TESTS / "roots" / "components", src, dirs_exist_ok=True)
    app = SphinxTestApp("mdx", srcdir=src, builddir=src / "_build")
    app.build()
    app.builder.current_docname = "index"
    yield app.builder
    app.cleanup()


@pytest.fixture(scope="module")
def mdx_text():
    parser = NodeLines("mdx_text.mjs")
    yield parser
    parser.close()


@pytest.fixture(scope="module")
def mdx_paths():
    parser = NodeLines("mdx_paths.mjs")
    yield parser
    parser.close()


def _titled(cls, title_text: str, body: nodes.Node) -> nodes.Element:
    node = cls()
    if cls in (mn.param_field,):
        node["props"] = {"query": "q"}
    elif cls is mn.response_field:
        node["props"] = {"name": "f"}
    else:
        node += mn.component_title("", "", nodes.Text(title_text))
    node += body
    return node


def _table(cell: nodes.paragraph) -> nodes.table:
    """A one-column table with a header row and ``cell`` as its only body cell."""
    table = nodes.table()
    group = nodes.tgroup(cols=1)
    table += group
    group += nodes.colspec(colwidth=1)
    head, body = nodes.thead(), nodes.tbody()
    group += head
    group += body
    head += nodes.row("", nodes.entry("", nodes.paragraph(text="h")))
    body += nodes.row("", nodes.entry("", cell))
    return table


def contexts(text: str) -> list[nodes.Node]:
    """The same text in a paragraph, a title, a table cell, a list item and every component."""
    out = [nodes.paragraph(text=text), _table(nodes.paragraph(text=text)),
           nodes.bullet_list("", nodes.list_item("", nodes.paragraph(text=text))),
           _titled(mn.accordion, text, nodes.paragraph(text="body"))]
    for cls in mn.BLOCK_NODES:
        out.append(_titled(cls, "T", nodes.paragraph(text=text)))
        out.append(_titled(cls, "T", nodes.bullet_list(
            "", nodes.list_item("", nodes.paragraph(text=text)))))
    return out


def render(builder, node: nodes.Node) -> str:
    document = new_document("<hypothesis>")
    document += node
    translator = builder.create_translator(document, builder)  # with the components' visitors
    document.walkabout(translator)
    return translator.body


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u200b", "")).strip()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TEXTS, min_size=8, max_size=8))
def test_text_survives_mintlify_parser(builder, mdx_text, texts):
    cases = [(text, render(builder, node)) for text in texts for node in contexts(text)]
    results = mdx_text([mdx for _, mdx in cases])
    for (text, mdx), result in zip(cases, results):
        assert result["ok"], f"Mintlify rejected {mdx!r}: {result}"
        assert _norm(text) in _norm(result["text"]), f"text lost: {text!r} -> {mdx!r} -> {result['text']!r}"


# -- every other path the escaper serves, through Mintlify's parser ---------------------------
def _fold(text: str) -> str:
    return re.sub(r"[ \t\r\n\f\v]+", " ", text)


def _cell(inline: nodes.Node) -> nodes.table:
    return _table(nodes.paragraph("", "", nodes.Text("x "), inline))


def _code_block(title: str) -> nodes.container:
    container = nodes.container(literal_block=True)
    container += nodes.caption(title, title)
    container += nodes.literal_block("print(1)", "print(1)", language="python")
    return container


def path_cases(text: str, lines: str) -> list[tuple[str, nodes.Node, object]]:
    """(path, node, what the reader must get back) for one generated text."""
    described = mn.accordion()
    described += mn.component_title("", "", nodes.Text("T"))
    described["props"] = {"description": text, "icon": text}
    described += nodes.paragraph(text="body")
    page = new_document("<hypothesis>")
    page["mdx_frontmatter"] = {"title": text, "description": text}
    page += nodes.paragraph(text="body")
    return [
        ("alt", nodes.paragraph("", "", nodes.image(uri="/i.png", alt=text)), _fold(text)),
        ("alt", _cell(nodes.image(uri="/i.png", alt=text)), _fold(text)),
        ("codeTitle", _code_block(text), _fold(text).strip()),
        ("math", nodes.paragraph("", "", nodes.Text("x "), nodes.math(text, text)), _fold(text)),
        ("math", _cell(nodes.math(text, text)), _fold(text)),
        ("math", nodes.math_block(lines, lines), lines.strip("\n")),
        ("attr", described, text),
        ("frontmatter", page, _fold(text).strip()),
    ]


def _rendered(builder, node: nodes.Node) -> str:
    if isinstance(node, nodes.document):
        translator = builder.create_translator(node, builder)
        node.walkabout(translator)
        return translator.body
    return render(builder, node)


def _seen(path: str, result: dict, node: nodes.Node):
    if path == "attr":
        return result["attr"]["description"][0], result["attr"]["icon"][0]
    if path == "frontmatter":
        return result["frontmatter"]["title"], result["frontmatter"]["description"]
    if path == "math" and isinstance(node, nodes.table):  # | is \vert there, \| is \Vert
        return result["math"][0].replace("\\Vert ", "\\|").replace("\\vert ", "|")
    return result[path][0]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking: each try runs node
@given(st.lists(st.tuples(TEXTS, st.lists(TEXTS, min_size=1, max_size=3)), min_size=6, max_size=6))
def test_every_escaped_path_survives_mintlify_parser(builder, mdx_paths, samples):
    cases = [(path, node, want, _rendered(builder, node)) for text, block in samples
             for path, node, want in path_cases(text, "\n".join(block))]
    results = mdx_paths([mdx for *_, mdx in cases])
    for (path, node, want, mdx), result in zip(cases, results):
        assert result["ok"], f"Mintlify rejected {mdx!r}: {result}"
        if path != "math":
            assert result["math"] == [], f"{path}: text became math in {mdx!r}"
        seen = _seen(path, result, node)
        expected = (want, want) if isinstance(seen, tuple) else want
        assert seen == expected, f"{path}: {want!r} -> {mdx!r} -> {seen!r}"


KNOWN = ['say "hi" \\ & `tick`', "a$b", "|x| \\| y"]


@pytest.mark.parametrize("path, node, text", [
    ("codeTitle", _code_block(KNOWN[0]), KNOWN[0]),
    ("math", nodes.paragraph("", "", nodes.math(KNOWN[1], KNOWN[1])), KNOWN[1]),
    ("math", _cell(nodes.math(KNOWN[2], KNOWN[2])), KNOWN[2]),
])
def test_escaped_paths_known_cases(builder, mdx_paths, path, node, text):
    """Cases the old emitter broke: a quote/backslash/entity/backtick title, $ and | in math."""
    [result] = mdx_paths([_rendered(builder, node)])
    assert result["ok"], result
    assert _seen(path, result, node) == text
