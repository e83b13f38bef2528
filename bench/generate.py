"""Generate a synthetic MyST corpus for the build benchmark.

    python bench/generate.py 200 bench/_work/corpus-200

writes ``index.md``, ``conf.py`` and N-1 pages in sections. Every page uses every component of
``mintlify_components`` (cards with hrefs to other generated pages, steps, accordions, tabs,
code groups with captioned blocks, the six callouts, param/response fields, expandables, the
badge/tooltip/icon roles), a mermaid diagram, GFM tables, a definition list, heading-anchor links,
``{ref}`` and ``{doc}`` cross-references between pages. Output is deterministic for a given N.

The corpus ``conf.py`` loads the same extensions as the project's ``conf.py`` except
``spark_reference`` (it needs the real product), so the peer (sphinx-markdown-builder's
``markdown`` builder, found through its ``sphinx.builders`` entry point) and our ``mdx`` builder
read the very same doctrees.
"""
from __future__ import annotations

import argparse
import ast
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("Getting Started", "Concepts", "Guides", "Integrations", "Configuration",
            "Reference", "Operations", "Troubleshooting")
ICONS = ("rocket", "plug", "clock", "gear", "code", "terminal", "database", "bolt",
         "book", "lightbulb", "server", "life-ring")
WORDS = ("schedule worker task source workflow queue retry cron interval broker result "
         "token adapter payload webhook sync flow agent team status health timeout backoff "
         "database redis celery beat history log metric alert").split()
LANGS = ("bash", "python", "json", "yaml", "ini", "text")

#: settings copied from the project's conf.py when they are literals (else these defaults)
COPIED = {
    "extensions": ["myst_parser", "sphinx_design", "sphinxcontrib.mermaid", "sphinx_click",
                   "sphinx_copybutton", "mintlify_components", "mdx_builder"],
    "myst_enable_extensions": ["colon_fence", "deflist", "attrs_inline"],
    "myst_heading_anchors": 3,
    "html_theme": "furo",
}
#: project extensions the corpus cannot load
NOT_COPIED = ("spark_reference",)

CONF = '''\
"""Sphinx configuration of a generated benchmark corpus (written by bench/generate.py)."""
import sys

sys.path.insert(0, {ext!r})

project = "Bench corpus"
author = "bench"
copyright = "2025, bench"
release = "0.0"
# Copied from the project's conf.py; extensions minus {not_copied} (needs the real product).
{copied}
root_doc = "index"
exclude_patterns = ["_build"]
html_title = "Bench corpus"
html_baseurl = "https://bench.invalid/"  # sphinx-sitemap needs one (-W)
copybutton_prompt_text = r"^\\$ "
copybutton_prompt_is_regexp = True
mermaid_init_config = {{"startOnLoad": False}}
mdx_base_path = "bench"
mdx_docs_json_base = {docs_json!r}
'''


def project_settings(conf: Path = ROOT / "conf.py") -> dict:
    """The literal values of :data:`COPIED` in the project's conf.py, minus :data:`NOT_COPIED`."""
    values = dict(COPIED)
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return values
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id in COPIED:
            try:
                values[stmt.targets[0].id] = ast.literal_eval(stmt.value)
            except ValueError:
                pass
    values["extensions"] = [e for e in values["extensions"] if e not in NOT_COPIED]
    return values


