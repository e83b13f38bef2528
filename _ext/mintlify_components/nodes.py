"""Format-neutral nodes for Mintlify's components.

Directives build these; each builder renders them its own way. A node keeps Mintlify's
prop names in ``node["props"]`` (an ordered dict of str/bool/int values) and its title, when it
has one, as a :class:`component_title` child holding inline markup. The block nodes are made by
:func:`block` from the registry (``registry.COMPONENTS``) and live here, so ``nodes.card`` is the
class a doctree pickles.
"""
from __future__ import annotations

from docutils import nodes


class component(nodes.General, nodes.Element):
    """Base of every block component. ``jsx`` is the Mintlify tag name."""

    jsx = ""

    @property
    def props(self) -> dict:
        return self.setdefault("props", {})

    def title_node(self) -> "component_title | None":
        for child in self.children:
            if isinstance(child, component_title):
                return child
        return None


class component_title(nodes.TextElement):
    """Inline title of a component (Mintlify parses titles as Markdown)."""


#: every block node class, in registry order
BLOCK_NODES: list[type] = []


def block(tagname: str, jsx: str) -> type:
    """The block node class ``tagname`` (made once, kept in this module for pickling)."""
    if tagname not in globals():
        cls = type(tagname, (component,), {"jsx": jsx, "__module__": __name__})
        globals()[tagname] = cls
        BLOCK_NODES.append(cls)
    return globals()[tagname]


class callout(nodes.Admonition, nodes.Element):
    """``info`` and ``check``: callouts docutils has no node for. ``node["kind"]`` names it."""


class badge(nodes.Inline, nodes.TextElement):
    """Inline badge; text is its label."""


class tooltip(nodes.Inline, nodes.TextElement):
    """Inline text with a tooltip in ``node["tip"]``."""


class icon(nodes.Inline, nodes.Element):
    """Inline icon named ``node["icon"]``."""
