"""The whole site end to end: both formats, Mintlify's own checks, parallel and incremental builds."""
from __future__ import annotations

import filecmp
import json
import shutil
import time

from support import SOURCE, TESTS, copy_tree, node_json, sphinx_build


def test_every_page_parses_and_renders_with_mintlify(site):
    report = node_json("check_pages.mjs", str(site.mdx))
    operation_pages = list((site.mdx / "spark" / "api").glob("*/*.mdx"))
    assert len(operation_pages) == 24  # one per API operation, cut from the api pages
    assert report["pages"] == len(site.pages()) + len(operation_pages)
    assert report["problems"] == {}


def test_docs_json_validates(site):
    assert node_json("validate_docs_json.mjs", str(site.mdx / "docs.json")) == {"ok": True, "warnings": []}


def test_no_broken_internal_links_or_anchors(site):
    assert node_json("broken_links.mjs", str(site.mdx)) == []


def test_openapi_spec_ships_with_the_pages(site):
    spec = json.loads((site.mdx / "spark" / "openapi.json").read_text())
    assert sum(len(item) for item in spec["paths"].values()) == 24


def test_reference_pages_render_real_product(site):
    cli = (site.mdx / "spark" / "cli" / "source-commands.mdx").read_text()
    assert "| `-k, --api-key <api_key>` | text | \\- | yes | API key for authentication |" in cli
    assert "automagik-spark sources add" in cli
    assert "spark-cli-options" in (site.html / "cli" / "source-commands.html").read_text()
    api = (site.mdx / "spark" / "api" / "workflows" / "sync-endpoints.mdx").read_text()
    assert 'openapi: "POST /api/v1/workflows/sync/{flow_id}"' in api
    assert "<RequestExample>" in api and "input_component=" in api
    html = (site.html / "api" / "workflows.html").read_text()
    assert "input_component" in html and "spark-endpoint-fields" in html


def test_parallel_build_is_byte_identical(site, tmp_path):
    sphinx_build("mdx", SOURCE, tmp_path / "serial", tmp_path / "d1", "-j", "1")
    sphinx_build("mdx", SOURCE, tmp_path / "parallel", tmp_path / "d2", "-j", "2")
    compare = filecmp.dircmp(tmp_path / "serial", tmp_path / "parallel")
    stack, different = [compare], []
    while stack:
        current = stack.pop()
        different += current.diff_files + current.left_only + current.right_only
        stack += current.subdirs.values()
    assert different == []


