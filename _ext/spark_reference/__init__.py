"""Reference pages from the real automagik-spark: CLI via sphinx-click, API via its OpenAPI."""
from __future__ import annotations

import json
from pathlib import Path

from .cli import CliCommand
from .loader import cli_group, load_spec
from .openapi import ApiEndpoint


def _init_env(app, env, docnames) -> None:
    if not hasattr(env, "spark_endpoints"):
        env.spark_endpoints = {}
    if docnames:  # load once, in the main process, before parallel readers fork
        load_spec(env.doctreedir)
        if any(name.startswith("cli/") for name in docnames):
            cli_group()


def _purge(app, env, docname) -> None:
    for key, places in list(getattr(env, "spark_endpoints", {}).items()):
        places[:] = [p for p in places if p[0] != docname]
        if not places:
            del env.spark_endpoints[key]


def _merge(app, env, docnames, other) -> None:
    for key, places in getattr(other, "spark_endpoints", {}).items():
        env.spark_endpoints.setdefault(key, []).extend(p for p in places if p[0] in docnames)


def _write_spec(app, builder) -> None:
    """Ship the spec beside the pages (spark/openapi.json) so Mintlify can use it."""
    from mdx_builder.builder import write_if_changed

    spec = load_spec(app.doctreedir)
    write_if_changed(Path(builder.pages_dir, "openapi.json"), json.dumps(spec, indent=2) + "\n")


def setup(app):
    app.setup_extension("mintlify_components")
    app.setup_extension("mdx_builder")
    app.add_directive("cli-command", CliCommand)
    app.add_directive("api-endpoint", ApiEndpoint)
    app.connect("env-before-read-docs", _init_env)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("mdx-finished", _write_spec)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
