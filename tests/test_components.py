"""Component test root: golden MDX, doctree snapshots, HTML markup, Mintlify's checks, bad input."""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from helpers_node import node_json
from helpers_sphinx import sphinx_build
from support import TESTS

ROOT = TESTS / "roots" / "components"
GOLDEN = TESTS / "golden" / "components"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("components")
    sphinx_build("mdx", ROOT, out / "mdx", out / "doctrees", confdir=ROOT)
    sphinx_build("html", ROOT, out / "html", out / "doctrees", confdir=ROOT)
    return out


def golden_files(built: Path) -> dict[str, str]:
    mdx = built / "mdx"
    files = {str(p.relative_to(mdx)): p.read_text() for p in sorted(mdx.rglob("*.mdx"))}
    files["docs.json"] = (mdx / "docs.json").read_text()
    return files


def update_golden(golden: Path, files: dict[str, str]) -> None:
    """Write the built files over their goldens. Nothing is deleted: a golden or snapshot that
    is no longer built fails the comparison, naming the file to remove by hand."""
    for name, text in files.items():
        (golden / name).parent.mkdir(parents=True, exist_ok=True)
        (golden / name).write_text(text)


def test_mdx_matches_golden_corpus(built):
    files = golden_files(built)
    if UPDATE:
        update_golden(GOLDEN, files)
    expected = {str(p.relative_to(GOLDEN)): p.read_text()
                for p in sorted(GOLDEN.rglob("*")) if p.is_file() and p.suffix != ".txt"}
    assert sorted(files) == sorted(expected), "goldens not built (remove them) or missing"
    for name, text in files.items():
        assert text == expected[name], f"{name} differs from tests/golden (UPDATE_GOLDEN=1 to accept)"


def test_doctree_snapshots(built):
    import pickle

    snapshots = {}
    for pickled in sorted((built / "doctrees").glob("*.doctree")):
        doctree = pickle.loads(pickled.read_bytes())
        snapshots[f"{pickled.stem}.doctree.txt"] = re.sub(r'source="[^"]*"', 'source="…"',
                                                           doctree.pformat())
    if UPDATE:
        update_golden(GOLDEN, snapshots)
    assert sorted(p.name for p in GOLDEN.glob("*.doctree.txt")) == sorted(snapshots)
    for name, text in snapshots.items():
        assert text == (GOLDEN / name).read_text(), f"{name} changed (UPDATE_GOLDEN=1)"


def test_updating_goldens_keeps_every_snapshot(tmp_path):
    """Negative case for the old rmtree: an update writes files and deletes none."""
    (tmp_path / "page.doctree.txt").write_text("snapshot")
    (tmp_path / "spark").mkdir()
    (tmp_path / "spark" / "gone.mdx").write_text("stale")
    update_golden(tmp_path, {"spark/page.mdx": "new", "docs.json": "{}"})
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [
        "docs.json", "page.doctree.txt", "spark/gone.mdx", "spark/page.mdx"]


def test_mintlify_parses_and_renders_every_page(built):
    report = node_json("check_pages.mjs", str(built / "mdx"))
    assert report["pages"] == len(list(ROOT.glob("*.md"))) + len(list(ROOT.glob("*.rst")))
    assert report["problems"] == {}


def test_docs_json_is_valid_and_follows_the_toctree(built):
    assert node_json("validate_docs_json.mjs", str(built / "mdx" / "docs.json"))["ok"]
    nav = json.loads((built / "mdx" / "docs.json").read_text())["navigation"]
    assert nav["groups"][0]["group"] == "Families"
    assert nav["groups"][0]["pages"] == ["spark/index", "spark/cards", "spark/disclosure",
                                         "spark/callouts", "spark/fields", "spark/markdown",
                                         "spark/rst-page"]


def test_no_broken_links_or_anchors(built):
    assert node_json("broken_links.mjs", str(built / "mdx")) == []


@pytest.mark.parametrize("page, markup", [
    ("cards", ['class="sd-container-fluid', 'sd-row-cols-md-3', 'class="sd-card',
               'href="callouts.html"', 'href="markdown.html#id1"', 'class="spark-icon"']),
    ("disclosure", ['<details class="sd-sphinx-override sd-dropdown', 'open="open"',
                    'class="sd-tab-set', 'type="radio"', '<ol class="sd-steps spark-steps"',
                    'class="sd-tab-label" for=', 'class="mermaid"', 'Install with pip.',
                    'Use compose.']),
    ("callouts", ['class="admonition tip"', 'class="admonition info"', 'class="admonition check"',
                  'class="admonition danger"', 'sd-badge', 'class="spark-tooltip"']),
    ("fields", ['class="spark-field"', 'spark-field-required', 'class="spark-expandable"',
                'spark-request-example', '<figure class="spark-frame"']),
])
def test_html_markup(built, page, markup):
    html = (built / "html" / f"{page}.html").read_text()
    for piece in markup:
        assert piece in html, f"{piece!r} missing from {page}.html"


