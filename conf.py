"""Sphinx configuration for the Automagik Spark docs (sources in source/, built with -c .)."""
from __future__ import annotations

import json
import os
import shutil
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
    "sphinx_click",
    "sphinx_copybutton",
    "mintlify_components",
    "mdx_builder",
    "spark_reference",
]

root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]
myst_enable_extensions = ["colon_fence", "deflist", "attrs_inline"]
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


def _vendor_mermaid() -> None:
    """Copy mermaid's ESM build from tests/node_modules so diagrams render offline."""
    dist = ROOT / "tests" / "node_modules" / "mermaid" / "dist"
    target = ROOT / "_static" / "mermaid"
    if not (dist / "mermaid.esm.min.mjs").is_file():
        raise RuntimeError(f"{dist.relative_to(ROOT)} is missing: run `make node` (npm ci in tests/)")
    version = json.loads((dist.parent / "package.json").read_text())["version"]
    stamp = target / "VERSION"
    if stamp.is_file() and stamp.read_text() == version:
        return
    shutil.rmtree(target, ignore_errors=True)
    (target / "chunks" / "mermaid.esm.min").mkdir(parents=True)
    shutil.copy2(dist / "mermaid.esm.min.mjs", target)
    for chunk in (dist / "chunks" / "mermaid.esm.min").glob("*.mjs"):
        shutil.copy2(chunk, target / "chunks" / "mermaid.esm.min")
    stamp.write_text(version)


_vendor_mermaid()
mermaid_use_local = "mermaid/mermaid.esm.min.mjs"
mermaid_init_config = {"startOnLoad": False}

# -- MDX (Mintlify) ------------------------------------------------------------------------
mdx_base_path = "spark"
mdx_docs_json_base = "_templates/docs.base.json"
mdx_suite_docs_json = None  # path to an existing suite docs.json: Spark is merged in as a tab

linkcheck_ignore = [r"https?://.*"]
