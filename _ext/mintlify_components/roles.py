"""Inline roles: ``{badge}`text```, ``{tooltip}`text <tip>```, ``{icon}`name```."""
from __future__ import annotations

import re

from sphinx.util.docutils import SphinxRole

from . import nodes as mn

TOOLTIP = re.compile(r"^(?P<text>.+?)\s*<(?P<tip>[^<>]+)>$", re.S)


class BadgeRole(SphinxRole):
    def run(self):
        node = mn.badge(self.rawtext, self.text)
        self.set_source_info(node)
        return [node], []


class TooltipRole(SphinxRole):
    def run(self):
        match = TOOLTIP.match(self.text)
        if not match:
            msg = self.inliner.reporter.error(
                f"tooltip {self.text!r} needs a tip: write {{tooltip}}`text <the tip>`",
                line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        node = mn.tooltip(self.rawtext, match["text"], tip=match["tip"])
        self.set_source_info(node)
        return [node], []


class IconRole(SphinxRole):
    def run(self):
        node = mn.icon(self.rawtext, icon=self.text.strip())
        self.set_source_info(node)
        return [node], []
