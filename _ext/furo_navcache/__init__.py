"""furo's sidebar navigation, rendered once per build instead of once per page.

furo computes ``furo_navigation_tree`` for every page from the whole-site toctree: Sphinx's
``global_toctree_for_doc``, ``render_partial`` and a BeautifulSoup pass (``get_navigation_tree``).
Each step walks every entry, so a fresh html build is quadratic in the page count. With furo's
arguments (no collapsing, every level, hidden toctrees) the tree is the same on every page but for

* the link targets, relative to the page;
* Sphinx's ``current`` class on the page's branch (its ``<a>``, ``<li>`` and ``<ul>`` ancestors);
* furo's ``checked`` checkbox on those ``<li>`` and ``current-page`` on the innermost one.

So the tree is resolved and passed through furo's own ``get_navigation_tree`` once per build (in
the main process; ``-j`` write workers fork from it), with placeholders where those differ, and
each page fills them in. The result is byte-identical to furo's (tests/test_furo_navcache.py).

Nothing of furo is patched: our ``toctree`` stands in front of Sphinx's in the page context and
answers furo's one call with an empty tree (which furo turns into an empty navigation at no cost);
afterwards the page gets the cached navigation and the template gets Sphinx's ``toctree`` back.
A page whose document is linked from the tree more than once, or only with an anchor, and sites
with ``only`` in a title, take furo's own path; so does a page whose ``toctree`` another extension
replaced (sphinx-notfound-page's 404), and every page if furo calls the toctree differently.
"""
from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders import Builder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: the arguments of furo's call (furo/__init__.py, _compute_navigation_tree)
FURO_KWARGS = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}
# Placeholders: Unicode noncharacters (reserved for a program's internal use), then a number.
CUR, PAGE, CHECKED, HREF, END = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3", "\ufdd4"
MARKERS = re.compile("[\ufdd0-\ufdd4]")
NOWHERE = "\ufdd5"  # the docname the shared tree is resolved for: no page is current
SLOT = re.compile(r' class="([^"]*[\ufdd0\ufdd1][^"]*)"'
                  r'| checked="\ufdd2(\d+)\ufdd4"'
                  r'|href="\ufdd3(\d+)\ufdd4([^"]*)"')
TOKEN = re.compile(r"([\ufdd0\ufdd1])(\d+)\ufdd4")
UNSAFE = re.compile(r'[&<>"\']')  # an href with these would need escaping like bs4's


class _Unsupported(Exception):
    """The site has something the shared tree cannot reproduce: furo's own path then."""


class _PlaceholderLinks:
    """The builder as ``_resolve_toctree`` sees it: every internal link becomes a placeholder."""

    def __init__(self, builder: Builder) -> None:
        self._builder = builder
        self.targets: dict[str, int] = {}

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return f"{HREF}{self.targets.setdefault(to, len(self.targets))}{END}"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._builder, name)


