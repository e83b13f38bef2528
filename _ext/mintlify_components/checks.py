"""Checks that need the whole page or the whole project: nesting, card links, icons."""
from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from . import nodes as mn
from .icons import icon_svg
from .registry import name_of, spec_of

logger = logging.getLogger(__name__)


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
