"""Reader-facing prose budgets: no scaffolding, the version once, few "planned" labels and
warning boxes, setup taught on its own pages, short quickstart and installation.

`python tests/test_prose.py` prints the figures; pytest checks them against the budgets.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "source"

# Values of the old LangFlow stand-in and words that belong to a test log, not a manual.
SCAFFOLDING = [
    "8d3f2a10-6b4c-4e2a-9f1d-7c5b3a2e1f00", "3c5d7e9f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
    "0b1c2d3e-4f50-4a61-b728-39a4b5c6d7e8", "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
    "ChatInput-abc12", "lf-key-123", "in testing", "documentation plan", "the plan ",
    "fake_langflow", "stand-in", "test suite", "live suite",
]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
COMMAND = re.compile(r"^\s*(\$ )?(automagik-spark|curl|http|requests\.|httpx\.|.*https?://\S*/api/)")
BOX = re.compile(r"^(:::+|```+)\{(warning|danger)\}", re.M)
# A page that registers a source: the CLI command or the API call that creates one.
REGISTERS = re.compile(r"automagik-spark sources add|POST \S*/api/v1/sources/?\b|"
                       r"-X POST \S*/api/v1/sources/?[\"' ]|/api/v1/sources/?\", *json=")
SETUP_PAGES = {  # the pages whose subject is registering a source and syncing a flow
    "quickstart", "installation", "working/managing-sources", "working/syncing-workflows",
    "integrations/langflow-setup", "integrations/hive-setup", "integrations/custom-sources",
    "integrations/omni-integration", "api/sources", "cli/source-commands",
}

BUDGET = {"version": 60, "planned": 25, "boxes": 25, "register_pages": 12,
          "quickstart_words": 1400, "installation_words": 1600}


def pages() -> dict[str, str]:
    return {str(p.relative_to(SOURCE).with_suffix("")): p.read_text()
            for p in sorted(SOURCE.rglob("*.md"))}


def figures() -> dict:
    texts = pages()
    return {
        "version": sum(t.count("0.3.7") for t in texts.values()),
        "planned": sum(len(re.findall(r"planned", t, re.I)) for t in texts.values()),
        "boxes": sum(len(BOX.findall(t)) for t in texts.values()),
        "register_pages": sorted(p for p, t in texts.items() if REGISTERS.search(t)),
        "quickstart_words": len(texts["quickstart"].split()),
        "installation_words": len(texts["installation"].split()),
        "scaffolding": [(p, s) for p, t in texts.items() for s in SCAFFOLDING if s in t],
        "frontmatter": [(p, problem) for p, t in texts.items() for problem in frontmatter(t)],
        "uuid_in_commands": [(p, n) for p, t in texts.items()
                             for n, line in enumerate(t.splitlines(), 1)
                             if UUID.search(line) and COMMAND.match(line)],
    }


FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
ACCORDION_TITLE = re.compile(r"^:{3,}\{mint-accordion\} (.*)$", re.M)


def frontmatter(text: str) -> list[str]:
    """What reads badly in a page's frontmatter and accordion titles."""
    problems = []
    front = FRONT.match(text)
    fields = dict(re.findall(r"^(\w+): (.*)$", front.group(1), re.M)) if front else {}
    title = re.search(r"^# (.*)$", text, re.M)
    if len(fields.get("description", "")) > 160:
        problems.append(f"description of {len(fields['description'])} characters (> 160)")
    if "sidebarTitle" in fields and title and \
            len(fields["sidebarTitle"]) >= len(title.group(1).strip()):
        problems.append("sidebarTitle not shorter than the title")
    problems += [f"curly quotes in accordion title {t!r}"
                 for t in ACCORDION_TITLE.findall(text) if re.search("[\u2018\u2019\u201c\u201d]", t)]
    return problems


@pytest.fixture(scope="module")
def fig():
    return figures()


def test_no_scaffolding_on_pages(fig):
    assert fig["scaffolding"] == []


def test_frontmatter_reads_well(fig):
    assert fig["frontmatter"] == []


def test_commands_use_the_readers_ids_not_literal_uuids(fig):
    assert fig["uuid_in_commands"] == []


@pytest.mark.parametrize("key", ["version", "planned", "boxes", "quickstart_words",
                                 "installation_words"])
def test_budget(fig, key):
    assert fig[key] <= BUDGET[key], f"{key}: {fig[key]} > {BUDGET[key]}"


def test_setup_is_taught_on_few_pages(fig):
    assert len(fig["register_pages"]) <= BUDGET["register_pages"], fig["register_pages"]
    assert set(fig["register_pages"]) <= SETUP_PAGES, set(fig["register_pages"]) - SETUP_PAGES


CURLY = re.compile("[\u2018\u2019\u201c\u201d]")


def test_quotes_reach_both_outputs_as_typed(site):
    """Sphinx's smartquotes would turn 'celery' in a quoted error into \u2018celery\u2019 in
    both outputs; the pages type straight quotes, so no page of either output has a curly one."""
    assert not any(CURLY.search(t) for t in pages().values())
    curly = [str(p.relative_to(root)) for root, pattern in ((site.mdx, "*.mdx"),
                                                             (site.html, "*.html"))
             for p in root.rglob(pattern) if CURLY.search(p.read_text())]
    assert curly == []


def test_the_checks_can_fail(monkeypatch, tmp_path):
    (tmp_path / "quickstart.md").write_text("word " * 1500 + "lf-key-123\n"
                                            "automagik-spark workflows run "
                                            "8d2f4b61-0c3a-4e57-b9d8-6a1e2f3c4d5e\n")
    (tmp_path / "installation.md").write_text(":::{warning}\nx\n:::\n0.3.7 planned\n")
    (tmp_path / "faq.md").write_text("---\ndescription: " + "x" * 161 + "\nsidebarTitle: FAQ"
                                     "\n---\n\n# FAQ\n\n:::{mint-accordion} \u201cboom\u201d\n:::\n")
    (tmp_path / "cli").mkdir()
    (tmp_path / "cli" / "x.md").write_text("automagik-spark sources add --name x\n")
    monkeypatch.setattr(sys.modules[__name__], "SOURCE", tmp_path)
    bad = figures()
    assert bad["quickstart_words"] > BUDGET["quickstart_words"]
    assert bad["scaffolding"] == [("quickstart", "lf-key-123")]
    assert bad["uuid_in_commands"] == [("quickstart", 2)]
    assert (bad["boxes"], bad["version"], bad["planned"]) == (1, 1, 1)
    assert bad["register_pages"] == ["cli/x"]
    assert [problem.split(" ")[0] for _, problem in bad["frontmatter"]] == \
        ["description", "sidebarTitle", "curly"]


if __name__ == "__main__":
    for key, value in figures().items():
        shown = len(value) if isinstance(value, list) else value
        print(f"{key:20} {shown:>6}  (budget {BUDGET.get(key, 0)})")
        if isinstance(value, list) and key != "register_pages":
            for item in value[:40]:
                print("   ", item)
