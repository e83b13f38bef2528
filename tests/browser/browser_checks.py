"""The checks of the browser suite, shared by the tests on the real site and the negative tests.

Everything here runs offline: Sphinx builds into temp dirs, a threaded http.server on 127.0.0.1
serves them, Debian's Chromium is driven by pip playwright, and the Nu Html Checker, linkinator
and axe-core come from npm packages on disk. A negative test calls the very function a real
test calls, so a check that cannot fail is caught.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SOURCE = REPO / "source"
NODE_MODULES = REPO / "tests" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CONTRAST_JS = HERE / "js" / "contrast.js"
CHROMIUM = os.environ.get("SPARK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = REPO / "tests" / "artifacts" / "screenshots"
TIMINGS: dict[str, float] = {}


def record_time(name: str, seconds: float) -> None:
    """Add to the named duration of the end-of-session timing table."""
    TIMINGS[name] = TIMINGS.get(name, 0.0) + seconds


# Served by the test server next to the site, so Chromium caches the parsed script across pages.
AXE_URL_PATH = "/__browser_tests__/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


# ------------------------------------------------------------------------------ build
def sphinx_build(srcdir: Path, outdir: Path, doctrees: Path, *, confdir: Path = REPO,
                 strict: bool = True, timeout: int = 600) -> subprocess.CompletedProcess:
    """`sphinx-build -b html` exactly as the Makefile runs it (from the repo root, -c conf)."""
    exe = REPO / ".venv" / "bin" / "sphinx-build"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "sphinx"]
    cmd += ["-b", "html", "-c", str(confdir), "-d", str(doctrees)]
    cmd += ["-W", "--keep-going", "-n"] if strict else ["--keep-going", "-n"]
    cmd += ["-j", "auto", str(srcdir), str(outdir)]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout)


def html_pages(root: Path) -> list[str]:
    """Every built page, relative to the output root (no _static, no _sources)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")
                  if not {"_static", "_sources", "_images"} & set(p.relative_to(root).parts))


class _Scan(HTMLParser):
    """Counts the component markers of one built page."""

    MARKERS = {
        "accordion": ("details", "spark-accordion"),
        "tabs": ("div", "sd-tab-set"),
        "card-link": ("a", "sd-stretched-link"),
        "steps": ("ol", "sd-steps"),
        "mermaid": ("pre", "mermaid"),
        "api-field": ("div", "spark-field"),
        "cli-reference": ("dl", "option"),  # sphinx-click's output
    }

    def __init__(self):
        super().__init__()
        self.found: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        for name, (want_tag, want_class) in self.MARKERS.items():
            if tag == want_tag and want_class in classes:
                self.found[name] = self.found.get(name, 0) + 1


_CODE_PANE = re.compile(r'<div class="sd-tab-content[^"]*">\s*<div class="highlight-')


def component_index(root: Path) -> dict[str, list[str]]:
    """{component: [pages that contain it]}, read from the built HTML."""
    index: dict[str, list[str]] = {}
    for page in html_pages(root):
        html = (root / page).read_text(encoding="utf-8")
        scan = _Scan()
        scan.feed(html)
        if _CODE_PANE.search(html):
            scan.found["code-group"] = 1
        for name in scan.found:
            index.setdefault(name, []).append(page)
    return index


def pick(index: dict[str, list[str]], component: str, *preferred: str) -> str:
    """A page that has the component: the first preferred page that does, else the first."""
    pages = index.get(component, [])
    assert pages, f"no built page contains a {component!r} component"
    return next((p for p in preferred if p in pages), pages[0])


# ------------------------------------------------------------------------------ server
class _Handler(http.server.SimpleHTTPRequestHandler):
    extra: dict[str, Path] = {}

    def translate_path(self, path):
        clean = urllib.parse.urlsplit(path).path
        if clean in self.extra:
            return str(self.extra[clean])
        return super().translate_path(path)

    def end_headers(self):
        # static files may be cached for the session, as any host would let them be: pages
        # then share one parsed copy of mermaid's 40 modules instead of revalidating each
        path = urllib.parse.urlsplit(self.path).path
        if path in self.extra or path.startswith("/_static/"):
            self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    # the default listen backlog (5) refuses connections when linkinator and Chromium
    # both fetch at once
    request_queue_size = 128
    daemon_threads = True