class Navigation:
    """furo's navigation of one build, as segments: literal HTML and per-page slots."""

    def __init__(self, builder: Builder) -> None:
        from bs4 import BeautifulSoup
        from furo.navigation import get_navigation_tree

        env = builder.env
        if any(next(toc.findall(addnodes.only), None) for toc in env.tocs.values()):
            raise _Unsupported("an 'only' directive in a page title")
        links = _PlaceholderLinks(builder)
        tree = global_toctree_for_doc(env, NOWHERE, links, tags=builder.tags, **FURO_KWARGS)
        if tree is None:
            raise _Unsupported("no toctree")
        self.builder = builder
        self.index_of = links.targets
        self.targets = {index: docname for docname, index in links.targets.items()}
        if any(UNSAFE.search(builder.get_target_uri(d)) for d in self.targets.values()):
            raise _Unsupported("a page URI with a character HTML escapes")
        # One number per element that can take 'current'; each link remembers its branch
        # (its own number and its ancestors') and its <li>, the one furo calls current-page.
        self.branches: dict[str, list[tuple[str, list[int], int | None]]] = {}
        numbered = (nodes.reference, nodes.list_item, nodes.bullet_list,
                    addnodes.compact_paragraph)
        number: dict[int, int] = {}
        for node in tree.findall(lambda n: isinstance(n, numbered)):
            number[id(node)] = len(number)
            node["classes"].append(f"{CUR}{number[id(node)]}{END}")
        for ref in tree.findall(nodes.reference):
            match = re.fullmatch(f"{HREF}(\\d+){END}.*", ref["refuri"], re.S)
            if match:
                up = list(_ancestors(ref))
                li = next((number[id(n)] for n in up if isinstance(n, nodes.list_item)), None)
                self.branches.setdefault(self.targets[int(match[1])], []).append(
                    (ref["anchorname"], [number[id(n)] for n in up if id(n) in number], li))
        html = get_navigation_tree(builder.render_partial(tree)["fragment"])
        soup = BeautifulSoup(html, "html.parser")
        for li in soup.find_all("li"):
            n = next((TOKEN.search(c)[2] for c in li.get("class", []) if c.startswith(CUR)), None)
            if n is None:
                raise _Unsupported(f"an <li> without its placeholder: {str(li)[:80]!r}")
            li["class"].append(f"{PAGE}{n}{END}")
            checkbox = li.find("input", recursive=False)
            if checkbox is not None:
                checkbox["checked"] = f"{CHECKED}{n}{END}"
        self._parse(str(soup))
        self._by_dir: dict[tuple[str, ...], tuple[str, list[str]]] = {}

    def _parse(self, template: str) -> None:
        # str, ("class", tokens), ("checked", number) or ("href", target, anchor)
        self.segments: list[Any] = []
        self.by_node: dict[int, list[int]] = {}
        self.by_target: dict[int, list[int]] = {}
        pos = 0
        for m in SLOT.finditer(template):
            self.segments.append(template[pos:m.start()])
            index, pos = len(self.segments), m.end()
            if m[1] is not None:
                tokens: list[Any] = []
                for token in m[1].split(" "):
                    found = TOKEN.fullmatch(token)
                    tokens.append((found[1], int(found[2])) if found else token)
                    if found:
                        self.by_node.setdefault(int(found[2]), []).append(index)
                self.segments.append(("class", tokens))
            elif m[2] is not None:
                self.by_node.setdefault(int(m[2]), []).append(index)
                self.segments.append(("checked", int(m[2])))
            else:
                self.by_target.setdefault(int(m[3]), []).append(index)
                self.segments.append(("href", int(m[3]), m[4]))
        self.segments.append(template[pos:])
        left = [s for s in self.segments if isinstance(s, str) and MARKERS.search(s)]
        if left or any(isinstance(t, str) and MARKERS.search(t) for s in self.segments
                       if isinstance(s, tuple) and s[0] == "class" for t in s[1]):
            raise _Unsupported(f"a placeholder furo's output moved: {(left or ['?'])[0][:80]!r}")

    def _render(self, segment: Any, page: str, current: set[int], innermost: int | None) -> str:
        if isinstance(segment, str):
            return segment
        if segment[0] == "href":
            uri = self.builder.get_relative_uri(page, self.targets[segment[1]]) + segment[2]
            return f'href="{uri or "#"}"'
        if segment[0] == "checked":
            return ' checked=""' if segment[1] in current else ""
        words = [t if isinstance(t, str)
                 else "current" if t[0] == CUR and t[1] in current
                 else "current-page" if t[0] == PAGE and t[1] == innermost
                 else None for t in segment[1]]
        value = " ".join(w for w in words if w is not None)
        return f' class="{value}"' if value else ""

    def for_page(self, page: str) -> str | None:
        """The page's navigation, or None when only furo's own path is sure to be right."""
        branches = self.branches.get(page, [])
        if len(branches) > 1 or (branches and branches[0][0]):
            return None
        current = set(branches[0][1]) if branches else set()
        innermost = branches[0][2] if branches else None
        uri = self.builder.get_target_uri(page).split("#")[0]
        if UNSAFE.search(uri):
            return None
        # Relative links depend on the page's directory only, but for a link to the page itself.
        folder = tuple(uri.split("/")[:-1])
        if folder not in self._by_dir:
            self._by_dir[folder] = (page, [self._render(s, page, set(), None)
                                           for s in self.segments])
        first, out = self._by_dir[folder]
        out = list(out)
        redo = {i for n in current | {innermost} for i in self.by_node.get(n, ())}
        for docname in {first, page}:
            redo.update(self.by_target.get(self.index_of.get(docname), ()))
        for i in redo:
            out[i] = self._render(self.segments[i], page, current, innermost)
        return "".join(out)


def _ancestors(node: nodes.Node):
    while node is not None:
        yield node
        node = node.parent


class _FuroToctree:
    """Sphinx's ``toctree`` for the page context; furo's one call gets an empty tree."""

    def __init__(self, toctree) -> None:
        self.toctree = toctree
        self.furo_asked = False

    def __call__(self, **kwargs: Any) -> str:
        if kwargs == FURO_KWARGS and not self.furo_asked:
            self.furo_asked = True
            return ""
        return self.toctree(**kwargs)


_state: dict[str, Any] = {}


def _reset(app, *args) -> None:
    _state.clear()


def _navigation(app) -> Navigation | None:
    if "nav" not in _state:
        try:
            _state["nav"] = Navigation(app.builder)
        except _Unsupported as exc:
            logger.info("furo_navcache: furo renders the navigation of every page (%s)", exc)
            _state["nav"] = None
    return _state["nav"]


def _enabled(app) -> bool:
    builder = app.builder
    return (builder.name in ("html", "dirhtml") and getattr(builder, "theme", None) is not None
            and builder.theme.name == "furo"
            and type(builder).get_relative_uri is Builder.get_relative_uri)


def _before_furo(app, pagename, templatename, context, doctree) -> None:
    if "toctree" in context and _enabled(app):
        context["toctree"] = _FuroToctree(context["toctree"])


def _after_furo(app, pagename, templatename, context, doctree) -> None:
    toctree = context.get("toctree")
    if not isinstance(toctree, _FuroToctree):
        return  # not ours, or replaced by another extension: furo used that one
    context["toctree"] = toctree.toctree
    if not toctree.furo_asked:
        return
    nav = _navigation(app)
    html = nav.for_page(pagename) if nav is not None else None
    if html is None:
        from furo.navigation import get_navigation_tree
        html = get_navigation_tree(toctree.toctree(**FURO_KWARGS))
    context["furo_navigation_tree"] = html


def setup(app):
    app.connect("builder-inited", _reset)
    app.connect("env-updated", _reset)
    # First and last around furo's handler (priority 500): sphinx-notfound-page swaps the 404
    # page's toctree at 400, after ours, and that page then keeps furo's own navigation.
    app.connect("html-page-context", _before_furo, priority=0)
    app.connect("html-page-context", _after_furo, priority=501)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