def page_names(n_pages: int) -> list[tuple[int, str, str]]:
    """(section index, docname, title) for every page but the index, in toctree order.

    Section k holds ``sKK/overview`` (which carries a nested toctree) and its pages.
    """
    n = max(n_pages - 1, len(SECTIONS) * 2)
    per = [n // len(SECTIONS) + (1 if k < n % len(SECTIONS) else 0) for k in range(len(SECTIONS))]
    out = []
    number = 0
    for k, count in enumerate(per):
        out.append((k, f"s{k + 1:02d}/overview", f"{SECTIONS[k]} overview"))
        for _ in range(count - 1):
            number += 1
            out.append((k, f"s{k + 1:02d}/page-{number:04d}", f"Topic {number:04d}"))
    return out


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def sentence(rng: random.Random, count: int = 12) -> str:
    text = words(rng, count)
    return text[0].upper() + text[1:] + "."


def rel(from_doc: str, to_doc: str) -> str:
    """A relative Markdown link path from one docname to another."""
    up = "../" * from_doc.count("/")
    return f"{up}{to_doc}.md"


def code_sample(rng: random.Random, lang: str, i: int) -> str:
    if lang == "bash":
        return (f"export SPARK_TOKEN=token-{i}\n"
                f"curl -s http://localhost:8883/api/v1/{rng.choice(WORDS)}s?limit={i % 50 + 1}\n"
                f"automagik-spark {rng.choice(WORDS)}s list --limit {i % 9 + 1}")
    if lang == "python":
        return (f"import httpx\n\n"
                f"resp = httpx.get(\"http://localhost:8883/api/v1/{rng.choice(WORDS)}s\",\n"
                f"                 params={{\"limit\": {i % 50 + 1}}})\n"
                f"for item in resp.json():\n    print(item[\"id\"], item.get(\"{rng.choice(WORDS)}\"))")
    if lang == "json":
        return (f'{{\n  "id": "{i:08d}-0000-4000-8000-000000000000",\n'
                f'  "{rng.choice(WORDS)}": "{words(rng, 2)}",\n  "count": {i},\n'
                f'  "enabled": true\n}}')
    if lang == "yaml":
        return f"{rng.choice(WORDS)}:\n  interval: {i % 60 + 1}m\n  retries: {i % 5}\n"
    if lang == "ini":
        return f"[{rng.choice(WORDS)}]\nconcurrency = {i % 8 + 1}\nprefetch = {i % 4 + 1}\n"
    return f"{words(rng, 6)}\n{words(rng, 8)}"


def make_page(index: int, doc: str, title: str, icon: str, titles: dict[str, str],
              labels: dict[str, str], children: list[str]) -> str:
    rng = random.Random(f"{doc}-{index}")
    others = [d for d in titles if d != doc]
    pick = lambda k: rng.sample(others, min(k, len(others)))  # noqa: E731
    label = labels[doc]
    a, b, c = pick(3)
    lines = [
        "---",
        f"description: {sentence(rng, 10)}",
        f"sidebarTitle: {title}",
        f"icon: {icon}",
        "---",
        "",
        f"# {title}",
        "",
        f"{sentence(rng, 18)} See [{titles[a]}]({rel(doc, a)}) and the "
        f"[steps of {titles[b]}]({rel(doc, b)}#steps). A {{badge}}`beta` feature with a "
        f"{{tooltip}}`tooltip <{words(rng, 4)}>` and an {{icon}}`{icon}` icon; **bold {words(rng, 2)}**, "
        f"*emphasis*, `inline {rng.choice(WORDS)}` and {{ref}}`a labelled section <{labels[c]}>`.",
        "",
        "## Overview",
        "",
        "::::{mint-card-group}",
        ":cols: 2",
    ]
    for target in pick(2):
        lines += [f":::{{mint-card}} {target.split('/')[-1].replace('-', ' ').title()}",
                  f":icon: {rng.choice(ICONS)}",
                  f":href: /{target}",
                  sentence(rng, 9),
                  ":::"]
    lines += ["::::", "", f"({label})=", "## Steps", "", "::::{mint-steps}"]
    for s in range(2):
        lang = rng.choice(("bash", "python"))
        lines += [f":::{{mint-step}} {words(rng, 3).capitalize()}",
                  sentence(rng, 14), "",
                  f"```{lang}", code_sample(rng, lang, index * 10 + s), "```",
                  ":::"]
    lines += ["::::", "", "## Settings", "",
              "| Setting | Type | Default | Meaning |", "|---|---|---|---|"]
    for r in range(3):
        lines.append(f"| `SPARK_{rng.choice(WORDS).upper()}_{r}` | {rng.choice(('int', 'str', 'bool'))} "
                     f"| `{rng.randint(0, 99)}` | {sentence(rng, 7)} |")
    lines += ["", f"{rng.choice(WORDS).capitalize()} term", f": {sentence(rng, 10)}", ""]
    for kind in ("tip", "note", "mint-info", "warning", "mint-check", "danger"):
        lines += [f":::{{{kind}}}", f"{sentence(rng, 15)} Read [more]({rel(doc, rng.choice(others))}).",
                  ":::", ""]
    lines += ["## Install", "", "::::{mint-tabs}"]
    lines += [":::{mint-tab} pip", sentence(rng, 10), "", "```bash",
              code_sample(rng, "bash", index), "```", ":::",
              ":::{mint-tab} Docker Compose", sentence(rng, 12), ":::"]
    lines += ["::::", "", "## Call the API", "", "::::{mint-code-group}"]
    for lang, caption in (("bash", "cURL"), ("python", "Python (httpx)")):
        lines += [f"```{{code-block}} {lang}", f":caption: {caption}",
                  code_sample(rng, lang, index), "```"]
    lines += ["::::", "", "### Parameters", ""]
    lines += [":::{mint-param-field} query limit", ":type: integer", ":required:",
              f":default: {rng.randint(1, 100)}", sentence(rng, 12), ":::", ""]
    lines += ["### Response", "", "::::{mint-response-field} items", ":type: object[]",
              sentence(rng, 10), "", ":::{mint-expandable} properties"]
    lines += [sentence(rng, 6), "", f"- `id`: {words(rng, 4)}", f"- `status`: {words(rng, 4)}",
              ":::", "::::", "", "## How it flows", "", "```{mermaid}", "flowchart LR"]
    for m in range(3):
        lines.append(f'    N{m}["{rng.choice(WORDS)}"] --> N{m + 1}["{rng.choice(WORDS)}"]')
    lines += ["```", "", "## Questions", "", "::::{mint-accordion-group}"]
    for q in range(2):
        lines += [f":::{{mint-accordion}} Why does {words(rng, 3)} fail?", f":icon: {rng.choice(ICONS)}",
                  sentence(rng, 16)]
        if q == 0:
            lines += ["", "```text", words(rng, 8), "```"]
        lines.append(":::")
    lines += ["::::", "", "## See also", ""]
    for target in pick(1):
        lines.append(f"- {{doc}}`/{target}` and {{ref}}`{labels[target]}`")
    lines.append(f"- [Back to the start]({rel(doc, 'index')})")
    lines.append("")
    if children:
        lines += ["```{toctree}", ":maxdepth: 1", *[c.split("/")[-1] for c in children], "```", ""]
    return "\n".join(lines)


def generate(n_pages: int, out: Path) -> Path:
    """Write a corpus of ``n_pages`` pages (index included) into ``out`` (emptied first)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    pages = page_names(n_pages)
    titles = {doc: title for _, doc, title in pages}
    labels = {doc: doc.replace("/", "-") + "-steps" for doc in titles}
    by_section: dict[int, list[str]] = {}
    for k, doc, _ in pages:
        by_section.setdefault(k, []).append(doc)
    for i, (k, doc, title) in enumerate(pages):
        children = by_section[k][1:] if doc.endswith("/overview") else []
        path = out / f"{doc}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make_page(i, doc, title, ICONS[i % len(ICONS)], titles, labels, children),
                        encoding="utf-8")
    index = ["---", "description: A generated corpus for the build benchmark.", "---", "",
             "# Bench corpus", "", f"{len(pages) + 1} generated pages.", "",
             "::::{mint-card-group}", ":cols: 2"]
    for k in range(len(SECTIONS)):
        index += [f":::{{mint-card}} {SECTIONS[k]}", f":href: /s{k + 1:02d}/overview",
                  f"The {SECTIONS[k].lower()} section.", ":::"]
    index += ["::::", ""]
    for k, name in enumerate(SECTIONS):
        index += ["```{toctree}", f":caption: {name}", ":hidden:", f"s{k + 1:02d}/overview", "```", ""]
    (out / "index.md").write_text("\n".join(index), encoding="utf-8")
    copied = "\n".join(f"{k} = {v!r}" for k, v in project_settings().items())
    (out / "conf.py").write_text(CONF.format(ext=str(ROOT / "_ext"), copied=copied,
                                             not_copied=", ".join(NOT_COPIED),
                                             docs_json=str(ROOT / "_templates" / "docs.base.json")),
                                 encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=int, help="number of pages, index included (>= 17)")
    parser.add_argument("out", type=Path, help="output directory (emptied first)")
    args = parser.parse_args()
    generate(args.pages, args.out)
    print(f"wrote {args.pages} pages to {args.out}")


if __name__ == "__main__":
    main()
