"""Mintlify's components as Sphinx directives and roles, rendered for HTML and MDX.

Every component is declared once, in ``registry.COMPONENTS``; this module registers what the
registry makes: node classes with both builders' visitors, directives and roles."""
from __future__ import annotations

from pathlib import Path

from .checks import CardLinks, CheckIcons, CheckNesting, LiftCardLinks
from .design import MapSphinxDesign
from .registry import COMPONENTS, visitors

STATIC = Path(__file__).parent / "static"


def _noop(self, node):
    pass


def _add_static(app) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app):
    app.setup_extension("sphinx_design")
    plain = (_noop, _noop)
    for cls, ((visit, depart), (mdx_visit, mdx_depart)) in visitors().items():
        app.add_node(cls, override=True,
                     html=(visit, depart or _noop),
                     mdx=(mdx_visit, mdx_depart or _noop),
                     text=plain, latex=plain, man=plain, texinfo=plain)
    for spec in COMPONENTS:
        if spec.kind == "role":
            app.add_role(spec.name, spec.make(), override=True)
        else:
            app.add_directive(spec.name, spec.make(), override=True)
    app.add_transform(CheckNesting)
    app.add_post_transform(CardLinks)
    app.add_post_transform(LiftCardLinks)
    app.add_post_transform(CheckIcons)
    app.add_post_transform(MapSphinxDesign)
    app.connect("builder-inited", lambda app: _add_static(app))
    app.add_css_file("spark-components.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