class SiteServer:
    """A directory served on 127.0.0.1 (ephemeral port) by a thread of this process."""

    def __init__(self, directory: Path):
        handler = type("Handler", (_Handler,), {"extra": {AXE_URL_PATH: AXE_JS}})
        self.httpd = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="docs-http",
                                       daemon=True)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self) -> "SiteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)


# ------------------------------------------------------------------------------ browser
@dataclass
class Guard:
    """Aborts every request that leaves the local server and records it, and records every
    console error and uncaught page error. A test with anything recorded fails."""

    base_url: str
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        # only requests to other hosts are intercepted (the pattern is matched inside the
        # browser), so local requests do not each wait on a round trip to Python
        context.route(re.compile("^(?!" + re.escape(self.base_url) + ")"), self._route)
        context.on("page", self.watch)
        for page in context.pages:
            self.watch(page)

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base_url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _console(self, msg) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "") if msg.location else ""
            self.errors.append(f"console.error: {msg.text} ({where})")

    def problems(self) -> list[str]:
        return [f"request to another host: {u}" for u in self.blocked] + list(self.errors)

    def check(self) -> None:
        problems = self.problems()
        assert not problems, "the page misbehaved:\n  " + "\n  ".join(problems)


def new_context(browser, base_url: str, *, theme: str | None = "light", **options):
    """A fresh browser context with its Guard; `theme` is stored the way furo stores it."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(15_000)
    if theme:
        context.add_init_script(f"try {{ localStorage.setItem('theme', {json.dumps(theme)}); }}"
                                " catch (e) {}")
    guard = Guard(base_url)
    guard.attach(context)
    return context, guard


# Every diagram is either drawn (an <svg> with at least one shape) or deferred by
# sphinxcontrib-mermaid because it is hidden (an inactive tab; Chromium keeps a closed
# <details>' content laid out, so diagrams in accordions are drawn at load).
MERMAID_SETTLED = """() => document.readyState === 'complete' &&
  [...document.querySelectorAll('pre.mermaid')].every(el =>
    el.hasAttribute('data-mermaid-deferred') ||
    (el.getAttribute('data-processed') === 'true' &&
     el.querySelector('svg g.node, svg .actor, svg g.label, svg rect, svg path')))"""


def settle(page) -> None:
    """Wait for the page's fonts and its visible mermaid diagrams."""
    page.wait_for_function(MERMAID_SETTLED)
    page.evaluate("() => document.fonts.ready.then(() => true)")


def reveal_deferred(page, limit: int = 50) -> int:
    """Show every diagram sphinxcontrib-mermaid deferred, as a reader would: click the summary
    of the closed accordion, or the label of the inactive tab, that hides it, then wait for the
    diagram to be drawn. Returns how many clicks that took."""
    clicks = 0
    for _ in range(limit):
        where = page.evaluate(_NEXT_HIDDEN_DIAGRAM)
        if where is None:
            return clicks
        assert where != "stuck", "a deferred diagram is hidden by something we cannot open"
        if where == "visible":  # shown but off screen: the IntersectionObserver waits for it
            page.locator("[data-reveal-diagram]").scroll_into_view_if_needed()
            page.wait_for_function(_DIAGRAM_SHOWN)
            continue
        target = page.locator("[data-reveal-me]")
        target.click()
        target.evaluate("el => el.removeAttribute('data-reveal-me')")
        clicks += 1
        # visible now (or hidden by one more closed container, opened on the next round)
        diagram = page.locator("[data-reveal-diagram]")
        if diagram.is_visible():
            diagram.scroll_into_view_if_needed()
        page.wait_for_function(_DIAGRAM_SHOWN)
    raise AssertionError(f"more than {limit} clicks to show every diagram")


_NEXT_HIDDEN_DIAGRAM = """() => {
    const el = document.querySelector('pre.mermaid[data-mermaid-deferred]');
    if (!el) return null;
    document.querySelectorAll('[data-reveal-diagram]').forEach(
        d => d.removeAttribute('data-reveal-diagram'));
    el.setAttribute('data-reveal-diagram', '');
    const mark = (node) => { node.setAttribute('data-reveal-me', ''); return true; };
    const hidden = (node) => getComputedStyle(node).display === 'none';
    for (let up = el.parentElement; up; up = up.parentElement) {
        if (up.matches('details:not([open])'))
            return mark(up.querySelector(':scope > summary')) && 'summary';
        if (up.matches('.sd-tab-content') && hidden(up))
            return mark(up.previousElementSibling) && 'tab';
    }
    return el.getClientRects().length ? 'visible' : 'stuck';
}"""

