"""Format-neutral nodes for Mintlify's components.

Directives build these; each builder renders them its own way. A node keeps Mintlify's
prop names in ``node["props"]`` (an ordered dict of str/bool/int values) and its title, when it
has one, as a :class:`component_title` child holding inline markup.
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


def _make(name: str, jsx: str) -> type:
    return type(name, (component,), {"jsx": jsx})


accordion_group = _make("accordion_group", "AccordionGroup")
accordion = _make("accordion", "Accordion")
card_group = _make("card_group", "CardGroup")
card = _make("card", "Card")
steps = _make("steps", "Steps")
step = _make("step", "Step")
tabs = _make("tabs", "Tabs")
tab = _make("tab", "Tab")
code_group = _make("code_group", "CodeGroup")
param_field = _make("param_field", "ParamField")
response_field = _make("response_field", "ResponseField")
expandable = _make("expandable", "Expandable")
request_example = _make("request_example", "RequestExample")
response_example = _make("response_example", "ResponseExample")
frame = _make("frame", "Frame")


class callout(nodes.Admonition, nodes.Element):
    """``info`` and ``check``: callouts docutils has no node for. ``node["kind"]`` names it."""


class badge(nodes.Inline, nodes.TextElement):
    """Inline badge; text is its label."""


class tooltip(nodes.Inline, nodes.TextElement):
    """Inline text with a tooltip in ``node["tip"]``."""


class icon(nodes.Inline, nodes.Element):
    """Inline icon named ``node["icon"]``."""


BLOCK_NODES = (
    accordion_group, accordion, card_group, card, steps, step, tabs, tab, code_group,
    param_field, response_field, expandable, request_example, response_example, frame,
)
