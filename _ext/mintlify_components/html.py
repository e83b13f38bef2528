"""HTML renderers (the registry's hooks): sphinx-design markup for accordions, cards, grids and
tabs; our CSS for the rest."""
from __future__ import annotations

from docutils import nodes
from sphinx_design.icons import get_octicon

from . import nodes as mn
from .icons import icon_svg

CALLOUT_TITLES = {"info": "Info", "check": "Check"}


def render(self, node: nodes.Node) -> str:
    """Render one subtree to a string with this translator."""
    saved, self.body = self.body, []
    try:
        node.walkabout(self)
        return "".join(self.body)
    finally:
        self.body = saved


def render_title(self, node: mn.component) -> str:
    title = node.title_node()
    return "".join(render(self, child) for child in title.children) if title else ""


def icon_html(self, node, name: str | None) -> str:
    if not name:
        return ""
    return icon_svg(name) or ""  # an unknown name is warned in both builders (checks.CheckIcons)


def next_id(self, prefix: str) -> str:
    count = getattr(self, "_spark_ids", 0) + 1
    self._spark_ids = count
    return f"spark-{prefix}-{count}"


def skip(self, node):
    raise nodes.SkipNode


def close(tag: str):
    def depart(self, node):
        self.body.append(tag)
    return depart


def visit_accordion_group(self, node):
    self.body.append(self.starttag(node, "div", CLASS="spark-accordion-group"))


def visit_accordion(self, node):
    attrs = {"open": "open"} if node.props.get("defaultOpen") else {}
    self.body.append(self.starttag(
        node, "details", CLASS="sd-sphinx-override sd-dropdown sd-card sd-mb-3 spark-accordion",
        **attrs))
    chevron = get_octicon("chevron-right", height="1.5em")
    icon = icon_html(self, node, node.props.get("icon"))
    icon = f'<span class="sd-summary-icon">{icon}</span>' if icon else ""
    description = node.props.get("description")
    description = (f'<br><small class="sd-text-muted spark-accordion-description">'
                   f'{self.encode(description)}</small>' if description else "")
    self.body.append(
        f'<summary class="sd-summary-title sd-card-header">{icon}'
        f'<span class="sd-summary-text">{render_title(self, node)}{description}</span>'
        f'<span class="sd-summary-state-marker sd-summary-chevron-right">{chevron}</span>'
        '</summary><div class="sd-summary-content sd-card-body docutils">')


def visit_card_group(self, node):
    cols = node.props.get("cols", 2)
    self.body.append(self.starttag(node, "div", CLASS="sd-container-fluid sd-sphinx-override "
                                   "sd-mb-4 docutils spark-card-group"))
    self.body.append(f'<div class="sd-row sd-row-cols-1 sd-row-cols-sm-{min(cols, 2)} '
                     f'sd-row-cols-md-{cols} sd-row-cols-lg-{cols} sd-g-3 sd-g-xs-3">')


def visit_card(self, node):
    in_group = node.parent.tagname == "card_group"
    if in_group:
        self.body.append('<div class="sd-col sd-d-flex-row">')
    link = node.get("refuri") or node.props.get("href")
    classes = "sd-card sd-sphinx-override sd-mb-3 sd-shadow-sm spark-card"
    classes += " sd-card-hover" if link else ""
    classes += " sd-w-100" if in_group else ""
    classes += " spark-card-horizontal" if node.props.get("horizontal") else ""
    self.body.append(self.starttag(node, "div", CLASS=classes))
    self.body.append('<div class="sd-card-body">')
    icon = icon_html(self, node, node.props.get("icon"))
    if icon:
        color = node.props.get("color")  # Mintlify colours the icon (a hex code, checked)
        style = f' style="color: {color}"' if color else ""
        self.body.append(f'<div class="spark-card-icon"{style}>{icon}</div>')
    title = render_title(self, node)
    self.body.append(f'<div class="sd-card-title sd-font-weight-bold">{title}</div>')
    node["_html_link"] = link


def depart_card(self, node):
    self.body.append("</div>")
    link = node.get("_html_link")
    if link:
        self.body.append(f'<a class="sd-stretched-link" href="{self.attval(link)}">'
                         f'<span class="sd-visually-hidden">'
                         f'{self.encode(node.title_node().astext())}</span></a>')
    self.body.append("</div>")
    if node.parent.tagname == "card_group":
        self.body.append("</div>")


def visit_steps(self, node):
    self.body.append(self.starttag(node, "ol", CLASS="sd-steps spark-steps", role="list"))


def visit_step(self, node):
    self.body.append(self.starttag(node, "li", CLASS="sd-step"))
    icon = icon_html(self, node, node.props.get("icon"))
    self.body.append(f'<p class="rubric sd-step-title">{icon}{render_title(self, node)}</p>'
                     '<div class="sd-step-content docutils">')