def snapshot(root):
    return {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_incremental_rebuilds_write_only_what_changed(tmp_path):
    src = copy_tree(SOURCE, tmp_path / "src")
    out, doctrees = tmp_path / "mdx", tmp_path / "doctrees"
    sphinx_build("mdx", src, out, doctrees, "-j", "auto")
    before = snapshot(out)
    sphinx_build("mdx", src, out, doctrees)
    assert snapshot(out) == before, "a no-op rebuild wrote files"
    time.sleep(0.01)
    page = src / "working" / "manual-execution.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    sphinx_build("mdx", src, out, doctrees)
    after = snapshot(out)
    changed = sorted(str(p.relative_to(out)) for p in after if after[p] != before.get(p))
    # the page itself, plus index, whose toctree holds it (Sphinx rewrites toctree parents)
    assert changed == ["spark/index.mdx", "spark/working/manual-execution.mdx"]
    assert doctrees.is_dir() and any(doctrees.glob("*.pickle"))


def merge_into_suite(site, tmp_path, suite: dict):
    """Build the MDX output once more, merged into ``suite`` (a copy of the site's doctrees)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "suite.json"
    path.write_text(json.dumps(suite))
    doctrees = shutil.copytree(site.doctrees, tmp_path / "doctrees")
    out = tmp_path / "mdx"
    proc = sphinx_build("mdx", SOURCE, out, doctrees, "-D", f"mdx_suite_docs_json={path}", check=False)
    return proc, json.loads((out / "docs.json").read_text()) if proc.returncode == 0 else None


def test_suite_merge_keeps_every_tab_and_takes_the_whole_spark_navigation(site, docs_json, tmp_path):
    """tests/data/suite-docs.json models the company's suite docs.json (namastexlabs/automagik-docs)."""
    suite = json.loads((TESTS / "data" / "suite-docs.json").read_text())
    proc, merged = merge_into_suite(site, tmp_path, suite)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert node_json("validate_docs_json.mjs", str(tmp_path / "mdx" / "docs.json")) == {"ok": True, "warnings": []}
    tabs = merged["navigation"]["tabs"]
    assert tabs[:-1] == suite["navigation"]["tabs"]  # every other tab, untouched
    assert tabs[-1] == {"tab": "Spark", **docs_json["navigation"]}  # the whole Spark navigation
    assert merged["navigation"]["global"] == suite["navigation"]["global"]
    assert {k: v for k, v in merged.items() if k not in ("navigation", "redirects")} == \
        {k: v for k, v in suite.items() if k not in ("navigation", "redirects")}
    assert merged["redirects"] == suite.get("redirects", []) + docs_json["redirects"]


def test_suite_merge_replaces_an_old_spark_tab_in_place(site, docs_json, tmp_path):
    suite = json.loads((TESTS / "data" / "suite-docs.json").read_text())
    tabs = suite["navigation"]["tabs"]
    tabs.insert(1, {"tab": "Spark", "groups": [{"group": "Old", "pages": ["spark/old"]}]})
    suite["redirects"] = [{"source": "/spark/cli/commands", "destination": "/spark/cli/overview"}]
    proc, merged = merge_into_suite(site, tmp_path, suite)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert [t["tab"] for t in merged["navigation"]["tabs"]] == [t["tab"] for t in tabs]
    assert merged["navigation"]["tabs"][1] == {"tab": "Spark", **docs_json["navigation"]}
    assert [r["source"] for r in merged["redirects"]].count("/spark/cli/commands") == 1
    assert node_json("validate_docs_json.mjs", str(tmp_path / "mdx" / "docs.json"))["ok"]


def test_suite_merge_fails_on_a_clashing_redirect_other_colours_or_no_tabs(site, tmp_path):
    suite = json.loads((TESTS / "data" / "suite-docs.json").read_text())
    suite["colors"]["primary"] = "#111111"
    suite["redirects"] = [{"source": "/spark/cli/commands", "destination": "/spark/quickstart"}]
    proc, _ = merge_into_suite(site, tmp_path / "a", suite)
    assert proc.returncode != 0
    assert "the suite's colours" in proc.stderr and "differ from mdx_brand" in proc.stderr
    assert "the suite already redirects /spark/cli/commands to /spark/quickstart" in proc.stderr
    flat = {**suite, "navigation": {"groups": [{"group": "Hive", "pages": ["hive/index"]}]}}
    proc, _ = merge_into_suite(site, tmp_path / "b", flat)
    assert proc.returncode != 0 and "must be divided into tabs" in proc.stderr


def test_html_build_is_offline_and_complete(site):
    pages = list(site.html.rglob("*.html"))
    assert len([p for p in pages if "_static" not in str(p) and p.name not in ("genindex.html", "search.html")]) >= 51
    for page in pages:
        text = page.read_text()
        assert "cdn.jsdelivr.net" not in text and "unpkg.com" not in text, page




def test_cli_reference_doctrees_hold_no_scratch_documents(site):
    """sphinx-click's reStructuredText is parsed in a scratch document; none of it is pickled."""
    import pickle

    for path in sorted((site.doctrees / "cli").glob("*.doctree")):
        doctree = pickle.loads(path.read_bytes())
        foreign = [n for n in doctree.findall() if n.__dict__.get("document") not in (None, doctree)]
        assert foreign == [], path.name
        assert getattr(doctree.settings, "env", None) is None