def test_html_has_no_cdn_urls(built):
    for page in (built / "html").glob("*.html"):
        text = page.read_text()
        assert "cdn.jsdelivr" not in text and "unpkg.com" not in text, page.name


# -- bad input ------------------------------------------------------------------------------
BAD = {
    "unknown-option": (":::{mint-card} T\n:colour: red\nx\n:::\n", "colour"),
    "missing-title": (":::{mint-accordion}\nx\n:::\n", "mint-accordion needs a title"),
    "step-outside-steps": (":::{mint-step} T\nx\n:::\n", "mint-step outside mint-steps"),
    "tab-outside-tabs": (":::{mint-tab} T\nx\n:::\n", "mint-tab outside mint-tabs"),
    "accordion-in-accordion": ("::::{mint-accordion} A\n:::{mint-accordion} B\nx\n:::\n::::\n",
                               "mint-accordion nested in mint-accordion"),
    "cols-out-of-range": ("::::{mint-card-group}\n:cols: 5\n:::{mint-card} T\nx\n:::\n::::\n",
                          "cols must be from 1 to 4"),
    "javascript-href": (":::{mint-card} T\n:href: javascript:alert(1)\nx\n:::\n", "unsafe scheme"),
    "empty-component": ("::::{mint-steps}\n::::\n", "mint-steps is empty"),
    "empty-callout": (":::{tip}\n:::\n", "Content block expected"),
    "unknown-page": (":::{mint-card} T\n:href: /nowhere\nx\n:::\n", "Unknown source document 'nowhere'"),
    "unknown-anchor": (":::{mint-card} T\n:href: /index#nowhere\nx\n:::\n", "local id not found in doc 'index': 'nowhere'"),
    "color-not-hex": (":::{mint-card} T\n:icon: rocket\n:color: red\nx\n:::\n", "must be a hex code"),
    "color-without-icon": (':::{mint-card} T\n:color: "#16A34A"\nx\n:::\n', "colours its icon"),
}


def _tiny_site(tmp_path, **pages: str) -> Path:
    """A source dir with the project's conf.py and the given pages (``index="…"`` → index.md)."""
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    shutil.copy(ROOT / "conf.py", src / "conf.py")
    for name, text in pages.items():
        (src / f"{name}.md").write_text(text)
    return src


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_fails_the_build_at_file_and_line(tmp_path, case):
    body, message = BAD[case]
    src = _tiny_site(tmp_path, index="# Bad\n\nIntro.\n\n" + body)
    proc = sphinx_build("mdx", src, tmp_path / "out", tmp_path / "d", confdir=src, check=False)
    assert proc.returncode != 0
    lines = [l for l in proc.stderr.splitlines() if message in l]
    assert lines, proc.stderr
    assert re.search(r"index\.md:(5|6|7)\b", lines[0]), lines[0]


@pytest.mark.parametrize("builder", ["mdx", "html"])
def test_unknown_icon_fails_the_build_in_both_builders(tmp_path, builder):
    src = _tiny_site(tmp_path, index="---\nicon: no-such-page-icon\n---\n# Icons\n\n"
                     ":::{mint-card} T\n:icon: no-such-card-icon\nx\n:::\n\n"
                     "Text {icon}`no-such-inline-icon`.\n\n{icon}`rocket` is known.\n")
    proc = sphinx_build(builder, src, tmp_path / "out", tmp_path / "d", confdir=src, check=False)
    assert proc.returncode != 0
    warnings = [l for l in proc.stderr.splitlines() if "unknown icon" in l]
    assert len(warnings) == 3, proc.stderr
    for line, name in [(2, "no-such-page-icon"), (6, "no-such-card-icon"), (11, "no-such-inline-icon")]:
        assert any(re.search(rf"index\.md:{line}: WARNING: unknown icon '{name}'.*\[mintlify\.icon\]", w)
                   for w in warnings), (name, warnings)


