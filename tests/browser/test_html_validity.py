"""The built HTML is valid (Nu Html Checker), has no broken internal link or #fragment
(linkinator crawling the local server) and loads nothing from another host. The two slow
tools were started in the background by the fixtures (conftest.py) and are collected here."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import browser_checks as bc


def test_every_page_passes_the_nu_html_checker(html_site):
    messages = bc.JOBS["vnu"].result()
    findings = bc.vnu_findings(messages, html_site)
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings[:80])


def test_no_broken_internal_link_or_fragment(base_url):
    broken = bc.JOBS["links"].result()
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken)


class _Resources(HTMLParser):
    """Every URL a page makes the browser fetch by itself (not the links a reader follows)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._module = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio", "embed") and a.get("src"):
            self.urls.append(a["src"])
        fetched = {"stylesheet", "preload", "modulepreload", "icon", "manifest"}
        if tag == "link" and a.get("href") and fetched & set((a.get("rel") or "").split()):
            self.urls.append(a["href"])
        self._module = tag == "script" and a.get("type") == "module"

    def handle_data(self, data):
        if self._module:  # import ... from "url" / import("url") in inline modules
            self.urls += re.findall(r"""(?:from|import)\s*\(?\s*["']([^"']+)["']""", data)

    def handle_endtag(self, tag):
        self._module = False


def test_no_page_fetches_anything_from_another_host(html_site):
    """The browser tests block and report such requests on the pages they open; this reads
    every page's scripts, styles, images and module imports, so none is left unchecked."""
    offenders = []
    for page in bc.html_pages(html_site):
        parser = _Resources()
        parser.feed((html_site / page).read_text(encoding="utf-8"))
        offenders += [f"{page}: {u}" for u in parser.urls if re.match(r"^(https?:)?//", u)]
    assert not offenders, "\n".join(offenders)
