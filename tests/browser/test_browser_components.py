"""Our components behave for a person, on real pages of the built site, in headless Chromium."""
from __future__ import annotations

import re
import time
import urllib.parse

from playwright.sync_api import expect

import browser_checks as bc


def goto(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    bc.settle(page)


def test_accordion_opens_and_closes(page, components):
    path = bc.pick(components, "accordion", "troubleshooting/common-issues.html",
                   "quickstart.html")
    goto(page, path)
    accordions = page.locator("details.spark-accordion")
    states = accordions.evaluate_all("all => all.map(d => d.open)")
    assert False in states, f"{path}: every accordion starts open"
    # a stable locator: nth() of all accordions, not ':not([open])', which moves on once opened
    bc.assert_accordion_toggles(page, accordions.nth(states.index(False)))


def _tab_sets(page, code: bool):
    """The page's tab sets that are code-groups (code=True) or tabs (code=False)."""
    kinds = page.evaluate("""() => [...document.querySelectorAll('.sd-tab-set')].map(set => {
        const panes = [...set.querySelectorAll(':scope > .sd-tab-content')];
        return panes.length > 1 && panes.every(p => p.children.length === 1 &&
            /(^| )highlight-/.test(p.firstElementChild.className));
    })""")
    sets = page.locator(".sd-tab-set")
    return [sets.nth(i) for i, is_code in enumerate(kinds)
            if is_code == code and sets.nth(i).locator(":scope > label").count() > 1]


def test_second_tab_shows_its_content_and_hides_the_first(page, components):
    path = bc.pick(components, "tabs", "installation.html", "config/redis-setup.html")
    goto(page, path)
    empty = page.locator(".sd-tab-set:not(:has(> label))").count()
    assert not empty, (f"{path}: {empty} tab set(s) render empty (<div class=\"sd-tab-set\"> "
                       "without a label or pane): the {mint-tabs} directive lost its tabs")
    tab_sets = _tab_sets(page, code=False)
    assert tab_sets, f"{path}: no tab set with two tabs"
    tabs = tab_sets[0]
    labels = tabs.locator(":scope > label.sd-tab-label")
    panes = tabs.locator(":scope > .sd-tab-content")
    expect(panes.nth(0)).to_be_visible()
    expect(panes.nth(1)).to_be_hidden()
    labels.nth(1).click()
    expect(panes.nth(1)).to_be_visible()
    expect(panes.nth(0)).to_be_hidden()
    expect(tabs.locator(":scope > input").nth(1)).to_be_checked()
    assert panes.nth(1).inner_text().strip(), "the second tab is empty"
    labels.nth(0).click()
    expect(panes.nth(0)).to_be_visible()
    expect(panes.nth(1)).to_be_hidden()


def test_code_group_switches_its_code(page, components):
    candidates = [p for p in components.get("tabs", [])]
    preferred = ["working/creating-schedules.html", "working/managing-sources.html"]
    for path in preferred + candidates:
        if path not in candidates:
            continue
        goto(page, path)
        groups = _tab_sets(page, code=True)
        if groups:
            break
    else:
        raise AssertionError("no built page has a code-group with two blocks")
    group = groups[0]
    labels = group.locator(":scope > label.sd-tab-label")
    panes = group.locator(":scope > .sd-tab-content")
    first_code = panes.nth(0).locator("pre").text_content()
    second_code = panes.nth(1).locator("pre").text_content()
    assert first_code.strip() and second_code.strip() and first_code != second_code
    visible_code = group.locator(":scope > .sd-tab-content pre:visible")
    expect(visible_code).to_have_count(1)
    assert visible_code.text_content() == first_code
    labels.nth(1).click()
    expect(panes.nth(0)).to_be_hidden()
    expect(visible_code).to_have_count(1)
    assert visible_code.text_content() == second_code, f"{path}: the code did not switch"
    assert labels.nth(1).inner_text().strip(), "a code-group tab has no label"


def _cards_in_source(md: str) -> dict[str, str]:
    """{card title: href} of the {mint-card} directives of a MyST page."""
    cards = {}
    for block in re.split(r"\n:{3,}\{mint-card\}", md)[1:]:
        title = block.split("\n", 1)[0].strip()
        href = re.search(r"^:href:\s*(\S+)", block, re.M)
        if href:
            cards[title] = href.group(1)
    return cards


def test_card_link_navigates_to_its_page(page, base_url):
    expected = _cards_in_source((bc.SOURCE / "index.md").read_text(encoding="utf-8"))
    expected = {t: h for t, h in expected.items() if h.startswith("/")}
    assert expected, "source/index.md has no card linking to a page of the site"
    goto(page, "index.html")
    cards = page.locator(".spark-card:has(a.sd-stretched-link)")
    titles = [t.strip() for t in cards.locator(".sd-card-title").all_inner_texts()]
    assert set(expected) <= set(titles), (expected, titles)
    # the link's label is for screen readers only: it must not be painted under the card
    label_boxes = cards.locator("a.sd-stretched-link > span").evaluate_all(
        "spans => spans.map(s => s.getBoundingClientRect())"
        "              .map(r => [r.width, r.height])")
    assert all(w <= 1 and h <= 1 for w, h in label_boxes), \
        f"card link labels are painted: {label_boxes}"

    def target(href: str) -> str:
        path, _, anchor = href.lstrip("/").partition("#")
        return urllib.parse.urljoin(base_url, path + ".html") + (f"#{anchor}" if anchor else "")

    # every card links where its :href: says (linkinator checks those pages exist) ...
    links = dict(zip(titles, cards.locator("a.sd-stretched-link").evaluate_all(
        "links => links.map(a => a.href)")))
    for title, href in expected.items():
        assert links[title] == target(href), f"card {title!r}: {links[title]} is not {href}"
    # ... and a person's click anywhere on a card follows it
    title, href = next(iter(expected.items()))
    box = cards.nth(titles.index(title)).locator(".sd-card-body").bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] - 8)
    assert page.url == target(href), f"card {title!r} went to {page.url}, not {href}"
    expect(page.locator("h1").first).to_be_visible()
    assert "404" not in page.title()


