"""Directive machinery for the registry: option converters, validation hooks, and the generic
directives a :class:`registry.Component` is turned into. They only build neutral nodes."""
from __future__ import annotations

import posixpath
import re

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from . import nodes as mn

LOCATIONS = ("path", "query", "body", "header")
SAFE_URL = re.compile(r"^(https?://|mailto:)", re.I)

# -- option converters (docutils style: raise ValueError with what to write) -----------------
text = directives.unchanged_required
optional_text = directives.unchanged


def flag(value):
    return directives.flag(value) if value else True


def cols(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"cols must be a whole number from 1 to 4, not {value!r}") from None
    if not 1 <= number <= 4:
        raise ValueError(f"cols must be from 1 to 4, not {number}: write ':cols: 2'")
    return number


def hex_color(value: str) -> str:
    value = directives.unchanged_required(value).strip()
    if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}", value):
        raise ValueError(f"color must be a hex code such as '#16A34A', not {value!r}")
    return value


# -- validation hooks: (directive, node) -> None, raising directive.error ----------------------
def check_card(self, node) -> None:
    """The colour is the icon's; an href is a page of this site or a safe URL."""
    if "color" in node.props and "icon" not in node.props:
        raise self.error("card :color: colours its icon (Mintlify): add ':icon: NAME' or "
                         "drop ':color:'")
    href = node.props.get("href")
    if href is None or SAFE_URL.match(href):
        return
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
        raise self.error(
            f"card href {href!r} has an unsafe scheme: use a page of this site "
            "('/working/managing-sources') or an http(s):// or mailto: URL")
    path, _, anchor = href.partition("#")
    path = re.sub(r"\.(md|rst|html|mdx)$", "", path)
    if path.startswith("/"):
        target = path.strip("/")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.env.docname), path))
    del node.props["href"]
    node["target_doc"] = target or self.config.root_doc
    node["target_anchor"] = anchor


# -- argument hooks: (directive, argument) -> the props it stands for (instead of a title) ----
def location_and_name(self, argument: str) -> dict:
    where, _, name = argument.partition(" ")
    if where not in LOCATIONS or not name.strip():
        raise self.error(f"{self.name} argument {argument!r} must be a location "
                         f"({', '.join(LOCATIONS)}) and a name: write {self.example()}")
    return {where: name.strip()}


def field_name(self, argument: str) -> dict:
    return {"name": argument}


# -- the directives ----------------------------------------------------------------------------
class ComponentDirective(SphinxDirective):
    """A block component; ``spec`` (a ``registry.Component``) says everything about it."""

    spec = None
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    @classmethod
    def for_spec(cls, spec) -> type:
        options = {name: option.convert for name, option in spec.options.items()}
        return type(f"{spec.jsx}Directive", (cls,), {
            "spec": spec, "option_spec": {"class": directives.class_option, **options}})

    def example(self) -> str:
        arg = f" {self.spec.example}" if self.spec.title == "required" else ""
        return f"':::{{{self.name}}}{arg}' followed by its content and ':::'"

    def run(self) -> list[nodes.Node]:
        spec = self.spec
        node = spec.node()
        self.set_source_info(node)
        node["classes"] += self.options.get("class", [])
        if spec.title == "none" and self.arguments:
            raise self.error(
                f"{self.name} takes no title; move {self.arguments[0]!r} into its content")
        if spec.title == "required" and not self.arguments:
            raise self.error(f"{self.name} needs a title: write {self.example()}")
        if not self.content or not "".join(self.content).strip():
            raise self.error(f"{self.name} is empty: put text or a code block inside it")
        lead = spec.argument(self, self.arguments[0]) if spec.argument else {}
        for name, option in spec.options.items():
            if name in self.options:
                node.props[option.prop] = self.options[name]
        if spec.check:
            spec.check(self, node)
        if lead:
            node["props"] = {**lead, **node.props}
        elif self.arguments:
            title = mn.component_title(self.arguments[0], "")
            inline, messages = self.parse_inline(self.arguments[0], lineno=self.lineno)
            title.extend(inline)
            node += title
            node.extend(messages)
        node.extend(self.parse_content_to_nodes(allow_section_headings=False))
        return [node]


class CalloutDirective(SphinxDirective):
    """``mint-info`` and ``mint-check``; tip/note/warning/danger are docutils' admonitions."""

    spec = None
    has_content = True
    option_spec = {"class": directives.class_option}

    @classmethod
    def for_spec(cls, spec) -> type:
        return type(f"{spec.jsx}Directive", (cls,), {"spec": spec})

    def run(self):
        if not "".join(self.content).strip():
            raise self.error(f"{self.name} is empty: put text inside it")
        node = self.spec.node(kind=self.name.removeprefix("mint-"))
        self.set_source_info(node)
        node.extend(self.parse_content_to_nodes())
        return [node]
