"""Doctree → Mintlify MDX. The builder owns files and URIs; this owns the text.

Output is assembled in nested buffers: a block node pushes a buffer on visit and, on depart,
pops it and adds the finished block to its parent. Inline nodes write into the current buffer.
Every piece of text goes through :mod:`.escape`.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxTranslator

from . import escape as esc
from .anchors import labelled_ids

logger = logging.getLogger(__name__)

CALLOUTS = {
    "note": "Note", "tip": "Tip", "hint": "Tip", "important": "Info", "seealso": "Info",
    "warning": "Warning", "caution": "Warning", "attention": "Warning",
    "danger": "Danger", "error": "Danger", "admonition": "Note",
}
LANGUAGE_ALIASES = {"default": "text", "none": "text", "python3": "python", "pycon": "python",
                    "shell": "bash", "sh": "bash", "console": "bash", "ipython3": "python"}


class Buffer:
    """Finished blocks plus the inline run being written."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.inline: list[str] = []

    def flush(self) -> None:
        text = "".join(self.inline).strip()
        if text:
            self.blocks.append(esc.paragraph_start(text))
        self.inline = []

    def text(self, sep: str = "\n\n") -> str:
        self.flush()
        return sep.join(b for b in self.blocks if b.strip())


def indent(text: str, prefix: str, first: str | None = None) -> str:
    lines = text.split("\n")
    head = (first if first is not None else prefix) + lines[0]
    return "\n".join([head] + [prefix + line if line.strip() else "" for line in lines[1:]])


