"""docs.json from the toctree: captions become groups, nested toctrees nested groups."""
from __future__ import annotations

import json
from pathlib import Path

from sphinx import addnodes
from sphinx.errors import ConfigError

from .files import write_if_changed
from .site import add_redirects, apply_brand, check_redirects, merge_into_suite


def _entry(builder, docname: str, seen: set[str]):
    page = f"{builder.base}/{docname}"
    children = [d for d in builder.env.toctree_includes.get(docname, ()) if d not in seen]
    # pages an extension cuts from this one (API operations), and their group's settings
    extra = dict(getattr(builder.env, "mdx_subpages", {}).get(docname, {}))
    subpages = [f"{builder.base}/{d}" for d in extra.pop("pages", [])]
    if not children and not subpages:
        return page
    seen.update(children)
    title = builder.env.titles[docname].astext()
    return {"group": title, **extra,
            "pages": [page] + subpages + [_entry(builder, d, seen) for d in children]}


def navigation_groups(builder) -> list[dict]:
    """One group per toctree of the root document, in order."""
    env = builder.env
    root = builder.config.root_doc
    doctree = env.get_doctree(root)
    seen = {root}
    groups = []
    for toctree in doctree.findall(addnodes.toctree):
        docs = [doc for _title, doc in toctree["entries"] if doc in env.all_docs and doc not in seen]
        seen.update(docs)
        pages = [_entry(builder, doc, seen) for doc in docs]
        groups.append({"group": toctree.get("caption") or env.titles[root].astext(),
                       "pages": pages})
    if groups:
        groups[0]["pages"].insert(0, f"{builder.base}/{root}")
    else:
        groups.append({"group": env.titles[root].astext(), "pages": [f"{builder.base}/{root}"]})
    return groups


def _load(path: Path, what: str) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{what} {path}: {exc}") from exc


def write_docs_json(builder) -> None:
    config = builder.config
    docs = _load(Path(builder.confdir, config.mdx_docs_json_base), "mdx_docs_json_base")
    docs["navigation"] = {"groups": navigation_groups(builder)}
    apply_brand(builder, docs)
    add_redirects(builder, docs)
    if config.mdx_suite_docs_json:
        suite = _load(Path(builder.confdir, config.mdx_suite_docs_json), "mdx_suite_docs_json")
        docs = merge_into_suite(builder, suite, docs)
    check_redirects(builder, docs)
    write_if_changed(Path(builder.outdir, "docs.json"), json.dumps(docs, indent=2) + "\n")
