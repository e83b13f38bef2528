"""Sphinx builder that writes Mintlify MDX pages and docs.json."""
from __future__ import annotations

from .anchors import record_anchor_aliases
from .builder import MdxBuilder, setup_builder
from .translator import MdxTranslator

__all__ = ["MdxBuilder", "MdxTranslator", "setup"]


def _purge(app, env, docname) -> None:
    getattr(env, "mdx_anchor_aliases", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    env.mdx_anchor_aliases = getattr(env, "mdx_anchor_aliases", {})
    for docname in docnames:
        if docname in getattr(other, "mdx_anchor_aliases", {}):
            env.mdx_anchor_aliases[docname] = other.mdx_anchor_aliases[docname]


def setup(app):
    setup_builder(app)
    app.connect("doctree-read", record_anchor_aliases)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