# -- no option is dropped by one builder -----------------------------------------------------
#: a value for each option converter kind, and the markup a component needs around it
OPTION_VALUES = {"icon": "rocket", "href": "https://example.com/x", "color": '"#16A34A"',
                 "cols": "3", "caption": "Cap-tion", "description": "Descrip-tion",
                 "type": "string", "default": "5", "placeholder": "place-holder"}
ARGUMENT = {"mint-param-field": "query limit", "mint-response-field": "field_name"}
PARENT = {"mint-step": "mint-steps", "mint-tab": "mint-tabs", "mint-accordion": "mint-accordion-group",
          "mint-card": "mint-card-group"}
CHILD = {parent: child for child, parent in PARENT.items()}
NEEDS = {("mint-card", "color"): ":icon: rocket\n"}  # the colour is the icon's


def option_variants():
    from mintlify_components.registry import COMPONENTS

    for spec in sorted(COMPONENTS, key=lambda spec: spec.name):
        for option in sorted(spec.options):
            yield spec.name, spec, option


def _component_page(name: str, cls, option: str | None, needs: str = "") -> str:
    arg = ARGUMENT.get(name, "Title" if cls.title == "required" else "")
    opt = needs + (f":{option}: {OPTION_VALUES.get(option, '')}".rstrip() + "\n" if option else "")
    inner = f":::{{{CHILD[name]}}} Child\nBody text.\n:::\n" if name in CHILD else "Body text.\n"
    fence = "::::" if name in CHILD else ":::"
    body = f"{fence}{{{name}}} {arg}\n{opt}{inner}{fence}\n".replace("} \n", "}\n")
    if name in PARENT:
        body = f"::::{{{PARENT[name]}}}\n{body}::::\n"
    return f"# Page\n\n{body}"


def _page_body(builder: str, text: str) -> str:
    if builder == "mdx":
        return text
    return text[text.index('role="main"'):text.rindex("</section>")]  # no navigation


def test_every_option_changes_the_output_of_both_builders(tmp_path):
    """Walks every component's options: each one, set, must change the HTML and the MDX."""
    src = _tiny_site(tmp_path)
    variants = list(option_variants())
    pages = {}
    for name, cls, option in variants:
        needs = NEEDS.get((name, option), "")
        pages[f"{name}-{option}-base"] = _component_page(name, cls, None, needs)
        pages[f"{name}-{option}"] = _component_page(name, cls, option, needs)
    for page, text in pages.items():
        (src / f"{page}.md").write_text(text)
    (src / "index.md").write_text("# Index\n\n```{toctree}\n" + "\n".join(sorted(pages)) + "\n```\n")
    unchanged = []
    for builder, suffix in [("mdx", "spark/{}.mdx"), ("html", "{}.html")]:
        out = tmp_path / builder
        sphinx_build(builder, src, out, tmp_path / "d", confdir=src)
        for name, _cls, option in variants:
            base, with_option = (_page_body(builder, (out / suffix.format(p)).read_text())
                                 for p in (f"{name}-{option}-base", f"{name}-{option}"))
            if base.replace(f"{name}-{option}-base", "") == with_option.replace(f"{name}-{option}", ""):
                unchanged.append(f"{builder}: {name} :{option}:")
    assert len(variants) > 15
    assert unchanged == []


