"""Sphinx configuration for the Automagik Spark docs (sources in source/, built with -c .)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "_ext"))
# Importing Spark's CLI creates the worker log directory and may report telemetry status:
# keep both inside the build tree so docs build anywhere (Read the Docs included).
os.environ.setdefault("AUTOMAGIK_SPARK_WORKER_LOG", str(ROOT / "_build" / "spark" / "worker.log"))
os.environ.setdefault("AUTOMAGIK_SPARK_DISABLE_TELEMETRY", "true")

project = "Automagik Spark"
author = "Namastex Labs"
copyright = "2025, Namastex Labs"
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
]

root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]
myst_enable_extensions = ["colon_fence", "deflist", "attrs_inline", "substitution"]
# The one place the Spark version enters prose: write {{ spark_version }} on a page.
myst_substitutions = {"spark_version": release}
myst_heading_anchors = 3
suppress_warnings = []

# -- HTML (Read the Docs) ------------------------------------------------------------------
html_theme = "furo"
html_title = "Automagik Spark"
html_static_path = ["_static"]
html_theme_options = {
    "light_css_variables": {
        "color-brand-primary": "#6d28d9",
        "color-brand-content": "#6d28d9",
        "color-brand-visited": "#5b21b6",
    },
    "dark_css_variables": {
        "color-brand-primary": "#c4b5fd",
        "color-brand-content": "#c4b5fd",
        "color-brand-visited": "#ddd6fe",
    },
}
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

linkcheck_ignore = [r"https?://.*"]
