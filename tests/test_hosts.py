"""Publishable on both hosts: one brand in both outputs, today's Mintlify URLs kept, and what Read
the Docs readers expect of the HTML site (sitemap, OpenGraph cards, a 404 page, llms.txt)."""
from __future__ import annotations

import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import yaml

from support import SOURCE, TESTS, node_json, sphinx_build

SUITE = TESTS / "data" / "suite-docs.json"
# Every page of the Mintlify Spark docs before this site (namastexlabs/automagik-docs, spark/).
OLD_SPARK_PAGES = [
    "advanced/custom-adapters", "advanced/scaling-production",
    "api/executions", "api/overview", "api/rest-overview", "api/schedules", "api/sources",
    "api/tasks", "api/workers", "api/workflows",
    "cli/commands", "cli/examples", "cli/overview",
    "concepts/adapter-system", "concepts/architecture-overview", "concepts/scheduling-internals",
    "concepts/task-execution",
    "config/environment-variables", "config/production-setup",
    "examples/hive-integration", "examples/langflow-integration",
    "examples/production-deployment", "examples/simple-schedule",
    "installation", "introduction", "quickstart", "troubleshooting/common-errors",
]


# -- old URLs -----------------------------------------------------------------------------------
def unresolved_old_urls(mdx: Path, docs: dict) -> list[str]:
    """Old paths that are neither a page nor a redirect to a page (and to its anchor)."""
    redirects = {r["source"]: r["destination"] for r in docs.get("redirects", [])}
    problems = []
    for old in OLD_SPARK_PAGES:
        url = f"/spark/{old}"
        if (mdx / "spark" / f"{old}.mdx").is_file():
            continue
        if url not in redirects:
            problems.append(f"{url}: no page and no redirect")
            continue
        path, _, anchor = redirects[url].partition("#")
        page = mdx / f"{path.lstrip('/')}.mdx"
        if not page.is_file():
            problems.append(f"{url} -> {redirects[url]}: no such page")
        elif anchor and f"{{#{anchor}}}" not in page.read_text():
            problems.append(f"{url} -> {redirects[url]}: no such heading")
    return problems


def test_every_old_mintlify_url_resolves(site, docs_json):
    assert len(OLD_SPARK_PAGES) == 27
    assert unresolved_old_urls(site.mdx, docs_json) == []
    assert node_json("broken_redirects.mjs", str(site.mdx)) == []


def test_old_url_check_catches_a_missing_redirect_or_target(site, docs_json):
    docs = json.loads(json.dumps(docs_json))
    dropped = docs["redirects"].pop(0)
    docs["redirects"][0]["destination"] = "/spark/nowhere"
    docs["redirects"][1]["destination"] = docs["redirects"][1]["destination"].split("#")[0] + "#nope"
    problems = unresolved_old_urls(site.mdx, docs)
    assert [p.split(":")[0].split(" ")[0] for p in problems] == [
        dropped["source"], docs["redirects"][0]["source"], docs["redirects"][1]["source"]]


def test_a_redirect_to_a_missing_page_fails_the_build(tmp_path):
    root = TESTS / "roots" / "components"
    proc = sphinx_build("mdx", root, tmp_path / "mdx", tmp_path / "d",
                        "-D", "mdx_redirects.old/page=missing/page", "-D", "mdx_redirects.index=cards",
                        confdir=root, check=False)
    assert proc.returncode != 0
    assert "redirect /spark/old/page leads to /spark/missing/page, which is not a page" in proc.stderr
    assert "redirect source /spark/index is a page" in proc.stderr


# -- one brand -----------------------------------------------------------------------------------
def furo_variables(page: str) -> dict[str, dict[str, str]]:
    """furo's CSS variables of the light and the dark theme, as the page declares them."""
    style = re.search(r"<style>(.*?)</style>", page, re.S)[1]
    light, dark = re.search(r"body \{(.*?)\}", style, re.S)[1], \
        re.search(r'body\[data-theme="dark"\] \{(.*?)\}', style, re.S)[1]
    return {mode: dict(re.findall(r"--([\w-]+):\s*([^;]+);", block))
            for mode, block in (("light", light), ("dark", dark))}


