"""Sphinx builder that writes Mintlify MDX pages and docs.json."""
from __future__ import annotations

from docutils import nodes

from .builder import MdxBuilder, setup_builder
from .translator import MdxTranslator

__all__ = ["MdxBuilder", "MdxTranslator", "setup"]


def _record_anchor_aliases(app, doctree) -> None:
    """A section has one ``{#id}`` in MDX, the only anchors Mintlify keeps: remember its other
    ids (labels, slugs) and the ids of what it holds (labelled paragraphs, figures, code
    blocks, list items) as aliases of it."""
    aliases = {alt: section["ids"][0] for section in doctree.findall(nodes.section)
               for alt in section["ids"][1:]}
    for node in doctree.findall(nodes.Element):
        section = node.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        if section is not None and section["ids"] and not isinstance(node, nodes.section):
            for ident in node["ids"]:
                aliases.setdefault(ident, section["ids"][0])
    app.env.mdx_anchor_aliases = getattr(app.env, "mdx_anchor_aliases", {})
    if aliases:
        app.env.mdx_anchor_aliases[app.env.docname] = aliases
    else:
        app.env.mdx_anchor_aliases.pop(app.env.docname, None)


def _purge(app, env, docname) -> None:
    getattr(env, "mdx_anchor_aliases", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    env.mdx_anchor_aliases = getattr(env, "mdx_anchor_aliases", {})
    for docname in docnames:
        if docname in getattr(other, "mdx_anchor_aliases", {}):
            env.mdx_anchor_aliases[docname] = other.mdx_anchor_aliases[docname]


def setup(app):
    setup_builder(app)
    app.connect("doctree-read", _record_anchor_aliases)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
