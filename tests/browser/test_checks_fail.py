"""The checks can fail: a tiny generated site, built with the project's conf.py, holds one
broken link, one accordion that cannot be closed, one CDN request and one invalid tag, and
each check reports its problem. Its healthy pages pass the same checks (positive controls),
including mermaid diagrams deferred in a closed accordion and an inactive tab."""
from __future__ import annotations

import textwrap
import time

import pytest

import browser_checks as bc

PAGES = {
    "index.md": """
        # Tiny site

        A site made by the negative tests. See [the components](components.md).

        ```{toctree}
        :hidden:
        components
        unclosable
        raw
        broken
        ```
        """,
    "components.md": """
        # Components

        ::::{mint-accordion-group}
        :::{mint-accordion} A closed accordion
        Its content, shown only when opened.
        :::
        ::::

        ::::{mint-accordion} A diagram in a closed accordion
        ```{mermaid}
        flowchart LR
            A[hidden at load] --> B[drawn once opened]
        ```
        ::::

        ::::{mint-tabs}
        :::{mint-tab} First
        The first tab.
        :::
        :::{mint-tab} Second
        ```{mermaid}
        flowchart LR
            C[inactive tab] --> D[drawn once shown]
        ```
        :::
        ::::

        ::::{mint-code-group}
        ```{code-block} bash
        :caption: Shell
        echo one
        ```
        ```{code-block} python
        :caption: Python
        print("two")
        ```
        ::::

        ::::{mint-steps}
        :::{mint-step} First
        One.
        :::
        :::{mint-step} Second
        Two.
        :::
        :::{mint-step} Third
        Three.
        :::
        ::::

        ::::{mint-card-group}
        :cols: 2
        :::{mint-card} Raw page
        :href: /raw
        A card.
        :::
        :::{mint-card} Broken page
        :href: /broken
        Another card.
        :::
        ::::
        """,
    # A script cancels every click on an open accordion's summary, as a JS regression could. (It
    # used to re-open the accordion on its "toggle" event, which fires a task later: a check that
    # polled in between saw it closed, and this negative case passed by chance under load.)
    "unclosable.md": """
        # Unclosable

        ::::{mint-accordion} This one never closes
        Stuck open.
        ::::

        <script>
        document.addEventListener("click", (e) => {
          const summary = e.target.closest("summary");
          if (summary && summary.parentElement.open) e.preventDefault();
        }, true);
        </script>
        """,
    # Raw HTML: an element HTML does not have and a script from a CDN.
    "raw.md": """
        # Raw HTML

        <div class="raw"><blink>An invalid tag</blink></div>

        <script src="https://cdn.example.com/lib.js"></script>
        """,
    # Links Sphinx cannot see: they are raw HTML.
    "broken.md": """
        # Broken

        <p><a href="nope.html">a page that does not exist</a> and
        <a href="components.html#no-such-fragment">a fragment that does not exist</a></p>
        """,
}


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-site")
    src = root / "source"
    src.mkdir()
    for name, text in PAGES.items():
        (src / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    start = time.perf_counter()
    proc = bc.sphinx_build(src, root / "html", root / "doctrees", confdir=bc.REPO)
    bc.record_time("sphinx-build -W (tiny negative site)", time.perf_counter() - start)
    assert proc.returncode == 0, "the tiny site must build cleanly:\n" + proc.stderr[-4000:]
    with bc.SiteServer(root / "html") as server:
        # the two subprocess checks run while the browser tests below do
        bc.JOBS["tiny-vnu"] = bc.Background(bc.run_vnu, root / "html")
        bc.JOBS["tiny-links"] = bc.Background(bc.broken_links, server.base_url, root / "html")
        yield root / "html", server.base_url
        bc.JOBS["tiny-links"].wait()


@pytest.fixture
def tiny_page(browser, tiny_site):
    """A page of the tiny site with its own Guard: these tests look at what it recorded."""
    context, guard = bc.new_context(browser, tiny_site[1])
    page = context.new_page()
    page.guard = guard
    yield page
    context.close()


def test_a_myst_link_to_a_missing_page_fails_the_strict_build(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "index.md").write_text("# Index\n\n[gone](missing.md)\n")
    proc = bc.sphinx_build(tmp_path / "src", tmp_path / "html", tmp_path / "dt", confdir=bc.REPO)
    assert proc.returncode != 0 and "missing.md" in proc.stderr, proc.stderr[-2000:]


def test_an_unclosable_accordion_fails_the_accordion_check(tiny_page):
    tiny_page.goto("unclosable.html")
    with pytest.raises(AssertionError, match="close"):
        bc.assert_accordion_toggles(tiny_page, tiny_page.locator("details.spark-accordion"),
                                    timeout=1_500)


def test_a_healthy_accordion_passes_the_same_check(tiny_page):
    tiny_page.goto("components.html")
    bc.assert_accordion_toggles(tiny_page, tiny_page.locator("details.spark-accordion").first)
    tiny_page.guard.check()


def test_a_cdn_request_is_blocked_and_fails_the_page(tiny_page):
    tiny_page.goto("raw.html")
    tiny_page.wait_for_load_state("load")
    assert tiny_page.guard.blocked == ["https://cdn.example.com/lib.js"]
    with pytest.raises(AssertionError, match="cdn.example.com"):
        tiny_page.guard.check()


def test_hidden_diagrams_are_drawn_once_shown(tiny_page):
    """The diagram in the inactive tab is deferred (display:none); Chromium keeps a closed
    <details>' content laid out (content-visibility), so that one is drawn at load and must
    still come out right when opened."""
    tiny_page.goto("components.html")
    bc.settle(tiny_page)
    assert tiny_page.locator("pre.mermaid").count() == 2, \
        "a diagram is missing (the one in the second {mint-tab}: does {mint-tabs} render its tabs?)"
    assert tiny_page.locator("pre.mermaid[data-mermaid-deferred]").count() == 1
    assert bc.reveal_deferred(tiny_page) == 1  # a click on the second tab's label
    tiny_page.locator("details.spark-accordion").nth(1).locator("summary").click()
    assert len(bc.assert_diagrams_drawn(tiny_page)) == 2
    tiny_page.guard.check()


def test_a_broken_link_and_fragment_are_reported(tiny_site):
    html, base_url = tiny_site
    broken = bc.JOBS["tiny-links"].result()
    assert any(b.startswith(base_url + "nope.html ") and "HTTP 404" in b for b in broken), broken
    assert any(b.startswith(base_url + "components.html#no-such-fragment ") for b in broken), broken
    assert len(broken) == 2, broken  # the rest of the tiny site is fine


def test_an_invalid_tag_is_reported_by_the_nu_html_checker(tiny_site):
    html, _ = tiny_site
    findings = bc.vnu_findings(bc.JOBS["tiny-vnu"].result(), html)
    on_raw = [f for f in findings if f.startswith("raw.html:")]
    assert any("blink" in f for f in on_raw), findings
    # our directives themselves (components.html) pass
    assert not [f for f in findings if f.startswith("components.html:")], findings
