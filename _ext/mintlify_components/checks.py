"""Checks that need the whole page or the whole project: nesting, card links, icons."""
from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from . import nodes as mn
from .icons import icon_svg
from .registry import name_of, spec_of

logger = logging.getLogger(__name__)
CARD_HREF = "spark-card-href"


class CheckNesting(SphinxTransform):
    """Each component's ``parents``, ``children`` and ``not_within`` rules (see ``registry``)."""

    default_priority = 200

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(mn.component):
            spec = spec_of(node)
            if spec is None:
                continue
            if spec.parents and name_of(node.parent) not in spec.parents:
                self.error(node, "%s outside %s: wrap it in '::::{%s}' ... '::::'",
                           spec.name, spec.parents[0], spec.parents[0])
            for outer in self.ancestors(node):
                if name_of(outer) in spec.not_within:
                    title = outer.title_node()
                    self.error(node, "%s nested in %s %r: Mintlify cannot nest them; use an "
                               "expandable or a list inside", spec.name, name_of(outer),
                               title.astext() if title else "")
                    break
            if spec.children:
                for child in node.children:
                    if name_of(child) not in spec.children and not isinstance(
                            child, nodes.system_message):  # an error already
                        self.error(child, "%s may only hold %s, found %s: move it out or wrap it",
                                   spec.name, spec.children[0], child.tagname)

    @staticmethod
    def ancestors(node):
        node = node.parent
        while node is not None:
            yield node
            node = node.parent

    @staticmethod
    def error(node, message: str, *args) -> None:
        logger.error(message, *args, location=node, type="mintlify", subtype="nesting")


class CardLinks(SphinxPostTransform):
    """A card's page link takes the path of a Markdown link ``[title](page.md#anchor)``: a
    ``pending_xref`` that MyST's resolver (priority 9) turns into a reference, or reports
    (``myst.xref_missing``) at the card's file:line. :class:`LiftCardLinks` takes its URI."""

    default_priority = 5

    def run(self, **kwargs) -> None:
        for node in self.document.findall(mn.card):
            if not node.get("target_doc"):
                continue
            title = node.title_node()
            xref = addnodes.pending_xref(
                "", nodes.inline("", title.astext() if title else ""), refdomain="doc",
                reftype="myst", reftarget=node["target_doc"], refexplicit=True,
                reftargetid=node.get("target_anchor") or None, refdoc=self.env.docname)
            xref.source, xref.line = node.source, node.line
            node += nodes.inline("", "", xref, classes=[CARD_HREF])


class LiftCardLinks(SphinxPostTransform):
    """After every resolver: the resolved reference's URI becomes the card's ``refuri``."""

    default_priority = 11

    def run(self, **kwargs) -> None:
        for holder in list(self.document.findall(nodes.inline)):
            if CARD_HREF not in holder["classes"]:
                continue
            card = holder.parent
            card.remove(holder)
            ref = next(iter(holder.findall(nodes.reference)), None)
            if ref is None:
                continue  # a missing page: reported by the resolver
            uri = "#" + ref["refid"] if "refid" in ref else ref.get("refuri", "")
            card["refuri"] = uri or self.env._app.builder.get_target_uri(card["target_doc"])


class CheckIcons(SphinxPostTransform):
    """An icon Font Awesome Free lacks is a typed warning in every builder (Mintlify shows none)."""

    default_priority = 6

    def run(self, **kwargs) -> None:
        for node in self.document.findall(lambda n: isinstance(n, (mn.component, mn.icon))):
            name = node["icon"] if isinstance(node, mn.icon) else node.props.get("icon")
            if name and icon_svg(name) is None:
                self.unknown(name, node)
        name = self.env.metadata.get(self.env.docname, {}).get("icon")
        if name and icon_svg(str(name)) is None:
            source = self.env.doc2path(self.env.docname)
            lines = source.read_text(encoding="utf-8").splitlines()
            line = next((i for i, text in enumerate(lines, 1) if text.startswith("icon:")), 1)
            self.unknown(str(name), (self.env.docname, line))

    @staticmethod
    def unknown(name: str, location) -> None:
        logger.warning("unknown icon %r (not in Font Awesome Free)", name, location=location,
                       type="mintlify", subtype="icon")
