"""_ext/furo_navcache gives every page the navigation furo itself renders.

A small multi-level site (nested toctrees three levels deep, two ``index`` pages in different
folders, a captioned and a hidden toctree, an external link, a ``self`` entry, an orphan page and
sphinx-notfound-page's 404) is built with furo alone and with the cache, and every page is
compared byte for byte, at ``-j 1`` and ``-j 2`` and with ``dirhtml``. An in-process build shows
that the cache, not furo, served those pages; the cache's own answers are then checked page by
page against furo's, and shown to fail when it marks the wrong page current.
"""
from __future__ import annotations

import importlib
import re
import sys
import warnings
from pathlib import Path

import pytest

from support import REPO, sphinx_build

PAGES = {
    "index.md": "# Home\n\n```{toctree}\n:caption: Guide\nguide/index\n```\n\n"
                "```{toctree}\n:caption: More\n:hidden:\nfaq\n"
                "Example <https://example.org/>\n```\n",
    "guide/index.md": "# Guide\n\n```{toctree}\none\ndeep/index\ntwo\n```\n",
    "guide/one.md": "# One & only\n\n## A section\n\nText.\n\n## Another\n\nText.\n",
    "guide/two.md": "# Two\n\nText.\n",
    "guide/deep/index.md": "# Deep\n\n```{toctree}\nleaf\n```\n",
    "guide/deep/leaf.md": "# Leaf\n\nText.\n",
    "faq.md": "# FAQ\n\n```{toctree}\nself\n```\n",  # linked twice: furo's own path
    "orphan.md": "---\norphan: true\n---\n\n# Orphan\n\nIn no toctree.\n",
}
CONF = """\
import sys
sys.path.insert(0, {ext!r})
project = "navcache"
html_theme = "furo"
extensions = ["myst_parser", "notfound.extension"{extra}]
"""
SIDEBAR = re.compile(r'<div class="sidebar-tree">(.*?)</div>', re.S)


def write_site(root: Path) -> None:
    for name, text in PAGES.items():
        (root / "src" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "src" / name).write_text(text, encoding="utf-8")
    for conf, extra in (("conf-furo", ""), ("conf-cache", ', "furo_navcache"')):
        (root / conf).mkdir()
        (root / conf / "conf.py").write_text(CONF.format(ext=str(REPO / "_ext"), extra=extra),
                                             encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("navcache")
    write_site(root)
    for builder, conf, out, jobs in (
            ("html", "conf-furo", "furo", "1"), ("html", "conf-cache", "cache", "1"),
            ("html", "conf-cache", "cache-j2", "2"),
            ("dirhtml", "conf-furo", "furo-dirhtml", "1"),
            ("dirhtml", "conf-cache", "cache-dirhtml", "1")):
        sphinx_build(builder, root / "src", root / out, root / f"dt-{out}", "-j", jobs,
                     confdir=root / conf)
    return root


def sidebar(html: str) -> str:
    match = SIDEBAR.search(html)
    assert match, "no furo sidebar on the page"
    return match.group(1).strip()


@pytest.mark.parametrize("out, reference", [("cache", "furo"), ("cache-j2", "furo"),
                                            ("cache-dirhtml", "furo-dirhtml")])
def test_every_page_is_byte_identical_to_furos(site, out, reference):
    furo = sorted(p.relative_to(site / reference) for p in (site / reference).rglob("*.html"))
    assert furo == sorted(p.relative_to(site / out) for p in (site / out).rglob("*.html"))
    assert len(furo) >= len(PAGES) + 3  # genindex, search, 404
    for rel in furo:
        assert (site / out / rel).read_bytes() == (site / reference / rel).read_bytes(), rel


def test_the_compared_navigation_marks_the_current_branch(site):
    """The comparison above is between real navigations, not two empty ones."""
    nav = sidebar((site / "furo" / "guide" / "deep" / "leaf.html").read_text(encoding="utf-8"))
    assert nav.count('checked=""') == 2  # Guide and Deep are expanded
    assert re.search(r'<li class="toctree-l3 current current-page"><a class="current '
                     r'reference internal" href="#">Leaf</a>', nav)
    assert 'href="../../faq.html"' in nav and 'href="https://example.org/"' in nav


@pytest.fixture(scope="module")
def navigation(site):
    from sphinx.application import Sphinx
    from sphinx.deprecation import RemovedInSphinx11Warning
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    path = sys.path[:]
    sys.path.insert(0, str(REPO / "_ext"))
    module = importlib.import_module("furo_navcache")
    served: dict[str, bool] = {}  # page -> the build took its navigation from the cache
    for_page = module.Navigation.for_page

    def spy(self, page):
        served[page] = (result := for_page(self, page)) is not None
        return result

    module.Navigation.for_page = spy
    # docutils' registries are global: leave them as found, for later in-process builds
    try:
        with patch_docutils(site / "conf-cache"), docutils_namespace(), \
                warnings.catch_warnings():
            # sphinx-notfound-page's own call to global_toctree_for_doc (ours passes tags)
            warnings.filterwarnings("ignore", category=RemovedInSphinx11Warning,
                                    module="notfound")
            app = Sphinx(str(site / "src"), str(site / "conf-cache"), str(site / "inproc"),
                         str(site / "dt-inproc"), "html", status=None, freshenv=True)
            app.build()
            navigation = module.Navigation(app.builder)
    finally:
        module.Navigation.for_page = for_page
        sys.path[:] = path
    return navigation, sorted(app.env.found_docs), served


def test_the_build_takes_the_navigation_from_the_cache(navigation):
    """The hooks engage: every page but the self-linked one and the 404 is served by the cache."""
    _, docnames, served = navigation
    assert served == {**{doc: doc != "faq" for doc in docnames},
                      "genindex": True, "search": True}  # 404: notfound's toctree, furo's path


def test_the_cache_answers_every_page_but_the_self_linked_one(site, navigation):
    nav, docnames, _ = navigation
    for doc in docnames:
        got = nav.for_page(doc)
        if doc == "faq":  # linked from the tree twice (its `self` entry): furo's own path
            assert got is None
            continue
        assert got is not None, doc
        assert got.strip() == sidebar((site / "furo" / f"{doc}.html").read_text("utf-8")), doc


def test_a_wrong_current_page_fails_the_comparison(site, navigation):
    nav, _, _ = navigation
    furo_one = sidebar((site / "furo" / "guide" / "one.html").read_text(encoding="utf-8"))
    assert nav.for_page("guide/one").strip() == furo_one
    right = nav.branches["guide/one"]
    try:
        nav.branches["guide/one"] = nav.branches["guide/two"]  # a cache marking the wrong page
        assert nav.for_page("guide/one").strip() != furo_one
    finally:
        nav.branches["guide/one"] = right
    # and a page rendered with another page's links (same folder, other self-link) differs too
    assert nav.for_page("guide/two").strip() != furo_one