class MdxTranslator(SphinxTranslator):
    def __init__(self, document: nodes.document, builder) -> None:
        super().__init__(document, builder)
        self.buffers = [Buffer()]
        self.section_level = 0
        self.in_table = False
        self.page_title: str | None = None
        self.body = ""

    def dispatch_visit(self, node: nodes.Node) -> None:
        """Visit ``node``; a labelled block gets a ``<span id>`` where it starts (``anchors``)."""
        spans = [self.jsx("span", {"id": ident}) for ident in labelled_ids(node)]
        if isinstance(node, nodes.list_item):
            super().dispatch_visit(node)  # pushes the item's buffer: the span goes inside
            for span in spans:
                self.add_block(span)
            return
        for span in spans:
            self.add_block(span)
        super().dispatch_visit(node)

    # -- buffers ----------------------------------------------------------------------------
    def push(self) -> None:
        self.buffers.append(Buffer())

    def pop(self, sep: str = "\n\n") -> str:
        return self.buffers.pop().text(sep)

    def add_block(self, text: str) -> None:
        buf = self.buffers[-1]
        buf.flush()
        buf.blocks.append(text)

    def add_inline(self, text: str) -> None:
        self.buffers[-1].inline.append(text)

    def render_children(self, node: nodes.Element) -> str:
        """Render a node's children as blocks, returning the MDX (used for titles and cells)."""
        self.push()
        for child in node.children:
            child.walkabout(self)
        return self.pop()

    def render_inline(self, node: nodes.Element) -> str:
        return " ".join(self.render_children(node).split("\n\n"))

    def jsx(self, tag: str, props: dict, content: str = "", inline: bool = False) -> str:
        """A JSX element. String props are quoted; numbers and False become expressions."""
        attrs = []
        for key, value in props.items():
            if value is True:
                attrs.append(key)
            elif value is False or isinstance(value, int):
                attrs.append(f"{key}={{{str(value).lower() if isinstance(value, bool) else value}}}")
            elif value is not None:
                attrs.append(f"{key}={esc.attr(str(value))}")
        head = " ".join([tag] + attrs)
        if not content.strip():
            return f"<{head} />"
        if inline:
            return f"<{head}>{content.strip()}</{tag}>"
        return f"<{head}>\n\n{content}\n\n</{tag}>"

    # -- document ---------------------------------------------------------------------------
    def visit_document(self, node) -> None:
        pass

    def depart_document(self, node) -> None:
        # a page cut from another (an API operation) brings its own frontmatter
        cut = self.document.get("mdx_frontmatter")
        meta = cut or dict(self.builder.env.metadata.get(self.builder.current_docname, {}))
        # a cut page is titled by its cutter (an operation's summary), not by the heading it kept
        front = {"title": (cut or {}).get("title") or self.page_title or meta.get("title")}
        for key in ("description", "sidebarTitle", "icon", "openapi"):
            if meta.get(key):
                front[key] = str(meta[key])
        lines = ["---"] + [f"{k}: {esc.yaml_string(v)}" for k, v in front.items() if v] + ["---"]
        self.body = "\n".join(lines) + "\n\n" + self.pop() + "\n"

    def unknown_visit(self, node: nodes.Node) -> None:
        logger.warning("MDX: no rendering for node %r; its children are kept", node.tagname,
                       location=node, type="mdx", subtype="unknown_node")

    def unknown_departure(self, node: nodes.Node) -> None:
        pass

    def skip(self, node) -> None:
        raise nodes.SkipNode

    visit_comment = visit_substitution_definition = visit_index = visit_meta = skip
    visit_system_message = visit_pending_xref_condition = visit_target = skip
    visit_highlightlang = visit_tabular_col_spec = skip

    def pass_through(self, node) -> None:
        pass

    visit_compound = visit_inline = visit_container = visit_legend = pass_through
    visit_abbreviation = visit_problematic = visit_generated = visit_desc_inline = pass_through
    depart_compound = depart_inline = depart_container = depart_legend = pass_through
    depart_abbreviation = depart_problematic = depart_generated = depart_desc_inline = pass_through

    # -- sections and headings -------------------------------------------------------------
    def visit_section(self, node) -> None:
        self.section_level += 1

    def depart_section(self, node) -> None:
        self.section_level -= 1

    def visit_title(self, node) -> None:
        self.push()

    def depart_title(self, node) -> None:
        text = self.pop().replace("\n\n", " ")
        parent = node.parent
        if isinstance(parent, nodes.section):
            if self.section_level == 1 and self.page_title is None:
                self.page_title = node.astext()
                return
            level = min(max(self.section_level, 2), 6)
            ident = esc.anchor(parent["ids"][0]) if parent["ids"] else ""
            anchor = f" {{#{ident}}}" if ident else ""
            self.add_block(f"{'#' * level} {text}{anchor}")
        else:  # titles of tables, admonitions, topics and sidebars
            self.add_block(f"**{text}**")

    def visit_subtitle(self, node) -> None:
        self.push()

    def depart_subtitle(self, node) -> None:
        self.add_block(f"**{self.pop()}**")

    visit_rubric, depart_rubric = visit_subtitle, depart_subtitle

    # -- paragraphs and inline --------------------------------------------------------------
    def visit_paragraph(self, node) -> None:
        self.push()

    def depart_paragraph(self, node) -> None:
        self.add_block(self.pop())

    def visit_Text(self, node) -> None:
        self.add_inline(esc.text(node.astext(), line_start=False))

    def depart_Text(self, node) -> None:
        pass

    def visit_emphasis(self, node) -> None:
        self.push()

    def depart_emphasis(self, node) -> None:
        self._emit_wrapped("*")

    def visit_strong(self, node) -> None:
        self.push()

    def depart_strong(self, node) -> None:
        self._emit_wrapped("**")

    visit_title_reference, depart_title_reference = visit_emphasis, depart_emphasis

    def _emit_wrapped(self, mark: str) -> None:
        buf = self.buffers.pop()
        inner = "".join(buf.inline) + "".join(buf.blocks)
        if inner.strip():
            lead = " " if inner[:1].isspace() else ""
            trail = " " if inner[-1:].isspace() else ""
            self.add_inline(f"{lead}{mark}{inner.strip()}{mark}{trail}")

    def visit_literal(self, node) -> None:
        self.add_inline(esc.code_span(node.astext(), in_table=self.in_table))
        raise nodes.SkipNode

    def visit_subscript(self, node) -> None:
        self.add_inline("<sub>")

    def depart_subscript(self, node) -> None:
        self.add_inline("</sub>")

    def visit_superscript(self, node) -> None:
        self.add_inline("<sup>")

    def depart_superscript(self, node) -> None:
        self.add_inline("</sup>")

    def visit_reference(self, node) -> None:
        self.push()

    def depart_reference(self, node) -> None:
        buf = self.buffers.pop()
        label = ("".join(buf.inline) + " ".join(buf.blocks)).strip()
        if "refuri" in node:
            url = self.builder.canonical_anchor(node["refuri"])
        elif "refid" in node:
            url = self.builder.canonical_anchor("#" + node["refid"])
        else:
            self.add_inline(label)
            return
        self.add_inline(f"[{label or esc.text(url)}]({esc.link_url(url)})")

    def visit_download_reference(self, node) -> None:
        self.push()

    def depart_download_reference(self, node) -> None:
        label = self.pop().strip()
        url = self.builder.download_uri(node)
        self.add_inline(f"[{label}]({esc.link_url(url)})" if url else label)

    def visit_footnote_reference(self, node) -> None:
        self.add_inline(f"[^{node['refid']}]")
        raise nodes.SkipNode

    visit_citation_reference = visit_footnote_reference

    def visit_footnote(self, node) -> None:
        self.push()

    def depart_footnote(self, node) -> None:
        content = self.pop()
        self.add_block(indent(content, "    ", first=f"[^{node['ids'][0]}]: "))

    visit_citation, depart_citation = visit_footnote, depart_footnote

    def visit_label(self, node) -> None:
        raise nodes.SkipNode

    def visit_math(self, node) -> None:
        self.add_inline(esc.math_inline(node.astext(), in_table=self.in_table))
        raise nodes.SkipNode

    def visit_math_block(self, node) -> None:
        self.add_block(esc.math_block(node.astext()))
        raise nodes.SkipNode

    # -- lists ------------------------------------------------------------------------------
    def visit_bullet_list(self, node) -> None:
        self.push()

    def depart_bullet_list(self, node) -> None:
        buf = self.buffers.pop()
        buf.flush()
        loose = any("\n\n" in item for item in buf.blocks)
        self.add_block(("\n\n" if loose else "\n").join(buf.blocks))

    visit_enumerated_list, depart_enumerated_list = visit_bullet_list, depart_bullet_list

    def visit_list_item(self, node) -> None:
        self.push()

    def depart_list_item(self, node) -> None:
        # a paragraph followed only by sub-lists stays tight: "- a\n  - b"
        tight = all(isinstance(c, (nodes.bullet_list, nodes.enumerated_list))
                    for c in node.children[1:])
        content = self.pop("\n" if tight else "\n\n") or "\u200b"
        parent = node.parent
        if isinstance(parent, nodes.enumerated_list):
            number = parent.get("start", 1) + parent.index(node)
            marker = f"{number}. "
        else:
            marker = "- "
        self.add_block(indent(content, " " * len(marker), first=marker))

    def visit_definition_list(self, node) -> None:
        pass

    def depart_definition_list(self, node) -> None:
        pass

    def visit_definition_list_item(self, node) -> None:
        pass

    def depart_definition_list_item(self, node) -> None:
        pass

    def visit_term(self, node) -> None:
        self.push()

    def depart_term(self, node) -> None:
        self.add_block(f"**{self.pop().strip()}**")

    def visit_classifier(self, node) -> None:
        self.add_inline(" : ")

    def depart_classifier(self, node) -> None:
        pass

    def visit_definition(self, node) -> None:
        self.push()

    def depart_definition(self, node) -> None:
        self.add_block(indent(self.pop(), "  "))

    def visit_field_list(self, node) -> None:
        pass

    def depart_field_list(self, node) -> None:
        pass

    visit_field = depart_field = visit_field_list
    visit_field_name, depart_field_name = visit_term, depart_term
    visit_field_body, depart_field_body = visit_definition, depart_definition

    def visit_option_list(self, node) -> None:
        self.push()

    def depart_option_list(self, node) -> None:
        self.add_block(self.pop("\n"))

    def visit_option_list_item(self, node) -> None:
        options = ", ".join(esc.code_span(g.astext()) for g in node.findall(nodes.option_group))
        desc = node.next_node(nodes.description)
        body = self.render_inline(desc) if desc else ""
        self.add_block(f"- {options}: {body}")
        raise nodes.SkipNode

    def visit_line_block(self, node) -> None:
        self.push()

    def depart_line_block(self, node) -> None:
        self.add_block(self.pop("<br />\n"))

    def visit_line(self, node) -> None:
        self.push()

    def depart_line(self, node) -> None:
        self.add_block(self.pop() or "\u200b")

    def visit_block_quote(self, node) -> None:
        self.push()

    def depart_block_quote(self, node) -> None:
        self.add_block("\n".join("> " + line if line else ">" for line in self.pop().split("\n")))

    def visit_attribution(self, node) -> None:
        self.push()

    def depart_attribution(self, node) -> None:
        self.add_block("— " + self.pop())

    def visit_transition(self, node) -> None:
        self.add_block("---")
        raise nodes.SkipNode

    def visit_topic(self, node) -> None:
        pass

    def depart_topic(self, node) -> None:
        pass

    visit_sidebar = depart_sidebar = visit_topic

    # -- admonitions ------------------------------------------------------------------------
    def visit_Admonition(self, node) -> None:
        self.push()

    def depart_Admonition(self, node) -> None:
        tag = CALLOUTS.get(node.tagname, "Note")
        self.add_block(self.jsx(tag, {}, self.pop()))

    # -- code -------------------------------------------------------------------------------
    def code_fence(self, code: str, language: str, title: str = "") -> str:
        language = LANGUAGE_ALIASES.get(language, language) or "text"
        meta = f" {esc.code_title(title)}" if title.strip() else ""
        fence = esc.fence_for(code, "~" if "`" in meta else "`")
        return f"{fence}{language}{meta}\n{code.rstrip(chr(10))}\n{fence}"

    def visit_literal_block(self, node) -> None:
        title = ""
        parent = node.parent
        if isinstance(parent, nodes.container) and parent.get("literal_block"):
            caption = next(iter(parent.findall(nodes.caption)), None)
            title = caption.astext() if caption else ""
        if not title and getattr(parent, "jsx", "") in ("CodeGroup", "RequestExample",
                                                       "ResponseExample"):
            title = node.get("language") or "text"
        self.add_block(self.code_fence(node.astext(), node.get("language", "text"), title))
        raise nodes.SkipNode

    visit_doctest_block = visit_literal_block

    def visit_caption(self, node) -> None:
        raise nodes.SkipNode

    def visit_mermaid(self, node) -> None:
        self.add_block(self.code_fence(node["code"], "mermaid"))
        raise nodes.SkipNode

    # -- images and figures -----------------------------------------------------------------
    def visit_image(self, node) -> None:
        uri = self.builder.image_uri(node)
        alt = esc.text(node.get("alt", ""), line_start=False)
        self.add_inline(f"![{alt}]({esc.link_url(uri)})")
        raise nodes.SkipNode

    def visit_figure(self, node) -> None:
        self.push()

    def depart_figure(self, node) -> None:
        content = self.pop()
        caption = next(iter(node.findall(nodes.caption)), None)
        props = {"caption": caption.astext()} if caption else {}
        self.add_block(self.jsx("Frame", props, content))

    # -- tables -----------------------------------------------------------------------------
    def visit_table(self, node) -> None:
        title = node.next_node(nodes.title)
        if title:
            self.add_block(f"**{self.render_inline(title)}**")
        group = node.next_node(nodes.tgroup)
        head = [list(row) for row in group.findall(nodes.row) if isinstance(row.parent, nodes.thead)]
        body = [list(row) for row in group.findall(nodes.row) if isinstance(row.parent, nodes.tbody)]
        cols = group.get("cols", 0)
        simple = (len(head) == 1 and all(len(r) == cols for r in head + body)
                  and not any(e.get("morerows") or e.get("morecols") for r in head + body for e in r)
                  and all(self._inline_cell(e) for r in head + body for e in r))
        self.add_block(self._gfm_table(head[0], body) if simple else self._html_table(head, body))
        raise nodes.SkipNode

    @staticmethod
    def _inline_cell(entry: nodes.Element) -> bool:
        return all(isinstance(c, nodes.paragraph) for c in entry.children) and len(entry) <= 1

    def _gfm_table(self, head, body) -> str:
        self.in_table = True
        try:
            rows = [[esc.table_cell(self.render_inline(e)) for e in row] for row in [head] + body]
        finally:
            self.in_table = False
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)

    def _html_table(self, head, body) -> str:
        def cells(row, tag):
            out = []
            for entry in row:
                span = ""
                if entry.get("morecols"):
                    span += f' colSpan={{{entry["morecols"] + 1}}}'
                if entry.get("morerows"):
                    span += f' rowSpan={{{entry["morerows"] + 1}}}'
                out.append(f"<{tag}{span}>\n\n{self.render_children(entry)}\n\n</{tag}>")
            return "<tr>\n" + "\n".join(out) + "\n</tr>"
        parts = ["<table>"]
        if head:
            parts += ["<thead>"] + [cells(r, "th") for r in head] + ["</thead>"]
        parts += ["<tbody>"] + [cells(r, "td") for r in body] + ["</tbody>", "</table>"]
        return "\n".join(parts)

    # -- Sphinx nodes -----------------------------------------------------------------------
    def visit_toctree(self, node) -> None:
        raise nodes.SkipNode

    def visit_only(self, node) -> None:
        pass

    def depart_only(self, node) -> None:
        pass

    def visit_versionmodified(self, node) -> None:
        self.push()

    def depart_versionmodified(self, node) -> None:
        self.add_block(self.jsx("Info", {}, self.pop()))

    def visit_desc(self, node) -> None:
        self.push()

    def depart_desc(self, node) -> None:
        self.add_block(self.pop())

    def visit_desc_signature(self, node) -> None:
        self.add_block("**" + esc.code_span(node.astext().strip()) + "**")
        raise nodes.SkipNode

    def visit_desc_content(self, node) -> None:
        self.push()

    def depart_desc_content(self, node) -> None:
        content = self.pop()
        if content:
            self.add_block(indent(content, "  "))

    def visit_hlist(self, node) -> None:
        self.push()

    def depart_hlist(self, node) -> None:
        self.add_block(self.pop())

    visit_hlistcol = depart_hlistcol = pass_through

    def visit_productionlist(self, node) -> None:
        self.add_block(self.code_fence(node.astext(), "text"))
        raise nodes.SkipNode

    def visit_glossary(self, node) -> None:
        pass

    def depart_glossary(self, node) -> None:
        pass

    def visit_centered(self, node) -> None:
        self.push()

    def depart_centered(self, node) -> None:
        self.add_block(f"**{self.pop()}**")

    def visit_raw(self, node) -> None:
        if node.get("format") in ("mdx", "markdown"):
            self.add_block(node.astext())
        else:
            logger.warning("MDX: raw %s content is not exported", node.get("format"),
                           location=node, type="mdx", subtype="raw")
        raise nodes.SkipNode