_DIAGRAM_SHOWN = """() => {
    const el = document.querySelector('[data-reveal-diagram]');
    if (!el.getClientRects().length) return true;   // still inside another closed container
    return !el.hasAttribute('data-mermaid-deferred');
}"""


def open_accordions(page) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


_NODES = "g.node, rect.actor, g.note, .statediagram-state"

# One summary per diagram under `scope` (a CSS selector, or the whole document).
DIAGRAMS = """([scope, nodesSel]) =>
  [...document.querySelectorAll(scope + ' pre.mermaid')].map(el => {
    const svg = el.querySelector('svg');
    const where = el.dataset.page || location.pathname.slice(1);
    if (el.hasAttribute('data-mermaid-deferred')) return {where, problem: 'still deferred'};
    if (el.getAttribute('data-processed') !== 'true' || !svg) return {where, problem: 'no SVG'};
    const nodes = [...svg.querySelectorAll(nodesSel)];
    const sized = nodes.filter(n => { const b = n.getBBox(); return b.width > 0 && b.height > 0; });
    const spots = new Set(nodes.map(n => { const r = n.getBoundingClientRect();
        return Math.round(r.left) + ',' + Math.round(r.top); }));
    const box = svg.getBoundingClientRect();
    const type = svg.getAttribute('aria-roledescription');
    let problem = '';
    if (/syntax error|parse error/i.test(svg.textContent)) problem = 'mermaid drew an error';
    else if (!nodes.length) problem = 'no nodes';
    else if (sized.length < nodes.length) problem = 'nodes without a size';
    else if (nodes.length > 1 && spots.size < 2) problem = 'nodes not laid out';
    else if (box.width < 50 || box.height < 20) problem = 'empty drawing';
    return {where, type, nodes: nodes.length, problem};
})"""


def assert_diagrams_drawn(page, scope: str = "") -> list[dict]:
    """Every pre.mermaid (under `scope`) holds an SVG whose nodes have been laid out
    (non-empty, distinct boxes); returns one summary per diagram."""
    settled = """([scope, nodesSel]) =>
      [...document.querySelectorAll(scope + ' pre.mermaid')].every(el =>
        el.getAttribute('data-processed') === 'true' &&
        !el.hasAttribute('data-mermaid-deferred') &&
        [...el.querySelectorAll('svg ' + nodesSel.split(', ').join(', svg '))]
          .some(n => n.getBBox().width > 0))"""
    try:
        # mermaid 11 inserts the <svg> first and lays it out a moment later: poll for boxes
        page.wait_for_function(settled, arg=[scope, _NODES], timeout=30_000)
    except Exception:  # report per diagram below
        pass
    diagrams = page.evaluate(DIAGRAMS, [scope, _NODES])
    bad = [f"{d['where']}: {d['problem']} ({d.get('type')})" for d in diagrams if d["problem"]]
    assert not bad, "diagrams not drawn:\n  " + "\n  ".join(bad)
    return diagrams


def assert_accordion_toggles(page, details, timeout: float = 5_000) -> None:
    """A closed accordion opens on a click of its summary and closes on a second click; the
    keyboard (Enter on the focused summary) does the same."""
    from playwright.sync_api import expect

    summary = details.locator(":scope > summary")
    body = details.locator(":scope > .sd-summary-content")
    assert details.get_attribute("open") is None, "pick an accordion that starts closed"
    expect(body, "a closed accordion hides its content").to_be_hidden(timeout=timeout)
    summary.click()
    expect(details, "a click opens it").to_have_attribute("open", "", timeout=timeout)
    expect(body, "an open accordion shows its content").to_be_visible(timeout=timeout)
    summary.click()
    expect(details, "a second click closes it").not_to_have_attribute("open", "", timeout=timeout)
    expect(body, "a closed accordion hides its content again").to_be_hidden(timeout=timeout)
    summary.focus()
    page.keyboard.press("Enter")
    expect(body, "Enter on the summary opens it").to_be_visible(timeout=timeout)
    page.keyboard.press("Enter")
    expect(body, "Enter again closes it").to_be_hidden(timeout=timeout)


