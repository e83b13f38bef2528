"""Sphinx configuration for the Automagik Spark docs (sources in source/, built with -c .)."""
from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "_ext"))
# Importing Spark's CLI creates the worker log directory and may report telemetry status:
# keep both inside the build tree so docs build anywhere (Read the Docs included).
os.environ.setdefault("AUTOMAGIK_SPARK_WORKER_LOG", str(ROOT / "_build" / "spark" / "worker.log"))
os.environ.setdefault("AUTOMAGIK_SPARK_DISABLE_TELEMETRY", "true")

project = "Automagik Spark"
author = "Namastex Labs"
copyright = f"2025–{datetime.now(timezone.utc).year}, Namastex Labs"  # Sphinx honours SOURCE_DATE_EPOCH
release = "0.3.7"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.mermaid",
    "mintlify_components.offline",  # mermaid from disk (file://): classic script, no ES module
    "sphinx_click",
    "sphinx_copybutton",
    "mintlify_components",
    "mdx_builder",
    "spark_reference",
    "executable_examples",
    "compat_table",  # {compat-table}: the LangFlow matrix the live suite measures
    # the HTML site's ecosystem (html-only hooks: the mdx builder ignores them)
    "sphinx_sitemap",
    "sitemap_incremental",  # every page in sitemap.xml after an incremental build too
    "sphinxext.opengraph",
    "page_description",  # og:description and the meta description from the page's frontmatter
    "notfound.extension",
    "sphinx_llms_txt",
    "furo_navcache",  # furo's sidebar rendered once per build, not once per page
]

root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]
myst_enable_extensions = ["colon_fence", "deflist", "attrs_inline", "substitution"]
# The one place the Spark version enters prose: write {{ spark_version }} on a page.
myst_substitutions = {"spark_version": release}
myst_heading_anchors = 3
# Quotes stay as typed: an error message quoted in a title or a paragraph must match what the
# terminal prints ('celery', not ‘celery’), so a reader can search for it.
smartquotes = False
suppress_warnings = []

# -- HTML (Read the Docs) ------------------------------------------------------------------
html_theme = "furo"
html_title = "Automagik Spark"
html_static_path = ["_static"]
# -- Brand: the one place both targets take colours, logos and favicon from ---------------
# Colours are the suite's (namastexlabs/automagik-docs docs.json); paths are relative to this file.
brand = {
    "colors": {"primary": "#FF00FF", "light": "#00FFFF", "dark": "#A020F0"},
    "logo": {"light": "_static/brand/logo-light.svg", "dark": "_static/brand/logo-dark.svg"},
    "favicon": "_static/brand/favicon.svg",
}
# furo: text must keep WCAG AA (4.5:1) on furo's backgrounds, so #FF00FF (3.1:1 on white) is not
# light-mode text. Light mode: the suite's dark purple for accents (5.3:1 on white), a deeper
# shade of it for link text (6.7:1, 5.6:1 on inline-code grey). Dark mode: magenta accents
# (5.9:1 on furo's #131416), cyan links (14.7:1) — what Mintlify does with `light` in dark mode.
_link_light = "#8A1BD0"
html_favicon = brand["favicon"]
html_theme_options = {
    "light_logo": brand["logo"]["light"].removeprefix("_static/"),
    "dark_logo": brand["logo"]["dark"].removeprefix("_static/"),
    "sidebar_hide_name": True,  # the logo is the wordmark
    "light_css_variables": {
        "color-brand-primary": brand["colors"]["dark"],
        "color-brand-content": _link_light,
        "color-brand-visited": _link_light,
    },
    "dark_css_variables": {
        "color-brand-primary": brand["colors"]["primary"],
        "color-brand-content": brand["colors"]["light"],
        "color-brand-visited": brand["colors"]["light"],
    },
}
mdx_brand = brand

# -- Sitemap, OpenGraph, 404, llms.txt ----------------------------------------------------
# Read the Docs sets READTHEDOCS_CANONICAL_URL during its builds (with a trailing slash).
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL",
                              "https://automagik-spark.readthedocs.io/en/latest/").rstrip("/") + "/"
sitemap_url_scheme = "{link}"  # the canonical URL already holds language and version
sitemap_excludes = ["search.html", "genindex.html", "404.html"]
# The 404 page is served at any depth, so its links are absolute: under the version's path on
# Read the Docs, under the server's root anywhere else (a local preview, the browser tests).
notfound_urls_prefix = urlparse(os.environ.get("READTHEDOCS_CANONICAL_URL", "/")).path
ogp_site_url = html_baseurl
ogp_social_cards = {"enable": False}  # cards need matplotlib; title, description and URL suffice
llms_txt_summary = "Documentation of Automagik Spark " + release + \
    ", a workflow scheduler for LangFlow and Automagik Hive."
copybutton_prompt_text = r"^\$ "
copybutton_prompt_is_regexp = True


from mintlify_components.offline import MERMAID_JS, vendor_mermaid  # noqa: E402

vendor_mermaid(ROOT)
mermaid_use_local = MERMAID_JS
# Diagrams keep their natural size (labels as large as mermaid draws them) and scroll sideways
# in their own box when wider than the column; spark-components.css sizes the box.
mermaid_init_config = {"startOnLoad": False, **{
    kind: {"useMaxWidth": False}
    for kind in ("flowchart", "sequence", "state", "er", "class", "gantt", "journey", "pie",
                 "timeline", "mindmap", "gitGraph", "requirement", "block", "architecture")}}
mermaid_fullscreen_button = ""  # the glyph (⛶) has no font on most systems: CSS draws an icon

# -- MDX (Mintlify) ------------------------------------------------------------------------
mdx_base_path = "spark"
mdx_docs_json_base = "_templates/docs.base.json"
mdx_suite_docs_json = None  # path to an existing suite docs.json: Spark is merged in as a tab
# The Spark API the reference's examples and Mintlify's playground call (spark/openapi.json servers)
spark_api_server = "http://localhost:8883"
# Pages of the Mintlify Spark docs before this site (namastexlabs/automagik-docs, spark/) that
# have no page of the same path here: each leads to the page that now covers its subject.
mdx_redirects = {
    "advanced/scaling-production": "advanced/scaling-workers",
    "api/executions": "api/tasks",
    "api/overview": "api/rest-overview",
    "cli/commands": "cli/overview",
    "cli/examples": "quickstart",
    "concepts/adapter-system": "concepts/adapters",
    "concepts/architecture-overview": "introduction#architecture",
    "concepts/scheduling-internals": "concepts/scheduling-engine",
    "concepts/task-execution": "concepts/workflows-and-tasks",
    "config/production-setup": "config/security-hardening",
    "examples/hive-integration": "integrations/hive-setup",
    "examples/langflow-integration": "integrations/langflow-setup",
    "examples/production-deployment": "installation",
    "examples/simple-schedule": "working/creating-schedules",
    "troubleshooting/common-errors": "troubleshooting/common-issues",
}

linkcheck_ignore = [r"https?://.*"]
