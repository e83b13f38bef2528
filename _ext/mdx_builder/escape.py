"""The one place where text headed for MDX is escaped.

Mintlify parses pages as MDX 3 (remark-mdx + GFM + math), so prose must not open JSX (``<``),
expressions (``{``), math (``$``), Markdown syntax, HTML entities or ESM (``import``/``export``).
Every function takes literal text and returns MDX source that displays exactly that text.
"""
from __future__ import annotations

import re

#: characters that are Markdown/MDX syntax anywhere in a line
_INLINE = re.compile(r"([\\`*_{}\[\]<>$|~&])")
#: what makes a line start a block (heading, list, quote, thematic break, setext, html, ESM)
_LINE_START = re.compile(
    r"^(?P<ws>[ \t]*)(?:(?P<num>\d{1,9})(?P<delim>[.)])(?=[ \t]|$)|(?P<mark>[-+=#]))"
)
_ESM = re.compile(r"^(import|export)(?=[\s{*])")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def _escape_inline(text: str) -> str:
    return _INLINE.sub(r"\\\1", text)


def _protect_line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if match:
        if match["num"]:
            cut = match.start("delim")
        else:
            cut = match.start("mark")
        line = line[:cut] + "\\" + line[cut:]
    match = _ESM.match(line)
    if match:  # "import x" at the start of a paragraph would be parsed as ESM
        line = "&#" + str(ord(line[0])) + ";" + line[1:]
    return line


def text(value: str, *, line_start: bool = True) -> str:
    """Prose: any literal text, on one line (white space runs fold to one space).

    ``line_start`` says the text may begin a line or paragraph, so block markers at its start
    (``- ``, ``1.``, ``#``, ``>``, ``import``) are neutralised too.
    """
    value = _SPACES.sub(" ", value)
    escaped = _escape_inline(value)
    return _protect_line_start(escaped) if line_start else escaped


def paragraph_start(markdown: str) -> str:
    """Protect an assembled paragraph's first line (it may start with inline markup)."""
    return _protect_line_start(markdown)


def code_span(value: str, *, in_table: bool = False) -> str:
    """Inline code: a backtick run longer than any inside, padded when needed."""
    value = _SPACES.sub(" ", value)
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    if value.startswith("`") or value.endswith("`") or (
            value.startswith(" ") and value.endswith(" ") and value.strip()):
        value = f" {value} "
    if in_table:
        value = value.replace("|", "\\|")
    return f"{fence}{value}{fence}"


def fence_for(code: str, char: str = "`", minimum: int = 3) -> str:
    """A code fence longer than any run of the fence character at a line start in ``code``."""
    longest = max((len(m) for m in re.findall(rf"^[ \t]*({re.escape(char)}+)", code, re.M)),
                  default=0)
    return char * max(minimum, longest + 1)


def code_title(title: str) -> str:
    """A code block's title as fence meta: ``title="…"`` for Mintlify's meta parser (which
    unescapes ``\\`` and ``\"``), then escaped for the Markdown info string, which decodes
    backslash escapes and entities. Use a ``~`` fence when the title holds a backtick."""
    value = _SPACES.sub(" ", title).strip()
    meta = 'title="' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return meta.replace("\\", "\\\\").replace("&", "\\&")


def math_inline(latex: str, *, in_table: bool = False) -> str:
    """Inline math: a ``$`` run longer than any inside (remark-math closes on an equal run),
    padded like a code span. White space folds (a blank line would end the paragraph). In a
    table cell ``|`` would split the cell and ``\\|`` reaches KaTeX as ``‖``: it becomes
    ``\\vert`` (``\\|`` becomes ``\\Vert``), the same symbols."""
    value = _SPACES.sub(" ", latex)
    if in_table:
        value = value.replace("\\|", "\\Vert ").replace("|", "\\vert ")
    longest = max((len(run) for run in re.findall(r"\$+", value)), default=0)
    fence = "$" * (longest + 1)
    if value.startswith("$") or value.endswith("$") or (
            value.startswith(" ") and value.endswith(" ") and value.strip()):
        value = f" {value} "
    return f"{fence}{value}{fence}"


def math_block(latex: str) -> str:
    """Display math: a ``$$`` fence longer than any ``$`` run at a line start inside."""
    fence = fence_for(latex, "$", minimum=2)
    return f"{fence}\n{latex.strip(chr(10))}\n{fence}"


def attr(value: str) -> str:
    """A JSX attribute value, quoted. JSX strings have no backslash escapes; entities decode."""
    value = value.replace("&", "&amp;").replace('"', "&quot;")
    value = value.replace("\n", "&#10;")
    return f'"{value}"'


def markdown_attr(markdown: str) -> str:
    """A title attribute: Mintlify parses it as inline Markdown, so it is already escaped
    Markdown (from :func:`text` and friends) and is only quoted here."""
    return attr(markdown)


def table_cell(markdown: str) -> str:
    """Markdown inside a GFM table cell: ``|`` must be escaped even inside code spans."""
    out, i = [], 0
    while i < len(markdown):
        ch = markdown[i]
        if ch == "\\" and i + 1 < len(markdown):
            out.append(markdown[i:i + 2])
            i += 2
            continue
        out.append("\\|" if ch == "|" else ch)
        i += 1
    return "".join(out).replace("\n", " ")


def link_url(url: str) -> str:
    """A link destination: wrapped in ``<…>`` when it holds spaces or parentheses."""
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar for frontmatter."""
    value = _SPACES.sub(" ", value).strip()
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def anchor(ident: str) -> str:
    """An explicit heading id: Mintlify strips these characters from ``{#id}``."""
    return re.sub(r"[<>\"&?,;:!'()\[\]{}\s]", "", ident)