def step_numbers(page, steps_locator) -> list[str]:
    """The text Chromium actually paints in each step's ::before marker (via a DOM snapshot,
    which includes generated content), in document order."""
    steps_locator.evaluate("el => el.setAttribute('data-probe-steps', '1')")
    cdp = page.context.new_cdp_session(page)
    try:
        snap = cdp.send("DOMSnapshot.captureSnapshot", {"computedStyles": []})
    finally:
        cdp.detach()
        steps_locator.evaluate("el => el.removeAttribute('data-probe-steps')")
    strings = snap["strings"]
    doc = snap["documents"][0]
    nodes, layout = doc["nodes"], doc["layout"]
    parent = nodes["parentIndex"]
    probe = strings.index("data-probe-steps")
    ol = next(i for i, attrs in enumerate(nodes["attributes"]) if probe in attrs[::2])
    pseudo = dict(zip(nodes["pseudoType"]["index"], nodes["pseudoType"]["value"]))
    numbers: dict[int, str] = {}
    for node, text in zip(layout["nodeIndex"], layout["text"]):
        if text < 0:
            continue
        up = node
        while up >= 0 and up not in pseudo:
            up = parent[up]
        if up < 0 or strings[pseudo[up]] != "before":
            continue
        li = parent[up]
        if parent[li] == ol:
            numbers[li] = numbers.get(li, "") + strings[text]
    return [numbers[k].strip() for k in sorted(numbers)]


def inject_contrast(page) -> None:
    page.add_script_tag(path=str(CONTRAST_JS))


# ------------------------------------------------------------------------------ axe-core
# axe findings that come from Sphinx itself, not from our pages or CSS. Each entry is
# (rule id, regex over the node's HTML as axe reports it, reason). Keep it minimal.
AXE_ALLOW = [
    ("aria-required-attr", re.compile(r'^<p class="caption" role="heading">'),
     "Sphinx's HTML writer gives the toctree captions of furo's sidebar role=heading without "
     "aria-level (the same finding as vnu's aria-level error below)"),
]


def inject_axe(page) -> None:
    page.add_script_tag(url=AXE_URL_PATH)


def start_axe(page, rules: list[str] | None = None, exclude: list[str] = (),
              preload: bool = True) -> None:
    """Start axe.run on the page; axe_violations() collects the result:
    the WCAG 2.x A/AA rules, or only `rules`; `exclude` lists CSS selectors to leave out;
    preload=False skips fetching the stylesheets (only css-orientation-lock reads them)."""
    run_only = ({"type": "rule", "values": rules} if rules
                else {"type": "tag", "values": WCAG_TAGS})
    page.evaluate("""([runOnly, exclude, preload]) => { window.__axe = null;
        const context = exclude.length ? {exclude: exclude.map(s => [s])} : document;
        axe.run(context, {runOnly, preload, resultTypes: ['violations']})
           .then(r => { window.__axe = {violations: r.violations}; },
                 e => { window.__axe = {error: String(e)}; }); }""",
                  [run_only, list(exclude), preload])


def axe_violations(page) -> list[str]:
    """Wait for start_axe's result; the violations that the allow-list does not cover."""
    page.wait_for_function("() => window.__axe", timeout=60_000)
    res = page.evaluate("() => window.__axe")
    assert "error" not in res, res["error"]
    out = []
    for v in res["violations"]:
        for node in v["nodes"]:
            target = " ".join(map(str, node["target"]))
            if any(v["id"] == rule and rx.search(node["html"]) for rule, rx, _ in AXE_ALLOW):
                continue
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            out.append(f"{v['id']} ({v['impact']}): {target}: {summary[:220]}")
    return out


# ------------------------------------------------------------------------------ Nu Html Checker
# Findings that furo or Sphinx produce on every page, whatever our pages contain.
# Each entry: (message regex, reason). Only "error" and "warning" messages are judged; vnu's
# plain "info" messages (e.g. "Trailing slash on void elements") are advice, not findings.
VNU_ALLOW = [
    (re.compile(r"^Element “p” is missing required attribute “aria-level”\.$"),
     "Sphinx's HTML writer renders each toctree caption of furo's sidebar as "
     "<p class=\"caption\" role=\"heading\"> with no aria-level"),
    (re.compile(r"^Article lacks heading\."),
     "furo wraps the page in <article role=\"main\"> and Sphinx puts the <h1> inside a "
     "<section>, so vnu's outline sees no heading directly in the article"),
    (re.compile(r"^Consider using the “h1” element as a top-level heading only"),
     "Sphinx nests every page's <h1> inside <section>; advice about the outline algorithm"),
    (re.compile(r"^A “link” element with an “as” attribute must have a “rel” attribute that "
                r"contains the value “preload” or the value “modulepreload”\.$"),
     "furo's base template prefetches the light and dark logos with <link rel=\"prefetch\" "
     "as=\"image\">, which browsers honour and vnu 26.9 flags"),
    (re.compile(r"^The “list” role is unnecessary for element “ol”\.$"),
     "ours, deliberate: steps are an <ol role=\"list\"> because list-style:none makes "
     "Safari/VoiceOver drop the list semantics without it"),
]