def test_unknown_node_is_a_typed_warning(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text((ROOT / "conf.py").read_text() + "\nsys.path.insert(0, str(Path("
                                 "__file__).parent))\nextensions.append('odd')\n")
    (src / "odd.py").write_text(
        "from docutils import nodes\nfrom sphinx.util.docutils import SphinxDirective\n"
        "class oddity(nodes.General, nodes.Element): pass\n"
        "class Odd(SphinxDirective):\n    def run(self):\n"
        "        n = oddity(); self.set_source_info(n); n += nodes.paragraph(text='kept text'); return [n]\n"
        "def setup(app):\n    app.add_node(oddity, html=(lambda s, n: None, lambda s, n: None))\n"
        "    app.add_directive('odd', Odd)\n")
    (src / "index.md").write_text("# Odd\n\n```{odd}\n```\n")
    proc = sphinx_build("mdx", src, tmp_path / "out", tmp_path / "d", confdir=src, check=False)
    assert proc.returncode != 0
    assert re.search(r"index\.md:3: WARNING: MDX: no rendering for node 'oddity'.*\[mdx\.unknown_node\]",
                     proc.stderr), proc.stderr
    assert "kept text" in (tmp_path / "out" / "spark" / "index.mdx").read_text()




def test_images_and_downloads_are_copied_under_parallel_builds(tmp_path):
    out = tmp_path / "mdx"
    sphinx_build("mdx", ROOT, out, tmp_path / "d", "-j", "2", confdir=ROOT)
    page = (out / "spark" / "fields.mdx").read_text()
    assert "![The Spark logo](/spark/images/spark-logo.png)" in page
    assert '<Frame caption="The Spark logo, copied with the pages.">' in page
    assert (out / "spark" / "images" / "spark-logo.png").read_bytes() == (ROOT / "spark-logo.png").read_bytes()
    [download] = (out / "spark" / "downloads").rglob("example-env.txt")
    assert f"(/spark/downloads/{download.relative_to(out / 'spark' / 'downloads').as_posix()})" in page


# -- sphinx-design in MDX -----------------------------------------------------------------------
DESIGN_PAGE = """# Design

::::{tab-set}
:::{tab-item} Label A
Content A.
:::
:::{tab-item} Label B
Content B.
:::
::::

:::{dropdown} Drop title
:open:
Drop body.
:::

::::{grid} 3
:::{grid-item-card} Card T
:link: https://example.com/t
Card body.
:::
::::

A {bdg-primary}`beta` badge, an {octicon}`rocket` icon and a {fab}`github` one.

```{button-link} https://example.com/go
Go
```
"""
UNMAPPED = """
::::{grid} 2
:::{grid-item}
Plain item.
:::
::::

```{article-info}
:author: Someone
```

::::{accordion}
:flush:
:::{dropdown} Flush item
Flush body.
:::
::::

::::{steps}
:color: primary
:::{step}
Untitled.
:::
::::

:::{dropdown} Coloured
:color: info
Body.
:::

::::{tab-set}
:::{tab-item} Synced
:sync: key
Body.
:::
::::
"""


def _design_build(tmp_path, builder: str, text: str):
    src = _tiny_site(tmp_path, index=text)
    return sphinx_build(builder, src, tmp_path / builder, tmp_path / f"d-{builder}", confdir=src,
                        check=False)


def test_sphinx_design_maps_to_mintlify_components(tmp_path):
    proc = _design_build(tmp_path, "mdx", DESIGN_PAGE)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "mdx" / "spark" / "index.mdx").read_text()
    for piece in ['<Tabs>', '<Tab title="Label A">', '<Tab title="Label B">',
                  '<Accordion title="Drop title" defaultOpen>', '<CardGroup cols={3}>',
                  '<Card title="Card T" href="https://example.com/t">', '<Badge>beta</Badge>',
                  '<Icon icon="rocket" />', '<Icon icon="github" />', '[Go](https://example.com/go)']:
        assert piece in page, f"{piece!r} missing from\n{page}"
    assert "**Label A**" not in page and "**Drop title**" not in page  # nothing flattened
    report = node_json("check_pages.mjs", str(tmp_path / "mdx"))
    assert report["problems"] == {}
    assert _design_build(tmp_path, "html", DESIGN_PAGE).returncode == 0  # HTML is sphinx-design's


def test_sphinx_design_without_counterpart_warns_at_file_and_line(tmp_path):
    proc = _design_build(tmp_path, "mdx", DESIGN_PAGE + UNMAPPED)
    assert proc.returncode != 0
    warnings = [l for l in proc.stderr.splitlines() if "[mintlify.design]" in l]
    lines = (DESIGN_PAGE + UNMAPPED).splitlines()
    grid, info = lines.index("::::{grid} 2") + 1, lines.index("```{article-info}") + 1
    assert any(re.search(rf"index\.md:{grid}: WARNING: sphinx-design 'grid-container' has no "
                         "Mintlify counterpart", w) for w in warnings), proc.stderr
    assert any(re.search(rf"index\.md:{info}: ", w) for w in warnings), proc.stderr
    flush, color = lines.index(":flush:"), lines.index(":color: primary")  # the directive lines
    drop, sync = lines.index(":color: info"), lines.index(":sync: key")
    for line, what in [(flush, "accordion :flush:"), (color, "steps :color: primary"),
                       (color + 2, "step has no title"),  # MyST: a nested directive, line + 1
                       (drop, "dropdown :color: info"),
                       (sync - 1, "tab-item :sync:")]:  # its tab-set: a tab-item has no line
        assert any(f"index.md:{line}: WARNING: sphinx-design {what}" in w for w in warnings), what
    assert "Plain item." in (tmp_path / "mdx" / "spark" / "index.mdx").read_text()  # kept