def test_steps_render_numbered(page, components):
    path = bc.pick(components, "steps", "quickstart.html", "installation.html")
    goto(page, path)
    lists = page.locator("ol.sd-steps")
    sizes = [lists.nth(i).locator(":scope > li.sd-step").count() for i in range(lists.count())]
    steps = lists.nth(max(range(len(sizes)), key=sizes.__getitem__))
    count = max(sizes)
    assert count >= 3, f"{path}: the longest steps list has {count} steps"
    first = steps.locator(":scope > li.sd-step").first
    marker = first.evaluate("""li => { const s = getComputedStyle(li, '::before');
        return {content: s.content, width: parseFloat(s.width), display: s.display}; }""")
    assert marker["content"] == "counter(list-item)" and marker["width"] > 0, marker
    painted = bc.step_numbers(page, steps)
    assert painted == [str(n) for n in range(1, count + 1)], painted


def format_copy_text(text: str, prompt: str = r"\$ ") -> str:
    """What sphinx-copybutton puts on the clipboard (copybutton_prompt_text of conf.py, a
    regexp; prompts removed; only prompt lines copied when there are any)."""
    rx = re.compile("^(" + prompt + ")(.*)")
    lines = text.split("\n")
    prompted = [rx.match(line) for line in lines]
    if any(prompted):
        text = "\n".join(m.group(2) if m else line for m, line in zip(prompted, lines)
                         if m or not line.strip())
    return text[:-1] if text.endswith("\n") else text


def test_copy_button_copies_the_code(open_context, base_url):
    origin = base_url.rstrip("/")
    context = open_context(permissions=["clipboard-read", "clipboard-write"])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    goto(page, "quickstart.html")
    block = page.locator("article div.highlight:has(button.copybtn)").first
    block.scroll_into_view_if_needed()
    code = block.locator("pre").text_content()
    page.evaluate("() => navigator.clipboard.writeText('nothing copied yet')")
    block.hover()
    block.locator("button.copybtn").click()
    deadline = time.monotonic() + 5
    while True:
        copied = page.evaluate("() => navigator.clipboard.readText()")
        if copied != "nothing copied yet" or time.monotonic() > deadline:
            break
        page.wait_for_timeout(50)
    assert copied == format_copy_text(code)
    expect(block.locator("button.copybtn")).to_have_attribute("data-tooltip", "Copied!")