def run_vnu(root: Path, timeout: int = 300) -> list[dict]:
    """The Nu Html Checker over every HTML file under `root`; its JSON messages."""
    # C1-only JIT and the serial GC: the run is short, this halves its CPU time
    # (vnu needs a big thread stack then, it says so itself)
    jvm = ["-Xss4m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]
    proc = subprocess.run(
        ["java", *jvm, "-jar", str(VNU_JAR), "--skip-non-html", "--format", "json", str(root)],
        capture_output=True, text=True, timeout=timeout)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    return json.loads(proc.stderr or '{"messages": []}')["messages"]


def vnu_findings(messages: list[dict], root: Path) -> list[str]:
    """Errors and warnings not covered by VNU_ALLOW, as 'page:line: message'."""
    out = []
    for m in messages:
        kind = m.get("type")
        if kind == "info" and m.get("subType") != "warning":
            continue
        if kind not in ("error", "info", "non-document-error"):
            continue
        if any(rx.search(m.get("message", "")) for rx, _ in VNU_ALLOW):
            continue
        url = m.get("url", "")
        page = url.split(root.as_posix() + "/", 1)[-1] if url else "?"
        label = "warning" if kind == "info" else kind
        out.append(f"{page}:{m.get('lastLine', '?')}: {label}: {m.get('message')}"
                   f" [{(m.get('extract') or '').strip()[:80]}]")
    return out


# ------------------------------------------------------------------------------ linkinator
def linkinator_command() -> list[str]:
    """linkinator from tests/node_modules (pinned to 7.x: 8.x needs Node 22, this machine has 20)."""
    node = shutil.which("node")
    assert node, "node is not installed"
    cli = NODE_MODULES / "linkinator" / "build" / "src" / "cli.js"
    assert cli.is_file(), "tests/node_modules/linkinator is missing: run `make node`"
    return [node, str(cli)]


def broken_links(base_url: str, root: Path, timeout: int = 300) -> list[str]:
    """Crawl the served site with linkinator --recurse --check-fragments, starting from the
    root and from every page; every broken URL or #fragment on this server, with the pages
    that link to it. Links to other hosts are skipped (no network)."""
    pages = html_pages(root)
    local = "^(?!" + re.escape(base_url) + ")"
    cmd = [*linkinator_command(), base_url, *(base_url + p for p in pages),
           "--recurse", "--check-fragments", "--skip", local, "--format", "JSON",
           "--concurrency", "8", "--timeout", "30000",
           "--retry-errors", "--retry-errors-count", "2"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=HERE)
    assert proc.stdout.strip(), f"linkinator printed nothing (rc {proc.returncode}):\n{proc.stderr}"
    links = json.loads(proc.stdout)["links"]
    crawled = {urllib.parse.urldefrag(link["url"])[0] for link in links}
    missed = [p for p in pages if base_url + p not in crawled]
    assert not missed, f"linkinator did not crawl {missed}"
    broken = {link["url"]: link.get("status") for link in links if link["state"] == "BROKEN"}
    assert proc.returncode == (1 if broken else 0), proc.stderr[-3000:]
    # linkinator 7 skips the fragment check for a page it already fetched as a start URL, so
    # every #fragment is also checked here against the ids of the built target page
    for url in missing_fragments(root, base_url):
        broken.setdefault(url, "200, no such id")
    return [f"{url}  (HTTP {status}; linked from "
            f"{', '.join(referrers(root, base_url, url)) or '?'})"
            for url, status in sorted(broken.items())]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)
            if name in ("id", "name") and value:
                self.ids.add(value)


def missing_fragments(root: Path, base_url: str) -> list[str]:
    """Internal links whose #fragment names no id in the target page (as absolute URLs)."""
    parsed = {}
    for page in html_pages(root):
        parser = _Links()
        parser.feed((root / page).read_text(encoding="utf-8"))
        parsed[page] = parser
    out = set()
    for page, parser in parsed.items():
        for href in parser.urls:
            url = urllib.parse.urljoin(base_url + page, href)
            target, fragment = urllib.parse.urldefrag(url)
            if not fragment or not target.startswith(base_url):
                continue
            rel = target[len(base_url):] or "index.html"
            if rel in parsed and fragment not in parsed[rel].ids:
                out.add(url)
    return sorted(out)