def test_links_to_labels_on_paragraphs_land_on_an_anchor_mintlify_keeps(tmp_path):
    """A {ref}, Markdown link or card to a labelled paragraph, code block, list item or figure
    lands, in MDX, on an element with that id in Mintlify's render; HTML keeps the same id."""
    labels = ["para-label", "code-label", "item-label", "fig-label"]
    src = _tiny_site(
        tmp_path,
        index="# Home\n\n" + " ".join(f"{{ref}}`{l} <{l}>`" for l in labels) + "\n\n"
              "[by a link](other.md#para-label)\n\n"
              ":::{mint-card} Card\n:href: /other#para-label\nx\n:::\n\n"
              "```{toctree}\nother\n```\n",
        other="# Other\n\n## Where it is\n\n(para-label)=\nA labelled paragraph.\n\n"
              "## Code\n\n```{code-block} python\n:name: code-label\n\nx = 1\n```\n\n"
              "- an item\n\n  (item-label)=\n  a labelled item\n\n"
              "```{figure} spark-logo.png\n:name: fig-label\n\nThe logo.\n```\n")
    shutil.copy(ROOT / "spark-logo.png", src)
    sphinx_build("mdx", src, tmp_path / "mdx", tmp_path / "d", confdir=src)
    page = (tmp_path / "mdx" / "spark" / "index.mdx").read_text()
    for label in labels:
        assert f"(/spark/other#{label})" in page, page
    assert 'href="/spark/other#para-label"' in page, page
    rendered = node_json("rendered_ids.mjs", str(tmp_path / "mdx"))["spark/other.mdx"]
    assert set(labels) <= set(rendered), rendered
    assert node_json("broken_links.mjs", str(tmp_path / "mdx")) == []
    sphinx_build("html", src, tmp_path / "html", tmp_path / "d", confdir=src)
    html, other = ((tmp_path / "html" / f"{p}.html").read_text() for p in ("index", "other"))
    for label in labels:
        assert f'href="other.html#{label}"' in html and f'id="{label}"' in other, label


def test_a_label_without_its_span_is_a_broken_anchor(tmp_path):
    """Negative case: the same {ref} with the span removed is what Mintlify's link-rot flags."""
    src = _tiny_site(tmp_path, index="# Home\n\n{ref}`p <para-label>`\n\n```{toctree}\nother\n```\n",
                     other="# Other\n\n(para-label)=\nA labelled paragraph.\n")
    sphinx_build("mdx", src, tmp_path / "mdx", tmp_path / "d", confdir=src)
    other = tmp_path / "mdx" / "spark" / "other.mdx"
    assert '<span id="para-label" />' in other.read_text()
    other.write_text(other.read_text().replace('<span id="para-label" />', ""))
    assert "para-label" not in node_json("rendered_ids.mjs", str(tmp_path / "mdx"))["spark/other.mdx"]
    assert node_json("broken_links.mjs", str(tmp_path / "mdx")) == ["spark/index.mdx: /spark/other#para-label"]


@pytest.mark.parametrize("builder", ["mdx", "html"])
def test_every_link_form_to_a_missing_target_fails_the_build(tmp_path, builder):
    """Markdown links, {ref}, {doc} and card hrefs: a missing page or anchor is a typed warning."""
    src = _tiny_site(
        tmp_path,
        index="# Home\n\n[a](other.md#nowhere) [b](missing.md) {ref}`nolabel` {doc}`nodoc` "
              "[fine](other.md#other) [here](#nowhere-here)\n\n"
              ":::{mint-card} C\n:href: /other#gone\nx\n:::\n\n"
              ":::{mint-card} D\n:href: /missing-page\nx\n:::\n\n"
              "```{toctree}\nother\n```\n",
        other="# Other\n\nText.\n")
    proc = sphinx_build(builder, src, tmp_path / "out", tmp_path / "d", confdir=src, check=False)
    assert proc.returncode != 0
    found = re.findall(r"index\.md:(\d+): WARNING: .*\[([\w.]+)\]", proc.stderr)
    assert sorted(found) == sorted([("3", "myst.xref_missing"), ("3", "myst.xref_missing"),
                                    ("3", "myst.xref_missing"), ("3", "ref.ref"), ("3", "ref.doc"),
                                    ("5", "myst.xref_missing"), ("10", "myst.xref_missing")]), proc.stderr
