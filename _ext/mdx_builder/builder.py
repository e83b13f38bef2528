"""The ``mdx`` builder: one ``.mdx`` per page under ``mdx_base_path``, assets, and docs.json."""
from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.builders import Builder
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.osutil import ensuredir

from .files import copy_if_changed, write_if_changed
from .navigation import write_docs_json
from .translator import MdxTranslator

logger = logging.getLogger(__name__)


class MdxBuilder(Builder):
    """Mintlify MDX pages plus ``docs.json``, sharing the doctree cache with ``html``."""

    name = "mdx"
    format = "mdx"
    epilog = __("The Mintlify pages are in %(outdir)s.")
    out_suffix = ".mdx"
    allow_parallel = True
    default_translator_class = MdxTranslator
    supported_image_types = ["image/svg+xml", "image/png", "image/gif", "image/jpeg",
                             "image/webp"]
    supported_remote_images = True

    def init(self) -> None:
        self.base = self.config.mdx_base_path.strip("/")
        self.pages_dir = Path(self.outdir, self.base)
        self.current_docname = ""

    # -- what to build ----------------------------------------------------------------------
    def get_outdated_docs(self):
        for docname in self.env.found_docs:
            if docname not in self.env.all_docs:
                yield docname
                continue
            target = self.pages_dir / f"{docname}{self.out_suffix}"
            try:
                if target.stat().st_mtime < Path(self.env.doc2path(docname)).stat().st_mtime:
                    yield docname
            except OSError:
                yield docname

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return f"/{self.base}/{docname}"

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return self.get_target_uri(to)

    def canonical_anchor(self, url: str) -> str:
        """Point a link at the one id its heading carries in MDX (labels and slugs alias it)."""
        path, sep, fragment = url.partition("#")
        if not sep:
            return url
        prefix = f"/{self.base}/"
        docname = path[len(prefix):] if path.startswith(prefix) else (
            self.current_docname if not path else None)
        return f"{path}#{self.anchor_id(docname, fragment)}"

    def anchor_id(self, docname: str | None, fragment: str) -> str:
        """The id that ``fragment`` (a label, slug or id on ``docname``) has in the MDX page."""
        return getattr(self.env, "mdx_anchor_aliases", {}).get(docname, {}).get(fragment, fragment)

    def image_uri(self, node: nodes.image) -> str:
        uri = node["uri"]
        if uri in self.images:
            return f"/{self.base}/images/{self.images[uri]}"
        return uri

    def download_uri(self, node) -> str | None:
        filename = node.get("filename")
        return f"/{self.base}/downloads/{filename}" if filename else node.get("refuri")

    # -- writing ----------------------------------------------------------------------------
    def prepare_writing(self, docnames) -> None:
        ensuredir(self.pages_dir)

    def write_doc_serialized(self, docname: str, doctree: nodes.document) -> None:
        self.post_process_images(doctree)  # main process: image names are known under -j too

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        target = self.pages_dir / f"{docname}{self.out_suffix}"
        ensuredir(target.parent)
        target.write_text(self.render(doctree, docname), encoding="utf-8")

    # -- public interface for extensions that add pages or files --------------------------
    def render(self, doctree: nodes.document, docname: str) -> str:
        """The MDX of ``doctree``; ids and same-page links resolve as on ``docname``."""
        self.current_docname = docname
        translator = self.create_translator(doctree, self)
        doctree.walkabout(translator)
        return translator.body

    def write_page(self, page: str, doctree: nodes.document, docname: str) -> bool:
        """Write ``doctree`` (cut from ``docname``) as the page ``page``, unless unchanged."""
        return write_if_changed(self.pages_dir / f"{page}{self.out_suffix}",
                                self.render(doctree, docname))

    def write_file(self, name: str, text: str) -> bool:
        """Write a file beside the pages (``<mdx_base_path>/<name>``), unless unchanged."""
        return write_if_changed(self.pages_dir / name, text)

    def finish(self) -> None:
        for source, name in self.images.items():
            copy_if_changed(Path(self.srcdir, source), self.pages_dir / "images" / name)
        for source, (_docs, dest) in self.env.dlfiles.items():
            copy_if_changed(Path(self.srcdir, source), self.pages_dir / "downloads" / dest)
        write_docs_json(self)
        self.events.emit("mdx-finished", self)


def setup_builder(app) -> None:
    app.add_builder(MdxBuilder)
    app.add_event("mdx-finished")
    app.add_config_value("mdx_base_path", "spark", "env", types=[str])
    app.add_config_value("mdx_docs_json_base", "_templates/docs.base.json", "", types=[str])
    app.add_config_value("mdx_suite_docs_json", None, "", types=[str, type(None)])
    app.add_config_value("mdx_suite_tab", "Spark", "", types=[str])
    # {"colors": {primary, light, dark}, "logo": {light, dark}, "favicon": path}; paths from confdir
    app.add_config_value("mdx_brand", None, "", types=[dict, type(None)])
    # {"old/page": "new/page#anchor"}: docs.json redirects, both paths under mdx_base_path
    app.add_config_value("mdx_redirects", {}, "", types=[dict])


