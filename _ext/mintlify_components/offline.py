"""Offline assets for HTML: mermaid's ESM build vendored from the pinned npm package."""
from __future__ import annotations

import json
import shutil
from pathlib import Path


def vendor_mermaid(repo: Path) -> Path:
    """Copy mermaid from tests/node_modules into ``_static/mermaid``; return ``_static``."""
    dist = repo / "tests" / "node_modules" / "mermaid" / "dist"
    static = repo / "_static"
    target = static / "mermaid"
    if not (dist / "mermaid.esm.min.mjs").is_file():
        raise RuntimeError(f"{dist} is missing: run `make node` (npm ci in tests/)")
    version = json.loads((dist.parent / "package.json").read_text())["version"]
    stamp = target / "VERSION"
    if stamp.is_file() and stamp.read_text() == version:
        return static
    shutil.rmtree(target, ignore_errors=True)
    (target / "chunks" / "mermaid.esm.min").mkdir(parents=True)
    shutil.copy2(dist / "mermaid.esm.min.mjs", target)
    for chunk in (dist / "chunks" / "mermaid.esm.min").glob("*.mjs"):  # skip source maps
        shutil.copy2(chunk, target / "chunks" / "mermaid.esm.min")
    stamp.write_text(version)
    return static
