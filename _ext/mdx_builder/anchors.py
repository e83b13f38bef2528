"""Anchors in MDX. Mintlify keeps a heading's one ``{#id}`` and the ``id`` of a plain element:

* a section's other ids (labels, slugs) are aliases of its first id;
* a labelled block (paragraph, figure, code block, list item, table, component) keeps its ids,
  each written as ``<span id="…" />`` where the block starts (``MdxTranslator``), unless it
  sits in a table cell or in a container that holds only its own children (a tab, a step);
* any other id inside a section (a docutils id no label names) aliases the section's id.

Links go through ``MdxBuilder.canonical_anchor``, which applies the aliases.
"""
from __future__ import annotations

from docutils import nodes

#: never anchored by a span: headings have {#id}, footnotes [^id], targets move their ids on
NOT_BLOCKS = (nodes.section, nodes.title, nodes.footnote, nodes.citation, nodes.target)
#: Mintlify containers that take only their own children (a span there breaks them); a label
#: on one of those children aliases its heading instead
FIXED_CHILDREN = {"tabs", "steps", "card_group", "accordion_group", "code_group",
                  "request_example", "response_example"}


def labelled_ids(node: nodes.Node) -> list[str]:
    """The ids of ``node`` that get a ``<span id>`` in MDX: a named block outside a table."""
    if not isinstance(node, (nodes.Body, nodes.list_item)) or isinstance(node, NOT_BLOCKS):
        return []
    if not node.get("names") or not node.get("ids"):
        return []
    if node.parent is not None and node.parent.tagname in FIXED_CHILDREN:
        return []
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.table):
            return []  # a cell holds no block element in a GFM table
        parent = parent.parent
    return list(node["ids"])


def record_anchor_aliases(app, doctree) -> None:
    """Remember, per page, the id each alias (see the module docstring) stands for."""
    aliases = {alt: section["ids"][0] for section in doctree.findall(nodes.section)
               for alt in section["ids"][1:]}
    for node in doctree.findall(nodes.Element):
        if isinstance(node, nodes.section) or labelled_ids(node):
            continue
        section = node.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        if section is not None and section["ids"]:
            for ident in node["ids"]:
                aliases.setdefault(ident, section["ids"][0])
    app.env.mdx_anchor_aliases = getattr(app.env, "mdx_anchor_aliases", {})
    if aliases:
        app.env.mdx_anchor_aliases[app.env.docname] = aliases
    else:
        app.env.mdx_anchor_aliases.pop(app.env.docname, None)