def test_one_brand_in_both_outputs(site, docs_json):
    suite = json.loads(SUITE.read_text())
    colors = docs_json["colors"]
    assert colors == suite["colors"]  # the company's colours
    index = (site.html / "index.html").read_text()
    furo = furo_variables(index)
    assert furo["light"]["color-brand-primary"] == colors["dark"]
    assert furo["dark"]["color-brand-primary"] == colors["primary"]
    assert furo["dark"]["color-brand-content"] == colors["light"]
    for mode in ("light", "dark"):
        src = re.search(rf'<img class="sidebar-logo only-{mode}" src="([^"]+)"', index)[1]
        shipped = site.mdx / docs_json["logo"][mode].lstrip("/")
        assert (site.html / src).read_bytes() == shipped.read_bytes(), mode
    icon = re.search(r'<link rel="(?:shortcut )?icon" href="([^"]+)"', index)[1]
    assert (site.html / icon).read_bytes() == (site.mdx / docs_json["favicon"].lstrip("/")).read_bytes()
    assert docs_json["logo"]["light"] != docs_json["logo"]["dark"]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB (or #RGB) colours."""
    def luminance(colour: str) -> float:
        h = colour.lstrip("#")
        h = "".join(c * 2 for c in h) if len(h) == 3 else h
        channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def furo_backgrounds(site) -> dict[str, list[str]]:
    """furo's page and sidebar/inline-code backgrounds, light then dark, from its stylesheet."""
    css = (site.html / "_static" / "styles" / "furo.css").read_text()
    primary = re.findall(r"--color-background-primary:(#\w+)", css)
    secondary = re.findall(r"--color-background-secondary:(#\w+)", css)
    return {"light": [primary[0], secondary[0]], "dark": [primary[1], secondary[1]]}


def low_contrast(furo: dict, backgrounds: dict) -> list[str]:
    return [f"{mode} {name} {furo[mode][name]} on {bg}: {contrast(furo[mode][name], bg):.2f}"
            for mode in ("light", "dark") for bg in backgrounds[mode]
            for name in ("color-brand-primary", "color-brand-content")
            if contrast(furo[mode][name], bg) < 4.5]


def test_brand_text_keeps_wcag_contrast(site):
    furo = furo_variables((site.html / "index.html").read_text())
    assert low_contrast(furo, furo_backgrounds(site)) == []


def test_contrast_check_rejects_magenta_text_on_white(site):
    furo = furo_variables((site.html / "index.html").read_text())
    furo["light"]["color-brand-content"] = "#FF00FF"
    assert [p.split(":")[0] for p in low_contrast(furo, furo_backgrounds(site))] == [
        "light color-brand-content #FF00FF on #fff", "light color-brand-content #FF00FF on #f8f9fb"]


# -- the HTML site's extras: sitemap, OpenGraph, 404, llms.txt, copyright ----------------------------
def html_pages(html: Path) -> dict[str, str]:
    """Every content page (relative path -> text): no search, index or 404 pages."""
    return {str(p.relative_to(html)): p.read_text() for p in sorted(html.rglob("*.html"))
            if "_static" not in p.parts and p.name not in ("genindex.html", "search.html", "404.html")}


def canonical(page: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)"', page)[1]


def sitemap_problems(sitemap: str, pages: dict[str, str]) -> list[str]:
    locs = [e.text for e in ET.fromstring(sitemap).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    wanted = {canonical(text) for text in pages.values()}
    return sorted([f"missing {u}" for u in wanted - set(locs)] +
                  [f"not a page {u}" for u in set(locs) - wanted])


def test_sitemap_lists_every_page_at_its_canonical_url(site):
    pages = html_pages(site.html)
    assert len(pages) == len(site.pages())
    base = canonical(pages["index.html"]).removesuffix("index.html")
    assert base.startswith("https://") and base.endswith("/")
    assert all(canonical(text) == base + name for name, text in pages.items())
    assert sitemap_problems((site.html / "sitemap.xml").read_text(), pages) == []


def test_sitemap_check_catches_a_missing_page(site):
    pages = html_pages(site.html)
    sitemap = (site.html / "sitemap.xml").read_text()
    url = canonical(pages["quickstart.html"])
    assert sitemap_problems(sitemap.replace(f"<url><loc>{url}</loc></url>", ""), pages) == [f"missing {url}"]


def opengraph_problems(pages: dict[str, str]) -> list[str]:
    problems = []
    for name, text in pages.items():
        og = dict(re.findall(r'<meta property="og:(\w+)" content="([^"]*)" />', text))
        if og.get("url") != canonical(text):
            problems.append(f"{name}: og:url {og.get('url')!r}")
        problems += [f"{name}: no og:{key}" for key in ("title", "description", "site_name", "type")
                     if not og.get(key)]
    return problems


def test_every_page_has_an_opengraph_card(site):
    assert opengraph_problems(html_pages(site.html)) == []


def test_a_page_is_described_by_its_frontmatter(site):
    """og:description and the meta description are the page's own description, escaped once,
    for every page that has one (sphinxext-opengraph's cut of the first paragraph could split a
    character reference, invalid HTML)."""
    wrong, checked = [], 0
    for page in SOURCE.rglob("*.md"):
        front = re.match(r"\A---\n(.*?)\n---\n", page.read_text(), re.S)
        text = (yaml.safe_load(front.group(1)) or {}).get("description") if front else None
        if not text:
            continue
        checked += 1
        name = str(page.relative_to(SOURCE).with_suffix(".html"))
        head = (site.html / name).read_text()
        shown = [html.unescape(m) for m in re.findall(
            r'<meta (?:property="og:description"|name="description") content="([^"]*)" />', head)]
        if shown != [text, text]:
            wrong.append((name, shown))
    assert wrong == [] and checked >= 50, (wrong, checked)  # every plan page has a description


def test_opengraph_check_catches_a_relative_url(site):
    page = html_pages(site.html)["quickstart.html"]
    broken = re.sub(r'(<meta property="og:url" content=")[^"]*', r"\1quickstart.html", page)
    assert opengraph_problems({"quickstart.html": broken}) == ["quickstart.html: og:url 'quickstart.html'"]


def notfound_problems(html: Path, page: str) -> list[str]:
    """The 404 page is served at any depth, so its links are absolute under the path the site
    is served at (its stylesheet's path tells which)."""
    prefix = re.search(r'href="([^"]*)_static/styles/furo\.css', page)[1]
    if not prefix.startswith("/"):
        return [f"relative stylesheet {prefix}_static/styles/furo.css"]
    problems = []
    for ref in re.findall(r'(?:href|src)="([^"#?]+)', page):
        if ref.startswith(("https://", "http://", "data:")):
            continue
        if not ref.startswith(prefix):
            problems.append(f"relative {ref}")
        elif not (html / ref.removeprefix(prefix)).is_file():
            problems.append(f"missing {ref}")
    return problems


def test_404_page_links_work_from_any_depth(site):
    page = (site.html / "404.html").read_text()
    assert "<h1>Page not found" in page or "Page not found" in page
    assert notfound_problems(site.html, page) == []


def test_404_check_catches_a_relative_link(site):
    page = (site.html / "404.html").read_text().replace('href="', 'href="x', 1)
    assert len(notfound_problems(site.html, page)) == 1


def llms_problems(html: Path, llms: str, full: str) -> list[str]:
    pages = html_pages(html)
    base = canonical(pages["index.html"]).removesuffix("index.html")
    linked = re.findall(r"\]\((\S+?)\)", llms)
    problems = [f"missing file {u}" for u in linked if not (html / u.removeprefix(base)).is_file()]
    titles = {name: re.search(r"<title>(.*?)(?: - [^<]*)?</title>", text)[1]
              for name, text in pages.items()}
    problems += [f"llms.txt lacks {name}" for name in pages
                 if not any(u.removeprefix(base).startswith("_sources/" + name.removesuffix(".html") + ".")
                            for u in linked)]
    problems += [f"llms-full.txt lacks {name}" for name, title in titles.items()
                 if re.sub(r"&\w+;|&#\d+;", "", title).split("<")[0].strip()[:20] not in full]
    return problems


def test_llms_txt_lists_every_page_and_full_holds_them(site):
    llms, full = (site.html / "llms.txt").read_text(), (site.html / "llms-full.txt").read_text()
    assert llms.startswith("# Automagik Spark\n")
    assert llms_problems(site.html, llms, full) == []


def test_llms_check_catches_a_missing_page(site):
    llms, full = (site.html / "llms.txt").read_text(), (site.html / "llms-full.txt").read_text()
    line = next(l for l in llms.splitlines() if "_sources/quickstart." in l)
    assert llms_problems(site.html, llms.replace(line + "\n", ""), full) == ["llms.txt lacks quickstart.html"]


def test_copyright_line_is_current(site):
    year = datetime.now(timezone.utc).year
    span = "2025" if year == 2025 else f"2025–{year}"
    for name, text in html_pages(site.html).items():
        assert f"Copyright &#169; {span}, Namastex Labs" in text, name


def test_html_extras_stay_out_of_the_mintlify_output(site):
    assert not any((site.mdx / name).exists() for name in ("sitemap.xml", "llms.txt", "404.html"))
    assert not any(site.mdx.rglob("*.html"))


def test_an_incremental_build_keeps_every_page_in_the_sitemap(site, tmp_path):
    """sphinx-sitemap alone writes only the pages a build wrote (none, for a no-op rebuild);
    _ext/sitemap_incremental queues the others."""
    html = shutil.copytree(site.html, tmp_path / "html")
    doctrees = shutil.copytree(site.doctrees, tmp_path / "doctrees")
    (html / "sitemap.xml").unlink()
    proc = sphinx_build("html", SOURCE, html, doctrees)
    assert "no targets are out of date" in proc.stdout  # a no-op rebuild: it writes no page
    assert sitemap_problems((html / "sitemap.xml").read_text(), html_pages(html)) == []
