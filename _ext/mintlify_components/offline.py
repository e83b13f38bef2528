"""Offline HTML: mermaid runs from disk (file://) as well as from a server.

Browsers refuse module scripts from file://, and sphinxcontrib-mermaid loads mermaid with
``import mermaid from "…/mermaid.esm.min.mjs"``. So the site ships mermaid's classic (UMD)
build, ``mermaid.min.js`` from the pinned npm package in ``tools/mermaid``, as a deferred
``<script src>`` on the pages that have a diagram, and the plugin's inline module reads it from
``window.mermaid`` instead of importing it. Everything else of the plugin (lazy rendering of
hidden diagrams, the redraw on a theme switch, the full-size view) is unchanged.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

#: ``mermaid_use_local``: the classic build, relative to ``_static``.
MERMAID_JS = "mermaid/mermaid.min.js"

_IMPORT = re.compile(r'^import mermaid from "[^"]*";$', re.M)


def vendor_mermaid(repo: Path) -> Path:
    """Copy mermaid's classic build from tools/mermaid into ``_static/mermaid``; return ``_static``."""
    dist = repo / "tools" / "mermaid" / "node_modules" / "mermaid" / "dist"
    static = repo / "_static"
    target = static / "mermaid"
    if not (dist / "mermaid.min.js").is_file():
        raise RuntimeError(f"{dist} is missing: run `make html` or "
                           "`npm ci --prefix tools/mermaid` (tools/mermaid/package-lock.json pins it)")
    version = json.loads((dist.parent / "package.json").read_text())["version"]
    stamp = f"{version} umd\n"
    if (target / "VERSION").is_file() and (target / "VERSION").read_text() == stamp:
        return static
    # built aside and renamed into place: a parallel build never sees half a directory
    static.mkdir(exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".mermaid-", dir=static))
    shutil.copy2(dist / "mermaid.min.js", fresh)
    (fresh / "VERSION").write_text(stamp)
    stale = static / f".mermaid-stale-{os.getpid()}"
    if target.exists():
        target.rename(stale)
    try:
        fresh.rename(target)
    except OSError:  # another build put the same version in place first
        shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(stale, ignore_errors=True)
    return static


def classic_mermaid(app, pagename, templatename, context, doctree) -> None:
    """On a page with diagrams: load mermaid.min.js before the plugin's inline module, and let
    the module take ``window.mermaid`` instead of importing a file (refused from file://)."""
    scripts = context.get("script_files") or []
    for i, js in enumerate(scripts):
        body = js.attributes.get("body") or ""
        if not _IMPORT.search(body):
            continue
        attrs = {**js.attributes, "body": _IMPORT.sub("const mermaid = window.mermaid;", body, 1)}
        scripts[i] = type(js)(None, priority=js.priority, **attrs)
        # deferred classic scripts and module scripts run in document order, after parsing
        app.add_js_file(MERMAID_JS, priority=js.priority - 1, defer="defer")
        return


def setup(app):
    # after sphinxcontrib-mermaid's install_js (priority 500) has added its module
    app.connect("html-page-context", classic_mermaid, priority=600)
    app.add_js_file("spark-reader.js", defer="defer")  # from mintlify_components/static
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
