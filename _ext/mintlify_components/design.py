"""sphinx-design in MDX: its directives with a Mintlify counterpart become our neutral nodes.

sphinx-design builds generic containers (``design_component="tab-set"`` ...) that an MDX page
would flatten into bold text. For the ``mdx`` builder they are rewritten before writing:
tab-set/tab-item -> Tabs/Tab (``:selected:`` sets defaultTabIndex), dropdown -> Accordion
(with ``:open:`` and ``:icon:``), accordion -> AccordionGroup, card -> Card, a grid of
grid-item-cards -> CardGroup of Cards, steps/step -> Steps/Step (``:start:`` numbers them),
badges -> Badge, octicon/Font Awesome roles -> Icon (button-link and button-ref are links
already). Everything else of sphinx-design, and an option with no Mintlify prop (accordion
``:flush:``, steps and dropdown ``:color:``, tab-item ``:sync:``), warns (``mintlify.design``)
at its file:line; the content is kept as plain blocks. Options that only style the HTML
(margins, animations, chevrons, CSS classes) give way to Mintlify's theme.
"""
from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx_design.badges_buttons import sd_badge
from sphinx_design.icons import fontawesome, sd_icon
from sphinx_design.shared import PassthroughTextElement
from sphinx_design.steps import steps_list

from . import nodes as mn

logger = logging.getLogger(__name__)
#: containers that only hold the parts handled with their parent
PARTS = {"tab-content", "card-body", "card-title", "grid-row", "grid-item", "step",
         "step-content"}


def _kind(node) -> str | None:
    parts = (nodes.container, steps_list, nodes.list_item)  # steps are a list of items
    return node.get("design_component") if isinstance(node, parts) else None


def _located(node: nodes.Node) -> nodes.Node:
    """``node`` or the nearest ancestor that knows its line (sphinx-design's parts do not)."""
    while node.parent is not None and node.line is None:
        node = node.parent
    return node


def _unmapped(node: nodes.Node, what: str, why: str = "has no Mintlify counterpart in MDX"):
    logger.warning("sphinx-design %s %s", what, why, location=_located(node), type="mintlify",
                   subtype="design")


def _component(cls, source: nodes.Element, title: list[nodes.Node], body: list[nodes.Node]):
    node = cls()
    node.source, node.line = source.source, source.line
    if title:
        node += mn.component_title("", "", *title)
    node.extend(body)
    return node


def _tabs(node):
    tabs = mn.tabs()
    tabs.source, tabs.line = node.source, node.line
    for index, item in enumerate(node.children):
        label = next(c for c in item.children if isinstance(c, nodes.rubric))
        content = [c for c in item.children if _kind(c) == "tab-content"]
        body = [child for part in content for child in part.children]
        tabs += _component(mn.tab, item, list(label.children), body)
        if item.get("selected"):
            tabs.props["defaultTabIndex"] = index
        if label.get("sync_id"):
            _unmapped(item, "tab-item :sync:")
    return tabs


def _dropdown(node):
    title = node.children[0] if node.get("has_title") else None
    accordion = _component(mn.accordion, node, list(title.children) if title else [],
                           [c for c in node.children if c is not title])
    if isinstance(node.get("icon"), str):
        accordion.props["icon"] = node["icon"]  # an octicon name; CheckIcons wants it in FA too
    if node.get("opened"):
        accordion.props["defaultOpen"] = True
    color = [c for c in node.get("title_classes", []) if c.startswith("sd-bg-text-")]
    if color:
        _unmapped(node, f"dropdown :color: {color[0].removeprefix('sd-bg-text-')}")
    return accordion


def _accordion(node):
    if "sd-accordion-flush" in node["classes"]:
        _unmapped(node, "accordion :flush:")
    return _component(mn.accordion_group, node, [], [
        _dropdown(child) if _kind(child) == "dropdown" else child for child in node.children])