def referrers(root: Path, base_url: str, url: str) -> list[str]:
    """The pages whose href/src resolves to `url` (for readable failure messages)."""
    out = []
    for page in html_pages(root):
        parser = _Links()
        parser.feed((root / page).read_text(encoding="utf-8"))
        if any(urllib.parse.urljoin(base_url + page, u) == url for u in parser.urls):
            out.append(page)
    return out[:5]


# ------------------------------------------------------------------------------ readability
# Text of our components (and the code inside them) whose contrast the tests measure in both
# themes; axe cannot, inside steps (their ::before marker hides the background from it).
COMPONENT_TEXT = ", ".join([
    ".spark-accordion > summary .sd-summary-text",
    ".spark-accordion > .sd-summary-content :is(p, li, td, th, strong, em, a)",
    ".sd-tab-set > label", ".sd-tab-content :is(p, li, strong, em, a)",
    ".spark-card .sd-card-title", ".spark-card .sd-card-body :is(p, strong, em, a)",
    ".sd-step-title", ".sd-step-content :is(p, li, strong, em, a)",
    ".admonition-title", ".admonition :is(p, li, strong, em, a)",
    ".spark-field-head *", ".spark-field-body :is(p, li)",
    ".spark-badge", ".spark-example-label", ".spark-tooltip", ".spark-expandable > summary",
    ".spark-frame figcaption",
    ":is(.sd-tab-content, .sd-step-content, .sd-summary-content) code span.pre",
    ":is(.sd-tab-content, .sd-step-content, .sd-summary-content) .highlight pre span",
])

READABILITY = """(selector) => {
    const out = sparkContrast.texts(selector);
    document.querySelectorAll('ol.sd-steps > li.sd-step').forEach(
        li => out.push(sparkContrast.pseudo(li, '::before')));
    document.querySelectorAll('pre.mermaid').forEach(
        el => out.push(...sparkContrast.mermaid(el).map(r => ({...r, what: 'mermaid ' + r.what}))));
    return out;
}"""


def readability(page) -> list[dict]:
    """Contrast of every component text, step number and mermaid label on the page."""
    inject_contrast(page)
    return page.evaluate(READABILITY, COMPONENT_TEXT)


