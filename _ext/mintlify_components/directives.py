"""Directives for Mintlify's components. They only build neutral nodes (see ``nodes``)."""
from __future__ import annotations

import posixpath
import re

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from . import nodes as mn

LOCATIONS = ("path", "query", "body", "header")


def _flag(value):
    return directives.flag(value) if value else True


class ComponentDirective(SphinxDirective):
    """A component with children. ``props`` maps an option name to (Mintlify prop, converter)."""

    node_class: type = mn.component
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    title = "none"  # "required", "optional" or "none"
    props: dict = {}

    @classmethod
    def make_option_spec(cls):
        return {name: conv for name, (_, conv) in cls.props.items()}

    def example(self) -> str:
        arg = " Title" if self.title == "required" else ""
        return f"':::{{{self.name}}}{arg}' followed by its content and ':::'"

    def run(self) -> list[nodes.Node]:
        node = self.node_class()
        self.set_source_info(node)
        node["classes"] += self.options.get("class", [])
        if self.title == "none" and self.arguments:
            raise self.error(
                f"{self.name} takes no title; move {self.arguments[0]!r} into its content"
            )
        if self.title == "required" and not self.arguments:
            raise self.error(f"{self.name} needs a title: write {self.example()}")
        if not self.content or not "".join(self.content).strip():
            raise self.error(f"{self.name} is empty: put text or a code block inside it")
        for name, (prop, _) in self.props.items():
            if name in self.options:
                node.props[prop] = self.options[name]
        self.check(node)
        if self.arguments:
            title = mn.component_title(self.arguments[0], "")
            inline, messages = self.parse_inline(self.arguments[0], lineno=self.lineno)
            title.extend(inline)
            node += title
            node.extend(messages)
        node.extend(self.parse_content_to_nodes(allow_section_headings=False))
        return [node]

    def check(self, node) -> None:
        """Validate options; raise ``self.error`` with what to write instead."""


def _cols(value: str) -> int:
    try:
        cols = int(value)
    except ValueError:
        raise ValueError(f"cols must be a whole number from 1 to 4, not {value!r}") from None
    if not 1 <= cols <= 4:
        raise ValueError(f"cols must be from 1 to 4, not {cols}: write ':cols: 2'")
    return cols


class AccordionGroup(ComponentDirective):
    node_class = mn.accordion_group


class Accordion(ComponentDirective):
    node_class = mn.accordion
    title = "required"
    props = {"icon": ("icon", directives.unchanged_required),
             "default-open": ("defaultOpen", _flag),
             "description": ("description", directives.unchanged_required)}


class CardGroup(ComponentDirective):
    node_class = mn.card_group
    props = {"cols": ("cols", _cols)}


SAFE_URL = re.compile(r"^(https?://|mailto:)", re.I)


def _hex_color(value: str) -> str:
    value = directives.unchanged_required(value).strip()
    if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}", value):
        raise ValueError(f"color must be a hex code such as '#16A34A', not {value!r}")
    return value


class Card(ComponentDirective):
    node_class = mn.card
    title = "required"
    props = {"icon": ("icon", directives.unchanged_required),
             "href": ("href", directives.unchanged_required),
             "horizontal": ("horizontal", _flag),
             "color": ("color", _hex_color)}

    def check(self, node) -> None:
        if "color" in node.props and "icon" not in node.props:
            raise self.error("card :color: colours its icon (Mintlify): add ':icon: NAME' or "
                             "drop ':color:'")
        href = node.props.get("href")
        if href is None:
            return
        if SAFE_URL.match(href):
            return
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            raise self.error(
                f"card href {href!r} has an unsafe scheme: use a page of this site "
                "('/working/managing-sources') or an http(s):// or mailto: URL"
            )
        path, _, anchor = href.partition("#")
        path = re.sub(r"\.(md|rst|html|mdx)$", "", path)
        if path.startswith("/"):
            target = path.strip("/")
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(self.env.docname), path))
        del node.props["href"]
        node["target_doc"] = target or self.config.root_doc
        node["target_anchor"] = anchor


class Steps(ComponentDirective):
    node_class = mn.steps


class Step(ComponentDirective):
    node_class = mn.step
    title = "required"
    props = {"icon": ("icon", directives.unchanged_required)}


class Tabs(ComponentDirective):
    node_class = mn.tabs


class Tab(ComponentDirective):
    node_class = mn.tab
    title = "required"
    props = {"icon": ("icon", directives.unchanged_required)}


class CodeGroup(ComponentDirective):
    node_class = mn.code_group


class RequestExample(ComponentDirective):
    node_class = mn.request_example


class ResponseExample(ComponentDirective):
    node_class = mn.response_example


class Frame(ComponentDirective):
    node_class = mn.frame
    props = {"caption": ("caption", directives.unchanged_required)}


class Expandable(ComponentDirective):
    node_class = mn.expandable
    title = "required"
    props = {"default-open": ("defaultOpen", _flag)}


_FIELD_PROPS = {"type": ("type", directives.unchanged_required),
                "required": ("required", _flag),
                "default": ("default", directives.unchanged),
                "deprecated": ("deprecated", _flag)}


class ParamField(ComponentDirective):
    """``:::{mint-param-field} query limit``: the location and the parameter's name."""

    node_class = mn.param_field
    title = "required"
    props = {**_FIELD_PROPS, "placeholder": ("placeholder", directives.unchanged)}

    def example(self) -> str:
        return f"':::{{{self.name}}} query limit' (location one of {', '.join(LOCATIONS)})"

    def run(self):
        if self.arguments:
            where, _, name = self.arguments[0].partition(" ")
            if where not in LOCATIONS or not name.strip():
                raise self.error(
                    f"{self.name} argument {self.arguments[0]!r} must be a location and a name: "
                    f"write {self.example()}"
                )
        [node] = super().run()
        node["props"] = {where: name.strip(), **node.props}
        node.remove(node.title_node())
        return [node]


class ResponseField(ComponentDirective):
    node_class = mn.response_field
    title = "required"
    props = dict(_FIELD_PROPS)

    def example(self) -> str:
        return f"':::{{{self.name}}} field_name'"

    def run(self):
        [node] = super().run()
        node["props"] = {"name": self.arguments[0], **node.props}
        node.remove(node.title_node())
        return [node]


class Callout(SphinxDirective):
    """``info`` and ``check``; tip/note/warning/danger are docutils' own admonitions."""

    has_content = True
    option_spec = {"class": directives.class_option}

    def run(self):
        if not "".join(self.content).strip():
            raise self.error(f"{self.name} is empty: put text inside it")
        node = mn.callout(kind=self.name.removeprefix("mint-"))
        self.set_source_info(node)
        node.extend(self.parse_content_to_nodes())
        return [node]


DIRECTIVES = {
    "mint-accordion-group": AccordionGroup, "mint-accordion": Accordion,
    "mint-card-group": CardGroup, "mint-card": Card, "mint-steps": Steps, "mint-step": Step,
    "mint-tabs": Tabs, "mint-tab": Tab, "mint-code-group": CodeGroup,
    "mint-param-field": ParamField, "mint-response-field": ResponseField, "mint-expandable": Expandable,
    "mint-request-example": RequestExample, "mint-response-example": ResponseExample, "mint-frame": Frame,
    "mint-info": Callout, "mint-check": Callout,
}

for _cls in DIRECTIVES.values():
    if issubclass(_cls, ComponentDirective):
        _cls.option_spec = {"class": directives.class_option, **_cls.make_option_spec()}
