"""Checks that need the whole page or the whole project: nesting, card links, icons."""
from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from . import nodes as mn
from .icons import icon_svg

logger = logging.getLogger(__name__)

#: child -> the parent it must sit in directly
PARENTS = {mn.step: mn.steps, mn.tab: mn.tabs}
#: container -> the children it may hold
CHILDREN = {mn.steps: (mn.step,), mn.tabs: (mn.tab,), mn.accordion_group: (mn.accordion,),
            mn.card_group: (mn.card,)}


def _name(cls) -> str:
    return cls.__name__.replace("_", "-")


class CheckNesting(SphinxTransform):
    """A step only in steps, a tab only in tabs, no accordion in an accordion."""

    default_priority = 200

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(mn.component):
            want = PARENTS.get(type(node))
            if want and not isinstance(node.parent, want):
                logger.error(
                    "%s outside %s: wrap it in '::::{%s}' ... '::::'",
                    _name(type(node)), _name(want), _name(want),
                    location=node, type="mintlify", subtype="nesting")
            if isinstance(node, mn.accordion):
                outer = node.parent
                while outer is not None and not isinstance(outer, mn.accordion):
                    outer = outer.parent
                if outer is not None:
                    logger.error(
                        "accordion nested in accordion %r: Mintlify cannot nest them; "
                        "use an expandable or a list inside", outer.title_node().astext(),
                        location=node, type="mintlify", subtype="nesting")
            allowed = CHILDREN.get(type(node))
            if allowed:
                for child in node.children:
                    if not isinstance(child, allowed):
                        logger.error(
                            "%s may only hold %s, found %s: move it out or wrap it",
                            _name(type(node)), _name(allowed[0]), child.tagname,
                            location=child, type="mintlify", subtype="nesting")


class ResolveCardLinks(SphinxPostTransform):
    """Turn a card's page target into a URI for the current builder; warn when it is missing."""

    default_priority = 5

    def run(self, **kwargs) -> None:
        for node in self.document.findall(mn.card):
            target = node.get("target_doc")
            if not target:
                continue
            if target not in self.env.all_docs:
                logger.warning("card links to unknown page %r", target, location=node,
                               type="mintlify", subtype="card_href")
                continue
            uri = self.env._app.builder.get_relative_uri(self.env.docname, target)
            anchor = node.get("target_anchor")
            if anchor and anchor not in self.anchors(target):
                logger.warning("card links to missing anchor %r of page %r", anchor, target,
                               location=node, type="mintlify", subtype="card_href")
            node["refuri"] = uri + ("#" + anchor if anchor else "")

    def anchors(self, docname: str) -> set[str]:
        """The ids and heading slugs of ``docname`` (MDX points the ids at their heading)."""
        doctree = self.document if docname == self.env.docname else self.env.get_doctree(docname)
        return {i for node in doctree.findall(nodes.Element)
                for i in node["ids"] + [node.get("slug", "")] if i}


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
