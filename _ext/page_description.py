"""A page's own frontmatter ``description`` in its HTML head, as ``og:description`` and
``<meta name="description">``: the words written for the purpose (at most 160 characters, the
ones Mintlify shows too).

Without it sphinxext-opengraph describes a page by its first paragraph, HTML-escaped and then cut
at ``ogp_description_length``, which can cut a character reference in two (``Spark&#x...``):
invalid HTML in the head. sphinxext-opengraph takes ``og:`` fields of the page's metadata as they
are, and adds no meta description when the page already has one.
"""
from __future__ import annotations

import html


def describe(app, pagename, templatename, context, doctree) -> None:
    text = (context.get("meta") or {}).get("description")
    if not text:
        return
    # a copy: the environment's metadata stays as read
    context["meta"] = {**context["meta"], "og:description": html.escape(str(text), quote=False)}
    context["metatags"] += f'\n<meta name="description" content="{html.escape(str(text))}" />'


def setup(app):
    app.connect("html-page-context", describe, priority=400)  # before sphinxext-opengraph (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