# ------------------------------------------------------------------------------ diagrams
class _Diagrams(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "pre" and "mermaid" in (dict(attrs).get("class") or "").split():
            self._inside = True
            self.sources.append("")

    def handle_endtag(self, tag):
        if tag == "pre":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.sources[-1] += data


def mermaid_sources(root: Path) -> list[tuple[str, str]]:
    """(page, diagram source) of every mermaid diagram of the built site."""
    out = []
    for page in html_pages(root):
        parser = _Diagrams()
        parser.feed((root / page).read_text(encoding="utf-8"))
        out += [(page, src) for src in parser.sources]
    return out


# ------------------------------------------------------------------------------ background jobs
JOBS: dict[str, "Background"] = {}  # started by the fixtures, collected by the tests


class Background:
    """A slow subprocess check started early in a thread; .result() waits and re-raises."""

    def __init__(self, fn, *args):
        self._result = self._error = None
        self._thread = threading.Thread(target=self._run, args=(fn, *args), daemon=True)
        self._thread.start()

    def _run(self, fn, *args):
        try:
            self._result = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting test
            self._error = exc

    def wait(self, timeout: float = 600) -> None:
        self._thread.join(timeout)

    def result(self, timeout: float = 600):
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "background check still running"
        if self._error is not None:
            raise self._error
        return self._result


# ------------------------------------------------------------------------------ themes
THEME_APPLIED = """(theme) => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
    const dark = (r + g + b) / 3 < 64;
    return document.body.dataset.theme === theme && dark === (theme === 'dark'); }"""


def switch_to_dark(page) -> None:
    """What furo's theme button does (data-theme on <body>, remembered in localStorage).
    sphinxcontrib-mermaid watches data-theme and redraws every diagram with mermaid's dark
    theme: wait for the new SVGs, and for CSS colour transitions (tab labels: 250 ms)."""
    page.evaluate("""() => {
        document.querySelectorAll('pre.mermaid svg')
            .forEach(svg => svg.setAttribute('data-old-theme', ''));
        localStorage.setItem('theme', 'dark');
        document.body.dataset.theme = 'dark'; }""")
    page.wait_for_function("""() => [...document.querySelectorAll('pre.mermaid')].every(el =>
        el.hasAttribute('data-mermaid-deferred') || (el.getAttribute('data-processed') === 'true' &&
        el.querySelector('svg') && !el.querySelector('svg[data-old-theme]')))""", timeout=60_000)
    page.evaluate("""() => Promise.all(document.getAnimations()
        .filter(a => a instanceof CSSTransition).map(a => a.finished))""")


# ------------------------------------------------------------------------------ from disk
def file_url(root: Path) -> str:
    """The site as a reader opens it from disk (no server): file:///…/html/."""
    return root.resolve().as_uri() + "/"


_MERMAID_DIRECTIVE = re.compile(r"^\s*(`{3,}|:{3,})\s*\{mermaid\}", re.M)


def source_diagram_counts(source: Path = SOURCE) -> dict[str, int]:
    """{built page: number of mermaid directives in its source file}."""
    out = {}
    for md in source.rglob("*.md"):
        rel = md.relative_to(source)
        if rel.parts[0].startswith(("_", ".")):
            continue
        count = len(_MERMAID_DIRECTIVE.findall(md.read_text(encoding="utf-8")))
        if count:
            out[rel.with_suffix(".html").as_posix()] = count
    return out


# ------------------------------------------------------------------------------ diagram size
# A diagram is readable when its labels, as drawn, are large enough: the computed font size of
# each label times the scale the SVG is drawn at (rendered width / viewBox width, or the height
# ratio when that is smaller: the plugin letterboxes). And its SVG box must be mostly drawing.
LABEL_MEDIAN_PX = 12
LABEL_MIN_PX = 9
MAX_BLANK = 0.35

DIAGRAM_SIZES = """(scope) => {
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
      return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  const SKIP = new Set(['style', 'script', 'title', 'desc', 'defs', 'marker']);
  return [...document.querySelectorAll(scope + ' pre.mermaid')]
    .filter(el => scope || !el.closest('.mermaid-fullscreen-modal'))  // the full-size copy
    .map((el, i) => {
      const where = (el.dataset.page || decodeURIComponent(location.pathname).split('/html/').pop())
          + ' diagram ' + (i + 1);
      const svg = el.querySelector('svg');
      if (!svg) return {where, problem: 'no SVG'};
      const vb = svg.viewBox.baseVal, box = svg.getBoundingClientRect();
      if (!vb || !vb.width || !box.width) return {where, problem: 'no viewBox, or not shown'};
      const scale = Math.min(box.width / vb.width, box.height / vb.height);
      const labels = [];
      for (const n of svg.querySelectorAll('*')) {
        if (SKIP.has(n.localName) || n.closest('style, defs, marker')) continue;
        if (![...n.childNodes].some(c => c.nodeType === 3 && c.textContent.trim())) continue;
        const cs = getComputedStyle(n);
        if (cs.display === 'none' || cs.visibility === 'hidden') continue;
        labels.push(parseFloat(cs.fontSize) * scale);
      }
      let l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
      for (const c of svg.children) {
        if (SKIP.has(c.localName)) continue;
        const rc = c.getBoundingClientRect();
        if (!rc.width && !rc.height) continue;
        l = Math.min(l, rc.left); t = Math.min(t, rc.top);
        r = Math.max(r, rc.right); b = Math.max(b, rc.bottom);
      }
      const w = Math.max(0, Math.min(r, box.right) - Math.max(l, box.left));
      const h = Math.max(0, Math.min(b, box.bottom) - Math.max(t, box.top));
      const cs = getComputedStyle(el);
      return {where, labels: labels.length, scale,
              median: labels.length ? median(labels) : 0,
              min: labels.length ? Math.min(...labels) : 0,
              blank: 1 - (w * h) / (box.width * box.height),
              width: box.width, boxWidth: el.clientWidth,
              scrolls: el.scrollWidth > el.clientWidth + 1,
              scrollable: ['auto', 'scroll'].includes(cs.overflowX),
              focusable: el.tabIndex >= 0,
              hint: !!el.parentElement.matches('.mermaid-container') &&
                    getComputedStyle(el.parentElement, '::after').content !== 'none'};
    });
}"""


def diagram_sizes(page, scope: str = "") -> list[dict]:
    """One measurement per diagram under `scope` (see DIAGRAM_SIZES)."""
    return page.evaluate(DIAGRAM_SIZES, scope)


def size_problems(sizes: list[dict]) -> list[str]:
    """Diagrams whose labels are too small, that float in blank space, or that are wider than
    their box without scrolling (or with a scroll box the keyboard cannot reach)."""
    out = []
    for d in sizes:
        if d.get("problem"):
            out.append(f"{d['where']}: {d['problem']}")
            continue
        why = []
        if not d["labels"]:
            why.append("no labels found")
        elif d["median"] < LABEL_MEDIAN_PX or d["min"] < LABEL_MIN_PX:
            why.append(f"labels median {d['median']:.1f} px, smallest {d['min']:.1f} px "
                       f"(scale {d['scale']:.2f}; needs ≥ {LABEL_MEDIAN_PX} and ≥ {LABEL_MIN_PX})")
        if d["blank"] > MAX_BLANK:
            why.append(f"{d['blank']:.0%} of the SVG box is blank (at most {MAX_BLANK:.0%})")
        if d["scrolls"] and not (d["scrollable"] and d["focusable"]):
            why.append("wider than its box, which does not scroll or cannot take focus")
        elif d["scrolls"] and not d["hint"]:
            why.append("wider than its box without a word under it that it scrolls")
        if why:
            out.append(f"{d['where']}: " + "; ".join(why))
    return out


# The page scrolls sideways: the document, or furo's columns (on a narrow screen furo makes
# .content scroll sideways itself, so the document alone would not show it). The article is
# not judged: furo lets every heading's hidden ¶ link hang 8 px into the margin.
PAGE_SCROLLS_SIDEWAYS = """() => document.scrollingElement.scrollWidth > window.innerWidth + 1 ||
  [...document.querySelectorAll('.page, .main, .content')]
    .some(el => el.scrollWidth > el.clientWidth + 1)"""


# ------------------------------------------------------------------------------ wrapping
WRAPPED_TEXT = "article[role=main] :is(p, li, dt, dd, td, th)"

# Every line break inside `selector`'s text, found per character (a Range's rect moves down):
# a break between two letters or digits is mid-word. Blocks inside the element start their own
# lines, so the comparison restarts in each block. Also: boxes wider than they show (tables,
# code) must scroll, and be keyboard-focusable to do so.
WRAPPING = """(selector) => {
  const word = /[\\p{L}\\p{N}]/u;
  const midWord = [];
  const seen = new Set();
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('.mermaid, .highlight, .sidebar-drawer, .toc-drawer')) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let prev = null;
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const block = node.parentElement.closest('p, li, dt, dd, td, th, div, pre');
      if (seen.has(node)) continue;
      seen.add(node);
      if (!node.parentElement.getClientRects().length) continue;
      for (let i = 0; i < node.length; i++) {
        const ch = node.data[i];
        if (/\\s/.test(ch)) { prev = prev && {...prev, ch: ' '}; continue; }
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (prev && prev.block === block && rect.top > prev.top + rect.height / 2 &&
            word.test(prev.ch) && word.test(ch)) {
          const text = node.data;
          midWord.push((prev.node === node ? '' : '…') +
                       text.slice(Math.max(0, i - 12), i) + '⏎' + text.slice(i, i + 12));
        }
        prev = {top: rect.top, ch, block, node};
      }
    }
  }
  const boxes = [...document.querySelectorAll(
      'article[role=main] :is(.table-wrapper, .highlight pre, pre.literal-block)')]
    .filter(el => el.getClientRects().length && el.scrollWidth > el.clientWidth + 1)
    .map(el => ({what: el.className || el.tagName,
                 scrolls: ['auto', 'scroll'].includes(getComputedStyle(el).overflowX),
                 focusable: el.tabIndex >= 0}));
  return {midWord, boxes};
}"""


def wrapping(page, selector: str = WRAPPED_TEXT) -> dict:
    """{'midWord': ['…text⏎text…', …], 'boxes': [{what, scrolls, focusable}, …]}."""
    return page.evaluate(WRAPPING, selector)


def wrapping_problems(result: dict) -> list[str]:
    out = [f"breaks mid-word: {m}" for m in result["midWord"]]
    out += [f"a {b['what']} wider than its box that does not scroll or cannot take focus"
            for b in result["boxes"] if not (b["scrolls"] and b["focusable"])]
    return out