def _tab_set(self, node, panes):
    """Write a sphinx-design tab set: one radio input, label and content div per pane."""
    group = next_id(self, "tabs")
    self.body.append(self.starttag(node, "div", CLASS="sd-tab-set docutils"))
    for index, (label, content) in enumerate(panes):
        pane = f"{group}-{index}"
        checked = ' checked="checked"' if index == 0 else ""
        self.body.append(
            f'<input{checked} id="{pane}" name="{group}" type="radio">'
            f'<label class="sd-tab-label" for="{pane}">{label}</label>'
            f'<div class="sd-tab-content docutils">{content}</div>')
    self.body.append("</div>")


def visit_tabs(self, node):
    panes = [(icon_html(self, tab, tab.props.get("icon")) + render_title(self, tab),
              "".join(render(self, c) for c in tab.children
                      if not isinstance(c, mn.component_title)))
             for tab in node.children if tab.tagname == "tab"]
    _tab_set(self, node, panes)
    raise nodes.SkipNode


def code_label(block: nodes.Element) -> str:
    captions = list(block.findall(nodes.caption))
    if captions:
        return captions[0].astext()
    literal = next(iter(block.findall(nodes.literal_block)), None)
    return (literal.get("language") or "code") if literal is not None else "code"


def code_only(block: nodes.Element) -> nodes.Element:
    """The literal block of a captioned code block (its caption becomes the tab label)."""
    if isinstance(block, nodes.container) and block.get("literal_block"):
        return next(iter(block.findall(nodes.literal_block)))
    return block


def visit_code_group(self, node):
    panes = [(self.encode(code_label(child)), render(self, code_only(child)))
             for child in node.children if not isinstance(child, nodes.system_message)]
    _tab_set(self, node, panes)
    raise nodes.SkipNode


def visit_example(self, node):
    kind = node.tagname.removesuffix("_example")
    self.body.append(f'<div class="spark-example spark-{kind}-example">'
                     f'<p class="spark-example-label">{kind.title()}</p>')
    try:
        visit_code_group(self, node)
    finally:
        self.body.append("</div>")


def visit_field(self, node):
    props = dict(node.props)
    if node.tagname == "param_field":
        where = next(k for k in ("path", "query", "body", "header") if k in props)
        name, tag = props.pop(where), where
    else:
        name, tag = props.pop("name"), ""
    parts = [f'<code class="spark-field-name">{self.encode(name)}</code>']
    if props.get("type"):
        parts.append(f'<span class="spark-field-type">{self.encode(props["type"])}</span>')
    if tag:
        parts.append(f'<span class="spark-field-location">{tag}</span>')
    if props.get("required"):
        parts.append('<span class="spark-field-required">required</span>')
    if props.get("deprecated"):
        parts.append('<span class="spark-field-deprecated">deprecated</span>')
    if props.get("placeholder"):  # Mintlify's playground shows it in the empty input
        parts.append(f'<span class="spark-field-placeholder">e.g. '
                     f'<code>{self.encode(props["placeholder"])}</code></span>')
    if props.get("default") not in (None, ""):
        parts.append(f'<span class="spark-field-default">default: '
                     f'<code>{self.encode(str(props["default"]))}</code></span>')
    self.body.append(self.starttag(node, "div", CLASS="spark-field"))
    self.body.append(f'<p class="spark-field-head">{" ".join(parts)}</p>'
                     '<div class="spark-field-body">')


def visit_expandable(self, node):
    attrs = {"open": "open"} if node.props.get("defaultOpen") else {}
    self.body.append(self.starttag(node, "details", CLASS="spark-expandable", **attrs))
    self.body.append(f"<summary>{render_title(self, node)}</summary><div>")


def visit_frame(self, node):
    self.body.append(self.starttag(node, "figure", CLASS="spark-frame"))


def depart_frame(self, node):
    caption = node.props.get("caption")
    if caption:
        self.body.append(f"<figcaption>{self.encode(caption)}</figcaption>")
    self.body.append("</figure>")


def visit_callout(self, node):
    kind = node["kind"]
    self.body.append(self.starttag(node, "div", CLASS=f"admonition {kind}"))
    self.body.append(f'<p class="admonition-title">{CALLOUT_TITLES[kind]}</p>')


def visit_badge(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="sd-badge spark-badge"))


def visit_tooltip(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="spark-tooltip", title=node["tip"],
                                   tabindex="0"))


def visit_icon(self, node):
    self.body.append(icon_html(self, node, node["icon"]))
    raise nodes.SkipNode
