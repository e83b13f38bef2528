"""The site opened from disk (file://, no server), as a maintainer previewing `make html` or a
reader of an offline copy opens it, on a laptop (1280×900) and on a phone (390×844).

Every page that has a diagram is loaded once from disk: its diagrams must all render (counted
against the mermaid directives of its source file), and every diagram is measured at both
sizes: labels as drawn (computed font size × the scale the SVG is drawn at) at a median of
at least 12 px and none under 9 px, at most 35 % of the SVG box blank, and a diagram wider
than its box scrolls inside that box (keyboard-focusable), never the page. The same checks fail
on a squeezed diagram (negative tests at the end). The components a reader touches (copy
button, tabs, accordion, theme switch, search) are exercised from disk too.
"""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

import browser_checks as bc

SIZES = {"laptop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def disk_url(html_site) -> str:
    return bc.file_url(html_site)


@pytest.fixture
def disk_context(request, browser, disk_url):
    """A fresh guarded context on the site from disk (nothing may be fetched from a host)."""
    context, guard = bc.new_context(browser, disk_url, theme="light",
                                    permissions=["clipboard-read", "clipboard-write"])
    yield context
    context.close()
    guard.check()


@pytest.fixture(scope="module")
def disk_sweep(browser, html_site, disk_url):
    """Each page with a diagram, from disk: rendered SVGs, sizes at both viewports, whether
    the phone page scrolls sideways, and what the page's guard recorded."""
    start = time.perf_counter()
    expected = bc.source_diagram_counts()
    context, guard = bc.new_context(browser, disk_url, theme="light")
    out = {"expected": expected, "pages": {}}
    try:
        tab = context.new_page()
        for page in sorted(expected):
            report = out["pages"][page] = {"sizes": {}}
            tab.set_viewport_size(SIZES["laptop"])
            tab.goto(disk_url + page)
            try:
                bc.settle(tab)
                bc.reveal_deferred(tab)
                bc.assert_diagrams_drawn(tab)
            except Exception as exc:  # noqa: BLE001 - reported per page below
                report["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
            report["rendered"] = tab.locator("pre.mermaid[data-processed=true] > svg").count()
            report["in_html"] = tab.locator("pre.mermaid").count()
            for name, viewport in SIZES.items():
                tab.set_viewport_size(viewport)
                tab.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                             "requestAnimationFrame(r)))")
                report["sizes"][name] = bc.diagram_sizes(tab)
                report[f"{name}_sideways"] = tab.evaluate(bc.PAGE_SCROLLS_SIDEWAYS)
        out["problems"] = guard.problems()
    finally:
        context.close()
        bc.record_time(f"{len(expected)} diagram pages from file://, 1280 + 390 px",
                       time.perf_counter() - start)
    return out


def test_every_diagram_renders_from_disk(disk_sweep, html_site):
    expected, pages = disk_sweep["expected"], disk_sweep["pages"]
    assert sum(expected.values()) == len(bc.mermaid_sources(html_site)), \
        "the source's mermaid directives and the built site's diagrams differ in number"
    failures = [f"{p}: {r['error']}" for p, r in pages.items() if r.get("error")]
    failures += [f"{p}: {r['rendered']} of {expected[p]} diagrams rendered from file://"
                 for p, r in pages.items() if r["rendered"] != expected[p]]
    assert not failures, "\n".join(failures)
    assert not disk_sweep["problems"], "\n".join(disk_sweep["problems"])


@pytest.mark.parametrize("size", SIZES)
def test_every_diagram_is_readable(disk_sweep, size):
    sizes = [d for r in disk_sweep["pages"].values() for d in r["sizes"][size]]
    assert len(sizes) == sum(disk_sweep["expected"].values())
    bad = bc.size_problems(sizes)
    assert not bad, f"{size} ({SIZES[size]['width']} px): {len(bad)} of {len(sizes)} " \
        "diagrams too small or badly sized:\n" + "\n".join(bad)


@pytest.mark.parametrize("size", SIZES)
def test_a_wide_diagram_scrolls_in_its_box_not_the_page(disk_sweep, size):
    sideways = [p for p, r in disk_sweep["pages"].items() if r[f"{size}_sideways"]]
    assert not sideways, f"{size}: the whole page scrolls sideways on {sideways}"


# ------------------------------------------------------------------------------ negative
def test_size_check_fails_on_a_squeezed_diagram(disk_context, disk_url):
    """The checks above can fail: the same diagram squeezed into 120 px, letterboxed into a
    tall box, scrolling without the hint under it, or cut off by its box without a scroll
    bar; and a page that scrolls sideways on a phone."""
    tab = disk_context.new_page()
    tab.goto(disk_url + "introduction.html")
    bc.settle(tab)
    assert not bc.size_problems(bc.diagram_sizes(tab)), "introduction.html should pass"
    tab.evaluate("() => document.querySelector('pre.mermaid svg').style.width = '120px'")
    assert any("labels median" in p for p in bc.size_problems(bc.diagram_sizes(tab)))
    tab.evaluate("""() => { const svg = document.querySelector('pre.mermaid svg');
        svg.style.width = svg.getAttribute('width') + 'px'; svg.style.height = '3000px'; }""")
    assert any("blank" in p for p in bc.size_problems(bc.diagram_sizes(tab)))
    tab.evaluate("""() => { const svg = document.querySelector('pre.mermaid svg');
        svg.style.height = ''; delete svg.parentElement.dataset.sparkScroll; }""")
    assert any("without a word" in p for p in bc.size_problems(bc.diagram_sizes(tab)))
    tab.evaluate("""() => { const svg = document.querySelector('pre.mermaid svg');
        const pre = svg.parentElement;
        pre.style.overflowX = 'hidden'; pre.removeAttribute('tabindex'); }""")
    assert any("does not scroll" in p for p in bc.size_problems(bc.diagram_sizes(tab)))
    tab.set_viewport_size(SIZES["phone"])
    assert not tab.evaluate(bc.PAGE_SCROLLS_SIDEWAYS)
    tab.evaluate("""() => { const pre = document.querySelector('pre.mermaid');
        pre.style.overflow = 'visible'; pre.style.flex = 'none'; }""")
    assert tab.evaluate(bc.PAGE_SCROLLS_SIDEWAYS), "a page wider than the phone went unseen"


# ------------------------------------------------------------------------------ components
def goto(tab, url: str) -> None:
    tab.goto(url)
    bc.settle(tab)


def test_full_size_view_opens_with_a_drawn_icon(disk_context, disk_url):
    """The full-size control shows an icon drawn with CSS from an inline SVG (no font
    glyph), and opens the diagram at its natural size."""
    tab = disk_context.new_page()
    tab.set_viewport_size(SIZES["phone"])
    goto(tab, disk_url + "introduction.html")
    button = tab.locator(".mermaid-fullscreen-btn").first
    expect(button).to_be_visible()
    icon = button.evaluate("""b => { const s = getComputedStyle(b, '::before');
        return {text: b.textContent, mask: s.maskImage || s.webkitMaskImage,
                w: parseFloat(s.width), h: parseFloat(s.height)}; }""")
    assert icon["text"].strip() == "", f"the button draws a font glyph: {icon['text']!r}"
    assert icon["mask"].startswith('url("data:image/svg+xml') and icon["w"] >= 12, icon
    assert button.get_attribute("aria-label"), "the button has no accessible name"
    button.click()
    modal = tab.locator(".mermaid-fullscreen-modal.active")
    expect(modal).to_be_visible()
    sizes = bc.diagram_sizes(tab, ".mermaid-fullscreen-modal")
    assert len(sizes) == 1 and sizes[0]["scale"] >= 0.99, sizes
    tab.keyboard.press("Escape")
    expect(modal).to_be_hidden()


@pytest.mark.parametrize("path", ["quickstart.html", "installation.html"])
def test_components_work_from_disk(disk_context, disk_url, path):
    """Copy button, accordion, tabs and the theme switch on a page opened from disk."""
    tab = disk_context.new_page()
    goto(tab, disk_url + path)
    # copy button
    block = tab.locator("article div.highlight:has(button.copybtn)").first
    block.scroll_into_view_if_needed()
    tab.evaluate("() => navigator.clipboard.writeText('nothing copied yet')")
    block.hover()
    block.locator("button.copybtn").click()
    expect(block.locator("button.copybtn")).to_have_attribute("data-tooltip", "Copied!")
    copied = tab.evaluate("() => navigator.clipboard.readText()")
    assert copied != "nothing copied yet" and copied.strip(), "nothing reached the clipboard"
    # accordion
    closed = tab.locator("details.spark-accordion:not([open])")
    if closed.count():
        bc.assert_accordion_toggles(tab, tab.locator("details.spark-accordion").nth(
            tab.locator("details.spark-accordion").evaluate_all(
                "all => all.findIndex(d => !d.open)")))
    # tabs (the page's first tab set with two labels)
    sets = tab.locator(".sd-tab-set:has(> label:nth-of-type(2))")
    if sets.count():
        labels, panes = sets.first.locator(":scope > label"), sets.first.locator(
            ":scope > .sd-tab-content")
        labels.nth(1).click()
        expect(panes.nth(1)).to_be_visible()
        expect(panes.nth(0)).to_be_hidden()
    assert closed.count() or sets.count(), f"{path} has neither an accordion nor tabs"
    # theme switch: furo's button, remembered in localStorage; diagrams redrawn dark
    tab.evaluate("() => document.querySelectorAll('pre.mermaid svg')"
                 ".forEach(svg => svg.setAttribute('data-old-theme', ''))")
    toggle = tab.locator(".theme-toggle-content .theme-toggle").first
    for _ in range(3):  # furo cycles auto, dark, light (or auto, light, dark)
        if tab.locator("body").get_attribute("data-theme") == "dark":
            break
        toggle.click()
    expect(tab.locator("body")).to_have_attribute("data-theme", "dark")
    assert tab.evaluate("() => localStorage.getItem('theme')") == "dark"
    tab.wait_for_function("""() => [...document.querySelectorAll('pre.mermaid')].every(el =>
        el.hasAttribute('data-mermaid-deferred') || (el.querySelector('svg') &&
        !el.querySelector('svg[data-old-theme]')))""")


def test_search_works_from_disk(disk_context, disk_url):
    """Sphinx's search loads its index with a <script> tag, which file:// allows: results
    are listed. Their text excerpts need fetch() of the pages, which Chromium refuses from
    file://, so from disk a result shows its title without an excerpt."""
    tab = disk_context.new_page()
    goto(tab, disk_url + "search.html?q=schedule")
    results = tab.locator("#search-results ul.search li")
    expect(results.first).to_be_visible(timeout=20_000)
    assert results.count() >= 3
    href = results.first.locator("a").first.get_attribute("href")
    assert href and not href.startswith("http"), href
