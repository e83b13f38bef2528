"""MDX renderers (the registry's hooks); they use the ``mdx`` translator's buffer API."""
from __future__ import annotations

from docutils import nodes

from . import nodes as mn


def props_of(self, node: mn.component) -> dict:
    props = {}
    title = node.title_node()
    if title is not None:
        props["title"] = self.render_inline(title).strip()
    props.update(node.props)
    if node.get("refuri"):
        props["href"] = self.builder.canonical_anchor(node["refuri"])
    return props


def visit_component(self, node):
    self.push()


def depart_component(self, node):
    content = self.pop()
    self.add_block(self.jsx(node.jsx, props_of(self, node), content))


def skip(self, node):
    raise nodes.SkipNode


def visit_callout(self, node):
    self.push()


def depart_callout(self, node):
    self.add_block(self.jsx(node["kind"].title(), {}, self.pop()))


def visit_inline(self, node):
    self.push()


def depart_badge(self, node):
    self.add_inline(self.jsx("Badge", {}, self.pop(), inline=True))


def depart_tooltip(self, node):
    self.add_inline(self.jsx("Tooltip", {"tip": node["tip"]}, self.pop(), inline=True))


def visit_icon(self, node):
    self.add_inline(self.jsx("Icon", {"icon": node["icon"]}))
    raise nodes.SkipNode
