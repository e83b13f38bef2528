"""Reference pages from the real automagik-spark: CLI via sphinx-click, API via its OpenAPI."""
from __future__ import annotations

import json
from pathlib import Path

from .cli import CliCommand, options_table
from docutils import nodes
from sphinx.util import logging

from .loader import cli_group, load_spec, reader_spec
from . import operation_pages
from .openapi import ApiEndpoint
from .spec import FIELDS_FILE

logger = logging.getLogger(__name__)


def _init_env(app, env, docnames) -> None:
    for name in ("spark_endpoints", "spark_op_pages", "mdx_subpages"):
        if not hasattr(env, name):
            setattr(env, name, {})
    if docnames:  # load once, in the main process, before parallel readers fork
        load_spec(env.doctreedir)
        if any(name.startswith("api/") for name in docnames):
            where = nodes.Element()
            where.source, where.line = str(Path(env.srcdir, FIELDS_FILE)), 1
            for gap in reader_spec(env)[1]:
                logger.warning("%s has no description: add one to %s", gap, FIELDS_FILE,
                               location=where, type="spark", subtype="undescribed")
        if any(name.startswith("cli/") for name in docnames):
            cli_group()


def _purge(app, env, docname) -> None:
    operation_pages.purge(app, env, docname)
    for key, places in list(getattr(env, "spark_endpoints", {}).items()):
        places[:] = [p for p in places if p[0] != docname]
        if not places:
            del env.spark_endpoints[key]


def _merge(app, env, docnames, other) -> None:
    operation_pages.merge(app, env, docnames, other)
    for key, places in getattr(other, "spark_endpoints", {}).items():
        env.spark_endpoints.setdefault(key, []).extend(p for p in places if p[0] in docnames)


def _write_spec(app, builder) -> None:
    """Ship the spec beside the pages (spark/openapi.json) so Mintlify can use it."""
    spec = reader_spec(app.env)[0]
    builder.write_file("openapi.json", json.dumps(spec, indent=2) + "\n")


def setup(app):
    app.setup_extension("mintlify_components")
    app.setup_extension("mdx_builder")
    app.setup_extension("sphinx_click")  # its events carry the CLI options table
    app.add_config_value("spark_api_server", "http://localhost:8883", "env", types=[str])
    app.add_directive("cli-command", CliCommand)
    app.add_directive("api-endpoint", ApiEndpoint)
    app.connect("env-before-read-docs", _init_env)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("mdx-finished", _write_spec)
    app.connect("doctree-read", operation_pages.record)
    app.connect("sphinx-click-process-options", options_table)
    app.connect("doctree-resolved", operation_pages.split)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
