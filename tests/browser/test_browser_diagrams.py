"""Every mermaid diagram of the site is drawn, and readable, in light and in dark mode.

Loading all ~50 pages twice costs minutes on two cores (mermaid's 40 modules load and
initialise on each), so every diagram's source is taken from the built pages and drawn
inside one real page of the site: the same mermaid build, the same sphinxcontrib-mermaid
configuration and theme switching, the same CSS. Diagrams in their own pages, including
those deferred in inactive tabs, are covered by test_browser_pages.py and test_checks_fail.py.
"""
from __future__ import annotations

import time

import pytest

import browser_checks as bc

SCOPE = "#every-diagram"


def lazy_layout(page, on: bool) -> None:
    """While mermaid draws, diagrams off screen skip layout (content-visibility: auto):
    mermaid measures its text with forced layouts, which would otherwise lay out the whole,
    growing page for each of the ~60 diagrams. Off before anything is checked."""
    page.evaluate("""([scope, on]) => {
        let style = document.getElementById('lazy-layout');
        if (!style) {
            style = document.createElement('style');
            style.id = 'lazy-layout';
            style.textContent = scope + '.lazy-layout > pre.mermaid ' +
                '{ content-visibility: auto; contain-intrinsic-size: auto 500px; }';
            document.head.appendChild(style);
        }
        document.querySelector(scope).classList.toggle('lazy-layout', on);
    }""", [SCOPE, on])


@pytest.fixture(scope="module")
def diagrams(browser, base_url, html_site, components):
    start = time.perf_counter()
    sources = bc.mermaid_sources(html_site)
    host = bc.pick(components, "mermaid", "introduction.html")
    context, guard = bc.new_context(browser, base_url, theme="light")
    report = {"count": len(sources), "host": host}
    try:
        page = context.new_page()
        page.goto(host)
        bc.settle(page)
        page.evaluate("""([scope, diagrams]) => {
            const box = document.createElement('section');
            box.id = scope.slice(1);
            box.innerHTML = '<h2>Every diagram of the site</h2>';
            for (const [where, source] of diagrams) {
                const pre = document.createElement('pre');
                pre.className = 'mermaid';
                pre.dataset.page = where;
                pre.textContent = source;
                box.appendChild(pre);
            }
            document.querySelector('article[role=main]').appendChild(box);
        }""", [SCOPE, sources])
        lazy_layout(page, True)
        page.evaluate("() => window.runMermaid(true)")  # sphinxcontrib-mermaid's entry point
        bc.settle(page)
        lazy_layout(page, False)
        bc.inject_axe(page)
        for theme in ("light", "dark"):
            if theme == "dark":
                lazy_layout(page, True)
                bc.switch_to_dark(page)
                lazy_layout(page, False)
            result = report[theme] = {"theme_applied": page.evaluate(bc.THEME_APPLIED, theme)}
            try:
                result["drawn"] = bc.assert_diagrams_drawn(page, SCOPE)
                result["drawn_error"] = ""
            except AssertionError as exc:
                result["drawn"], result["drawn_error"] = [], str(exc)
            bc.inject_contrast(page)
            result["labels"] = page.evaluate("""(scope) =>
                [...document.querySelectorAll(scope + ' pre.mermaid')].flatMap(el =>
                    sparkContrast.mermaid(el).map(r => ({...r, where: el.dataset.page})))""", SCOPE)
            page.evaluate("(scope) => document.querySelector(scope).scrollIntoView()", SCOPE)
            page.evaluate("""([scope]) => { window.__axe = null;
                axe.run({include: [[scope]]}, {runOnly: {type: 'rule', values: ['color-contrast']},
                        preload: false, resultTypes: ['violations']})
                   .then(r => { window.__axe = {violations: r.violations}; },
                         e => { window.__axe = {error: String(e)}; }); }""", [SCOPE])
            result["axe"] = bc.axe_violations(page)
        report["problems"] = guard.problems()
    finally:
        context.close()
        bc.record_time("every mermaid diagram, light + dark", time.perf_counter() - start)
    return report


def test_the_site_has_diagrams(diagrams):
    assert diagrams["count"] >= 1
    assert not diagrams["problems"], "\n".join(diagrams["problems"])


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_diagram_is_drawn_with_laid_out_nodes(diagrams, theme):
    result = diagrams[theme]
    assert result["theme_applied"], f"the page is not in {theme} mode"
    assert not result["drawn_error"], result["drawn_error"]
    assert len(result["drawn"]) == diagrams["count"]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_diagram_label_is_readable(diagrams, theme):
    result = diagrams[theme]
    labels = result["labels"]
    assert len(labels) >= diagrams["count"], "fewer labels than diagrams: the probe saw nothing"
    bad = [f"{r['where']}: {r['what']} “{r['text']}” {r['fg']} on {r['bg']} = {r['ratio']}:1"
           for r in labels if not r["ok"]]
    assert not bad, f"{theme}: {len(bad)} labels below 4.5:1:\n" + "\n".join(bad[:40])
    assert not result["axe"], f"{theme}: axe color-contrast:\n" + "\n".join(result["axe"][:40])
