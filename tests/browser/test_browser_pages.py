"""Pages of the site, in light and in dark mode, as a reader's browser shows them.

The sweep loads each page once in light mode, checks it, switches it to dark mode in place (as
furo's theme button does: sphinxcontrib-mermaid then redraws every diagram in mermaid's dark
theme) and checks it again. It records what the tests below assert: mermaid diagrams drawn
(including those deferred in inactive tabs), axe-core's WCAG 2.x A/AA verdict, the contrast of
our components' text and of mermaid labels, full-page screenshots of the showcase pages, and
any request that tried to leave the machine or any console/page error.

Which pages: by default the showcase (the index, the quickstart and one page per component
family), the search page and a generated CLI reference page, which together hold every kind
of markup the site has. A page costs about 3 s here (two cores; mermaid's modules load and
initialise on each page, axe runs twice), so all ~50 pages take about 2.5 minutes:
SPARK_BROWSER_EVERY_PAGE=1 sweeps every page (do it before a release). Every page is still
validated (vnu), crawled (linkinator), scanned for external requests, and every diagram is
drawn in both themes (test_browser_diagrams.py) in every run.

In dark mode axe runs only its colour rules: every other WCAG rule looks at markup that the
theme does not change, and was run in light mode. furo's sidebar is the same markup on every
page, and every page links the same stylesheets, so the sidebar, and the one rule that reads
the stylesheets themselves (css-orientation-lock, which needs axe's CSSOM preload), are
checked on CHROME_PAGES and left out elsewhere.
"""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import browser_checks as bc

THEMES = ["light", "dark"]
DARK_RULES = ["color-contrast", "link-in-text-block"]
CHROME_PAGES = {"index.html", "search.html", "api/workflows.html"}


@dataclass
class PageReport:
    theme_applied: bool = False
    diagrams: int = 0
    revealed: int = 0
    drawn_error: str = ""
    unreadable: list = field(default_factory=list)
    axe: list = field(default_factory=list)
    screenshot: Path | None = None


def showcase(components: dict[str, list[str]]) -> dict[str, str]:
    """{page: why}: the index, the quickstart and one page per component family (families
    share a page where one holds several)."""
    pages = {"index.html": "index", "quickstart.html": "quickstart"}
    families = {
        "card-link": ("index.html",),
        "steps": ("quickstart.html", "installation.html"),
        "accordion": ("quickstart.html", "installation.html"),
        "mermaid": ("quickstart.html", "introduction.html"),
        "tabs": ("installation.html", "config/redis-setup.html"),
        "code-group": ("working/creating-schedules.html", "working/managing-sources.html"),
        "api-field": ("api/workflows.html",),
    }
    for family, preferred in families.items():
        if components.get(family):
            pages.setdefault(bc.pick(components, family, *preferred), family)
    return pages


def sweep_pages(html_site, components) -> list[str]:
    everything = bc.html_pages(html_site)
    if os.environ.get("SPARK_BROWSER_EVERY_PAGE") == "1":
        return everything
    chosen = set(showcase(components)) | {"search.html"}
    if components.get("cli-reference"):
        chosen.add(bc.pick(components, "cli-reference", "cli/source-commands.html"))
    return [p for p in everything if p in chosen]


def shot_path(theme: str, page: str) -> Path:
    return bc.ARTIFACTS / theme / (page.removesuffix(".html").replace("/", "__") + ".png")


def _look(tab, path: str, theme: str, report: PageReport, shots) -> None:
    """Everything but axe, for the page as it is now shown in `theme`."""
    report.theme_applied = tab.evaluate(bc.THEME_APPLIED, theme)
    try:
        report.revealed = bc.reveal_deferred(tab)
        if tab.locator("pre.mermaid").count():
            report.diagrams = len(bc.assert_diagrams_drawn(tab))
    except Exception as exc:  # AssertionError or a playwright timeout
        report.drawn_error = f"{type(exc).__name__}: {exc}"
    bc.open_accordions(tab)
    if path in shots:
        report.screenshot = shot_path(theme, path)
        report.screenshot.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(report.screenshot), full_page=True)
    report.unreadable = [r for r in bc.readability(tab) if not r["ok"]]
    full = path in CHROME_PAGES
    bc.start_axe(tab, None if theme == "light" else DARK_RULES,
                 exclude=[] if full else [".sidebar-drawer"], preload=full and theme == "light")


def sweep(browser, base_url: str, pages: list[str], shots: dict[str, str]):
    """Each page is loaded once in light mode, checked, switched to dark mode in place (as
    furo's theme button does) and checked again. One tab: two side by side were slower here,
    Chromium already keeps both cores busy."""
    context, guard = bc.new_context(browser, base_url, theme="light")
    reports: dict[str, dict[str, PageReport]] = {"light": {}, "dark": {}}
    try:
        tab = context.new_page()
        for path in pages:
            tab.goto(path)
            bc.settle(tab)
            bc.inject_axe(tab)
            for theme in THEMES:
                if theme == "dark":
                    bc.switch_to_dark(tab)
                report = reports[theme][path] = PageReport()
                _look(tab, path, theme, report, shots)
                report.axe = bc.axe_violations(tab)
        return reports, guard.problems()
    finally:
        context.close()


_SWEEP: list = []


@pytest.fixture(params=THEMES)
def swept(request, browser, base_url, html_site, components):
    if not _SWEEP:
        shutil.rmtree(bc.ARTIFACTS, ignore_errors=True)  # no stale screenshots of old pages
        start = time.perf_counter()
        pages = sweep_pages(html_site, components)
        _SWEEP.append(sweep(browser, base_url, pages, showcase(components)))
        bc.record_time(f"{len(pages)} pages in light + dark (load, diagrams, contrast, axe, "
                       "screenshots)", time.perf_counter() - start)
    reports, problems = _SWEEP[0]
    return request.param, reports[request.param], problems


def test_pages_stay_offline_and_raise_no_errors(swept):
    theme, reports, problems = swept
    assert not problems, f"{theme}: " + "\n".join(problems)
    assert all(r.theme_applied for r in reports.values()), \
        [p for p, r in reports.items() if not r.theme_applied]


def test_diagrams_on_their_pages_are_drawn(swept):
    theme, reports, _ = swept
    failures = [f"{p}: {r.drawn_error}" for p, r in reports.items() if r.drawn_error]
    assert not failures, f"{theme}:\n" + "\n".join(failures)
    assert sum(r.diagrams for r in reports.values()), "no diagram on the swept pages"


def test_components_and_diagrams_are_readable(swept):
    theme, reports, _ = swept
    failures = [f"{p}: {u['what']} “{u['text']}” {u['fg']} on {u['bg']} = {u['ratio']}:1 "
                f"(needs {u['need']}:1)" for p, r in reports.items() for u in r.unreadable]
    assert not failures, f"{theme}: {len(failures)} texts below WCAG AA contrast:\n" + \
        "\n".join(failures[:60])


def test_axe_finds_no_wcag_violation(swept):
    theme, reports, _ = swept
    failures = [f"{p}: {v}" for p, r in reports.items() for v in r.axe]
    assert not failures, f"{theme}: {len(failures)} axe violations:\n" + "\n".join(failures[:60])


def test_screenshots_of_the_showcase_pages(swept, components):
    """Into tests/artifacts/screenshots (ignored by git): the suite leaves the checkout as it
    found it. The README's image is refreshed by hand from the light index's screenshot."""
    theme, reports, _ = swept
    for path in showcase(components):
        shot = reports[path].screenshot
        assert shot and shot.stat().st_size > 20_000, f"no screenshot of {path}"

