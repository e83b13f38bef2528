"""docs.json beyond the navigation: the brand, redirects, and the merge into a suite docs.json."""
from __future__ import annotations

from pathlib import Path

from sphinx.errors import ConfigError
from sphinx.util import logging

from .files import copy_if_changed

logger = logging.getLogger(__name__)

BRAND_DIR = "brand"  # under the base path, so the brand files travel with the pages


def apply_brand(builder, docs: dict) -> None:
    """Colours, light and dark logo and favicon from ``mdx_brand``; the files are copied."""
    brand = builder.config.mdx_brand
    if not brand:
        return

    def ship(path: str) -> str:
        source = Path(builder.confdir, path)
        if not source.is_file():
            raise ConfigError(f"mdx_brand: {source} does not exist")
        copy_if_changed(source, builder.pages_dir / BRAND_DIR / source.name)
        return f"/{builder.base}/{BRAND_DIR}/{source.name}"

    docs["colors"] = dict(brand["colors"])
    if brand.get("logo"):
        docs["logo"] = {mode: ship(path) for mode, path in brand["logo"].items()}
    if brand.get("favicon"):
        docs["favicon"] = ship(brand["favicon"])


def add_redirects(builder, docs: dict) -> None:
    """``mdx_redirects`` as docs.json ``redirects`` (after any the base template holds)."""
    base = f"/{builder.base}/"
    docs.setdefault("redirects", []).extend(
        {"source": base + old, "destination": base + new}
        for old, new in builder.config.mdx_redirects.items())
    if not docs["redirects"]:
        del docs["redirects"]


def merge_into_suite(builder, suite: dict, own: dict) -> dict:
    """Spark's navigation becomes the suite's ``mdx_suite_tab`` tab; its redirects join the suite's.

    The suite keeps its other tabs, its brand and every other key.
    """
    tab_name = builder.config.mdx_suite_tab
    navigation = suite.setdefault("navigation", {})
    tabs = navigation.setdefault("tabs", [])
    if set(navigation) - {"tabs", "global"}:
        raise ConfigError("mdx_suite_docs_json: its navigation must be divided into tabs")
    tab = {"tab": tab_name, **own["navigation"]}
    names = [t.get("tab") for t in tabs]
    if tab_name in names:
        tabs[names.index(tab_name)] = tab
    else:
        tabs.append(tab)
    if own.get("colors") and suite.get("colors") != own["colors"]:
        logger.warning("MDX: the suite's colours %s differ from mdx_brand's %s; the suite's are "
                       "kept", suite.get("colors"), own["colors"], type="mdx", subtype="brand")
    redirects = suite.setdefault("redirects", [])
    taken = {r["source"]: r["destination"] for r in redirects}
    for redirect in own.get("redirects", []):
        if redirect["source"] not in taken:
            redirects.append(redirect)
        elif taken[redirect["source"]] != redirect["destination"]:
            logger.warning("MDX: the suite already redirects %s to %s; Spark's redirect to %s "
                           "is not added", redirect["source"], taken[redirect["source"]],
                           redirect["destination"], type="mdx", subtype="redirect")
    if not redirects:
        del suite["redirects"]
    return suite


def check_redirects(builder, docs: dict) -> None:
    """Each redirect under the base path leads from a free path to an existing page."""
    prefix = f"/{builder.base}/"
    pages = {prefix + doc for doc in builder.env.found_docs} | {prefix.rstrip("/")}
    for redirect in docs.get("redirects", []):
        source, destination = redirect["source"], redirect["destination"].partition("#")[0]
        if not source.startswith(prefix):
            continue
        if source in pages:
            logger.warning("MDX: redirect source %s is a page, which the redirect would hide",
                           source, type="mdx", subtype="redirect")
        if ":" not in destination and destination not in pages:
            logger.warning("MDX: redirect %s leads to %s, which is not a page", source,
                           redirect["destination"], type="mdx", subtype="redirect")