def _steps(node):
    color = [c for c in node["classes"] if c.startswith("sd-steps-")]
    if color:
        _unmapped(node, f"steps :color: {color[0].removeprefix('sd-steps-')}")
    steps, number = _component(mn.steps, node, [], []), node.get("start", 1)
    for item in node.children:
        if _kind(item) != "step":
            steps += item  # a target sphinx-design kept
            continue
        title = [n for c in item.children if isinstance(c, nodes.rubric) for n in c.children]
        body = [n for c in item.children if _kind(c) == "step-content" for n in c.children]
        step = _component(mn.step, item, title, body)
        if not title:
            _unmapped(item, "step", "has no title; Mintlify's Step needs one")
        if node.get("start", 1) != 1:
            step.props["stepNumber"] = number
        steps += step
        number += 1
    return steps


def _card(node):
    """A grid-item-card: its title, body and stretched link; None when it has more parts."""
    [body] = [c for c in node.children if _kind(c) == "card-body"] or [None]
    rest = [c for c in node.children if c is not body]
    links = [r for c in rest if isinstance(c, PassthroughTextElement)
             for r in c.findall(nodes.reference)]
    if body is None or len(links) != len(rest):
        return None  # a header, footer or image: no Mintlify counterpart
    title = [c for c in body.children if _kind(c) == "card-title"]
    inline = [n for t in title for p in t.children for n in p.children]
    card = _component(mn.card, node, inline, [c for c in body.children if c not in title])
    if links:
        card["refuri"] = links[0].get("refuri") or "#" + links[0].get("refid", "")
    return card


def _grid(node):
    [row] = node.children
    cards = []
    for item in row.children:
        inner = [c for c in item.children if _kind(c) == "card"]
        card = _card(inner[0]) if len(inner) == 1 and len(item.children) == 1 else None
        if card is None:
            return None
        cards.append(card)
    group = _component(mn.card_group, node, [], cards)
    cols = re.search(r"\bsd-row-cols-(\d+)\b", " ".join(row["classes"]))
    group.props["cols"] = min(max(int(cols[1]), 1), 4) if cols else 2
    return group


MAPPED = {"tab-set": _tabs, "dropdown": _dropdown, "accordion": _accordion, "steps": _steps,
          "grid-container": _grid, "card": _card}


class MapSphinxDesign(SphinxPostTransform):
    """Rewrite sphinx-design's nodes into Mintlify components for the mdx builder."""

    default_priority = 4  # before the icon check (6)
    builders = ("mdx",)

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(lambda n: _kind(n) is not None)):
            kind = _kind(node)
            if kind in PARTS or not self.attached(node):
                continue
            new = MAPPED[kind](node) if kind in MAPPED else None
            if new is None:
                _unmapped(node, f"{kind!r}")
                new = self.plain(node)
            node.parent.replace(node, new)
            node.parent = None  # its parts left behind are no longer in the page
        for badge in list(self.document.findall(sd_badge)):
            badge.parent.replace(badge, mn.badge(badge.rawsource, "", *badge.children))
        for icon in list(self.document.findall(lambda n: isinstance(n, (sd_icon, fontawesome)))):
            name = re.search(r"\b(?:sd-octicon|fa)-([\w-]+)", icon.get("svg", "")
                             + " " + " ".join(icon.get("classes", [])))
            if name:
                new = mn.icon("", icon=name[1])
                new.source, new.line = icon.source, icon.line
                icon.parent.replace(icon, new)
            else:
                _unmapped(icon, "icon")
                icon.parent.remove(icon)

    def attached(self, node: nodes.Node) -> bool:
        """False for the parts of a container already rewritten (their tree was rebuilt)."""
        while node.parent is not None:
            node = node.parent
        return node is self.document

    @staticmethod
    def plain(node: nodes.Element) -> list[nodes.Node]:
        """Children with sphinx-design's part containers and passthrough wrappers unwrapped."""
        out = []
        for child in node.children:
            if _kind(child) in MAPPED:
                out.append(child)  # mapped on its own (a card of a grid that is not all cards)
            elif _kind(child) or isinstance(child, PassthroughTextElement):
                out.extend(MapSphinxDesign.plain(child))
            else:
                out.append(child)
        return out
