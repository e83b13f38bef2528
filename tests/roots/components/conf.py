import os
import sys
from pathlib import Path

# The repository: set by tests/conftest.py, so a copy of this root in a temp dir still works.
REPO = Path(os.environ.get("SPARK_DOCS_REPO", Path(__file__).resolve().parents[3]))
sys.path.insert(0, str(REPO / "_ext"))
extensions = ["myst_parser", "sphinx_design", "sphinxcontrib.mermaid", "mintlify_components",
              "mdx_builder"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
root_doc = "index"
exclude_patterns = ["_build"]
mdx_docs_json_base = str(REPO / "_templates" / "docs.base.json")

from mintlify_components.offline import vendor_mermaid  # noqa: E402

html_static_path = [str(vendor_mermaid(REPO))]
mermaid_use_local = "mermaid/mermaid.min.js"
mermaid_init_config = {"startOnLoad": False}
