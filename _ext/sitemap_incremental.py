"""sphinx-sitemap lists only the pages a build writes (jdillard/sphinx-sitemap#13), so an
incremental build's sitemap.xml loses every unchanged page. Before it is written, the pages
this build did not write are queued too."""
from __future__ import annotations

from sphinx_sitemap import is_excluded


def _queue_every_page(app, exception) -> None:
    queue = getattr(app, "sitemap_links", None)
    if exception or queue is None or app.builder.name != "html":
        return
    links = {}
    while not queue.empty():
        link, lastmod = queue.get_nowait()
        links[link] = lastmod
    for docname in app.env.found_docs:
        links.setdefault(docname + app.builder.out_suffix, None)
    for link, lastmod in sorted(links.items()):
        if not is_excluded(link, app.config.sitemap_excludes):
            queue.put((link, lastmod))


def setup(app):
    app.setup_extension("sphinx_sitemap")
    app.connect("build-finished", _queue_every_page, priority=400)  # sphinx-sitemap's is 500
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
