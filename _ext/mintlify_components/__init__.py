"""Mintlify's components as Sphinx directives and roles, rendered for HTML and MDX."""
from __future__ import annotations

from pathlib import Path

from . import html, mdx
from .checks import CheckIcons, CheckNesting, ResolveCardLinks
from .design import MapSphinxDesign
from .directives import DIRECTIVES
from .roles import ROLES

STATIC = Path(__file__).parent / "static"


def _noop(self, node):
    pass


def _add_static(app) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app):
    app.setup_extension("sphinx_design")
    for cls, (visit, depart) in html.HTML_VISITORS.items():
        mdx_visit, mdx_depart = mdx.MDX_VISITORS[cls]
        plain = (_noop, _noop)
        app.add_node(cls, override=True,
                     html=(visit, depart or _noop),
                     mdx=(mdx_visit, mdx_depart or _noop),
                     text=plain, latex=plain, man=plain, texinfo=plain)
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive, override=True)
    for name, role in ROLES.items():
        app.add_role(name, role, override=True)
    app.add_transform(CheckNesting)
    app.add_post_transform(ResolveCardLinks)
    app.add_post_transform(CheckIcons)
    app.add_post_transform(MapSphinxDesign)
    app.connect("builder-inited", lambda app: _add_static(app))
    app.add_css_file("spark-components.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
