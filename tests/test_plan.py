"""The plan as tests: structure and order, bullet coverage, and the success metrics."""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest

from support import SOURCE, TESTS

PLAN = json.loads((TESTS / "data" / "plan.json").read_text())
COVERAGE = {}
for _file in sorted((TESTS / "plan_coverage").glob("*.json")):
    COVERAGE.update(json.loads(_file.read_text()))
PLANNED = [f"{s['folder']}/{p['name']}".lstrip("/") for s in PLAN["sections"] for p in s["pages"]]
CONCEPTS = [p for p in PLANNED if p.startswith("concepts/")]
LINK = re.compile(r"\]\(((?:\.\./|\./)?[\w/.-]+\.md)(?:#[\w-]+)?\)")
CARD_HREF = re.compile(r"^:href:\s*/([\w/-]+)", re.M)


def page_text(page: str) -> str:
    return (SOURCE / f"{page}.md").read_text()


def headings(page: str) -> list[str]:
    text = re.sub(r"^(`{3,}|~{3,}).*?^\1", "", page_text(page), flags=re.M | re.S)
    return [m.group(1).strip() for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", text, re.M)]


def links_of(page: str) -> set[str]:
    text = page_text(page)
    base = Path(page).parent
    out = {posixpath.normpath(str((base / m.group(1)).with_suffix(""))) for m in LINK.finditer(text)}
    out |= set(CARD_HREF.findall(text))
    out.discard(page)
    return out


def test_fifty_pages_exist_at_their_planned_paths():
    assert len(PLANNED) == 50
    missing = [p for p in PLANNED if not (SOURCE / f"{p}.md").is_file()]
    assert missing == []
    extra = sorted(str(p.relative_to(SOURCE).with_suffix("")) for p in SOURCE.rglob("*.md")
                   if str(p.relative_to(SOURCE).with_suffix("")) not in PLANNED + ["index"])
    assert extra == []


def test_navigation_follows_the_plan_in_order(docs_json, site):
    groups = docs_json["navigation"]["groups"]
    assert len(groups) == len(PLAN["sections"])
    # a page with pages cut from it (the API operations) is a nested group headed by that page
    flat = [page if isinstance(page, str) else page["pages"][0]
            for group in groups for page in group["pages"]]
    assert flat == ["spark/index"] + [f"spark/{p}" for p in PLANNED]
    for page in PLANNED:
        assert (site.html / f"{page}.html").is_file(), page
        assert (site.mdx / "spark" / f"{page}.mdx").is_file(), page


@pytest.mark.parametrize("page", PLANNED)
def test_every_plan_bullet_maps_to_a_heading(page):
    section = next(s for s in PLAN["sections"] for p in s["pages"]
                   if f"{s['folder']}/{p['name']}".lstrip("/") == page)
    bullets = next(p["bullets"] for p in section["pages"]
                   if f"{section['folder']}/{p['name']}".lstrip("/") == page)
    table = COVERAGE.get(page)
    assert table is not None, f"{page} has no plan coverage table in tests/plan_coverage/"
    present = headings(page)
    for bullet in bullets:
        assert bullet in table, f"{page}: plan bullet {bullet!r} is not mapped to a heading"
        assert table[bullet] in present, f"{page}: heading {table[bullet]!r} for {bullet!r} is gone"


@pytest.mark.parametrize("page", PLANNED)
def test_page_basics(page):
    text = page_text(page)
    front = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    assert front and re.search(r"^description:\s*\S", front.group(1), re.M), "no description"
    assert len(re.findall(r"^# ", re.sub(r"^(`{3,}).*?^\1", "", text, flags=re.M | re.S),
                          re.M)) == 1, "one # title"


def test_code_blocks_have_a_language():
    problems = []
    for page in PLANNED:
        lines = page_text(page).splitlines()
        inside = None
        for number, line in enumerate(lines, 1):
            stripped = line.strip()
            match = re.match(r"^(`{3,})(.*)$", stripped)
            if not match:
                continue
            if inside and match.group(1) == inside and not match.group(2).strip():
                inside = None
            elif inside is None:
                inside = match.group(1)
                info = match.group(2).strip()
                if not info or info == "{code-block}":
                    problems.append(f"{page}.md:{number}")
    assert problems == []


@pytest.mark.parametrize("page", CONCEPTS)
def test_concept_pages_have_a_diagram(page):
    assert "{mermaid}" in page_text(page)


@pytest.mark.parametrize("page", PLANNED)
def test_pages_link_to_at_least_two_related_pages(page):
    targets = links_of(page)
    assert len(targets & set(PLANNED + ["index"])) >= 2, sorted(targets)


def test_no_page_is_orphaned():
    linked = set()
    for page in PLANNED:
        linked |= links_of(page)
    assert sorted(set(PLANNED) - linked) == []


OUTDATED = [r"\bspark init\b", r"automagik-spark\s+workers\b", r"\bworkers start\b",
            r"workflows?/[\w-]+\.ya?ml", r"tasks/\{[^}]+\}/retry", r"--workers\b"]


@pytest.mark.parametrize("page", PLANNED)
def test_no_outdated_names(page):
    text = page_text(page)
    for pattern in OUTDATED:
        match = re.search(pattern, text)
        assert match is None, f"{page}.md:{text[:match.start()].count(chr(10)) + 1}: {match.group(0)!r}"


def test_key_messages_appear():
    intro = page_text("introduction")
    for message in ("AI that works while you sleep", "Transform reactive into proactive",
                    "Your workflows, any source", "Schedule once, run forever"):
        assert message.lower() in intro.lower(), message
