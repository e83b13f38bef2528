"""The component registry: each Mintlify component declared once.

A :class:`Component` names the directive (or role), the Mintlify component, its options (each a
converter and the Mintlify prop it maps to), its title rule, where it may sit and what it may
hold, and its renderers for HTML and MDX. The node classes, the directives and roles, both
builders' visitors (``__init__.setup``) and the nesting checks (``checks.CheckNesting``) are made
from ``COMPONENTS``: adding a component adds one entry here (and, when it needs markup of its
own, its HTML renderer in ``html``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from . import directives as d
from . import html, mdx, roles
from . import nodes as mn


@dataclass(frozen=True)
class Option:
    prop: str  #: the Mintlify prop it sets
    convert: Callable = d.text  #: docutils converter; a ValueError is an error at file:line


@dataclass(frozen=True)
class Component:
    name: str  #: directive (or role) name
    jsx: str  #: Mintlify component
    html: tuple  #: (visit, depart) of the HTML translator; depart may be None
    mdx: tuple = (mdx.visit_component, mdx.depart_component)
    options: dict[str, Option] = field(default_factory=dict)
    title: str = "none"  #: "required" or "none"
    example: str = "Title"  #: the argument in "write ':::{name} Title'"
    argument: Callable | None = None  #: (directive, argument) -> props, instead of a title
    check: Callable | None = None  #: (directive, node) -> None; raises directive.error
    parents: tuple[str, ...] = ()  #: it sits directly in one of these components
    children: tuple[str, ...] = ()  #: it holds only these components
    not_within: tuple[str, ...] = ()  #: no ancestor is one of these components
    kind: str = "block"  #: "block", "callout" or "role"
    role: type | None = None  #: the role class of an inline component
    node_class: type | None = None  #: for callouts and roles; blocks get ``nodes.<tagname>``

    @property
    def tagname(self) -> str:
        return self.name.removeprefix("mint-").replace("-", "_")

    @cached_property
    def node(self) -> type:
        return self.node_class or mn.block(self.tagname, self.jsx)

    def make(self):
        """The directive class, or the role object, Sphinx registers under ``name``."""
        if self.kind == "role":
            return self.role()
        base = d.CalloutDirective if self.kind == "callout" else d.ComponentDirective
        return base.for_spec(self)


ICON = {"icon": Option("icon")}
FIELD = {"type": Option("type"), "required": Option("required", d.flag),
         "default": Option("default", d.optional_text), "deprecated": Option("deprecated", d.flag)}
CLOSE_DIV = html.close("</div>")

COMPONENTS: tuple[Component, ...] = (
    Component("mint-accordion-group", "AccordionGroup", (html.visit_accordion_group, CLOSE_DIV),
              children=("mint-accordion",)),
    Component("mint-accordion", "Accordion", (html.visit_accordion, html.close("</div></details>")),
              title="required", not_within=("mint-accordion",),
              options={**ICON, "default-open": Option("defaultOpen", d.flag),
                       "description": Option("description")}),
    Component("mint-card-group", "CardGroup", (html.visit_card_group, html.close("</div></div>")),
              options={"cols": Option("cols", d.cols)}, children=("mint-card",)),
    Component("mint-card", "Card", (html.visit_card, html.depart_card), title="required",
              options={**ICON, "href": Option("href"), "horizontal": Option("horizontal", d.flag),
                       "color": Option("color", d.hex_color)}, check=d.check_card),
    Component("mint-steps", "Steps", (html.visit_steps, html.close("</ol>")),
              children=("mint-step",)),
    Component("mint-step", "Step", (html.visit_step, html.close("</div></li>")), title="required",
              options=ICON, parents=("mint-steps",)),
    Component("mint-tabs", "Tabs", (html.visit_tabs, None), children=("mint-tab",)),
    Component("mint-tab", "Tab", (html.skip, None), title="required", options=ICON,
              parents=("mint-tabs",)),
    Component("mint-code-group", "CodeGroup", (html.visit_code_group, None)),
    Component("mint-param-field", "ParamField", (html.visit_field, html.close("</div></div>")),
              title="required", argument=d.location_and_name,
              example="query limit",
              options={**FIELD, "placeholder": Option("placeholder", d.optional_text)}),
    Component("mint-response-field", "ResponseField",
              (html.visit_field, html.close("</div></div>")), title="required",
              argument=d.field_name, example="field_name", options=FIELD),
    Component("mint-expandable", "Expandable",
              (html.visit_expandable, html.close("</div></details>")), title="required",
              options={"default-open": Option("defaultOpen", d.flag)}),
    Component("mint-request-example", "RequestExample", (html.visit_example, None)),
    Component("mint-response-example", "ResponseExample", (html.visit_example, None)),
    Component("mint-frame", "Frame", (html.visit_frame, html.depart_frame),
              options={"caption": Option("caption")}),
    Component("mint-info", "Info", (html.visit_callout, CLOSE_DIV),
              (mdx.visit_callout, mdx.depart_callout), kind="callout", node_class=mn.callout),
    Component("mint-check", "Check", (html.visit_callout, CLOSE_DIV),
              (mdx.visit_callout, mdx.depart_callout), kind="callout", node_class=mn.callout),
    Component("badge", "Badge", (html.visit_badge, html.close("</span>")),
              (mdx.visit_inline, mdx.depart_badge), kind="role",
              role=roles.BadgeRole, node_class=mn.badge),
    Component("tooltip", "Tooltip", (html.visit_tooltip, html.close("</span>")),
              (mdx.visit_inline, mdx.depart_tooltip), kind="role",
              role=roles.TooltipRole, node_class=mn.tooltip),
    Component("icon", "Icon", (html.visit_icon, None), (mdx.visit_icon, None), kind="role",
              role=roles.IconRole, node_class=mn.icon),
)
BY_NAME = {spec.name: spec for spec in COMPONENTS}
BY_TAG = {spec.tagname: spec for spec in COMPONENTS if spec.kind == "block"}
for _spec in COMPONENTS:
    _spec.node  # noqa: B018 -- make every block node class now (doctrees unpickle them)


def spec_of(node) -> Component | None:
    """The block component ``node`` is, or None."""
    return BY_TAG.get(node.tagname) if isinstance(node, mn.component) else None


def name_of(node) -> str | None:
    """The directive name of the block component ``node`` is, or None."""
    spec = spec_of(node)
    return spec.name if spec else None


def visitors() -> dict[type, tuple[tuple, tuple]]:
    """Node class -> (HTML visitors, MDX visitors), the component title included."""
    table = {spec.node: (spec.html, spec.mdx) for spec in COMPONENTS}
    table[mn.component_title] = ((html.skip, None), (mdx.skip, None))
    return table
