"""Text wraps between words or after punctuation, never mid-word, on a phone (390 px) and a
laptop (1280 px); what still does not fit (a wide table, a long code line) scrolls sideways in
its own focusable box, and the page itself never does.

Pages: the ones with the most inline code in table cells (environment variables, API fields,
CLI options), where a long name such as AUTOMAGIK_SPARK_API_KEY meets a narrow column.
"""
from __future__ import annotations

import re
import time

import pytest

import browser_checks as bc

SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 900}}
PAGES = 6
_CELL_CODE = re.compile(r"<t[dh][^>]*>(?:(?!</t[dh]>).)*?<code class=\"docutils literal",
                        re.S)


def busiest_tables(html_site) -> list[str]:
    """The pages with the most table cells holding inline code, and the quickstart."""
    counts = {}
    for page in bc.html_pages(html_site):
        text = (html_site / page).read_text(encoding="utf-8")
        counts[page] = len(_CELL_CODE.findall(text))
    ranked = sorted((p for p, n in counts.items() if n), key=lambda p: -counts[p])
    assert ranked, "no table cell of the site holds inline code: nothing to measure"
    return sorted(set(ranked[:PAGES]) | {"quickstart.html"})


@pytest.fixture(scope="module")
def measured(browser, base_url, html_site):
    start = time.perf_counter()
    pages = busiest_tables(html_site)
    context, guard = bc.new_context(browser, base_url, theme="light")
    out = {}
    try:
        tab = context.new_page()
        for page in pages:
            tab.goto(page)
            bc.settle(tab)
            bc.open_accordions(tab)
            for size, viewport in SIZES.items():
                tab.set_viewport_size(viewport)
                tab.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                             "requestAnimationFrame(r)))")
                out[(page, size)] = {**bc.wrapping(tab),
                                     "sideways": tab.evaluate(bc.PAGE_SCROLLS_SIDEWAYS)}
        out["problems"] = guard.problems()
    finally:
        context.close()
        bc.record_time(f"wrapping on {len(pages)} pages, 390 + 1280 px", time.perf_counter() - start)
    return out


@pytest.mark.parametrize("size", SIZES)
def test_text_wraps_between_words_and_wide_boxes_scroll(measured, size):
    assert not measured["problems"], "\n".join(measured["problems"])
    results = {key[0]: r for key, r in measured.items()
               if isinstance(key, tuple) and key[1] == size}
    failures = [f"{p}: {problem}" for p, r in results.items() for problem in
                bc.wrapping_problems(r)]
    failures += [f"{p}: the page scrolls sideways" for p, r in results.items() if r["sideways"]]
    assert not failures, f"{size}:\n" + "\n".join(failures[:60])


def test_wrapping_check_fails_on_mid_word_breaks_and_clipped_tables(page, html_site):
    """The check above can fail: the same page with the break-anywhere rule this suite once
    shipped, and with a table wrapper that clips instead of scrolling."""
    path = busiest_tables(html_site)[0]
    page.set_viewport_size(SIZES["phone"])
    page.goto(path)
    bc.settle(page)
    assert not bc.wrapping_problems(bc.wrapping(page)), f"{path} should pass"
    page.add_style_tag(content="article[role=main] :is(td, th, td *, th *) "
                               "{ overflow-wrap: anywhere; word-break: break-all; }")
    assert any("mid-word" in p for p in bc.wrapping_problems(bc.wrapping(page)))
    page.add_style_tag(content="article[role=main] :is(td, th, td *, th *) "
                               "{ overflow-wrap: normal; word-break: normal; } "
                               "article[role=main] .table-wrapper "
                               "{ overflow-x: hidden !important; } article[role=main] "
                               ":is(td, th) span.pre { white-space: nowrap !important; }")
    page.evaluate("() => document.querySelectorAll('.table-wrapper')"
                  ".forEach(t => t.removeAttribute('tabindex'))")
    assert any("does not scroll" in p for p in bc.wrapping_problems(bc.wrapping(page)))
