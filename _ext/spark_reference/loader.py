"""Load the real product once per build: the click group and the OpenAPI spec.

Import failures become one clear error naming the module and the cause. The spec is cached as
JSON under the doctree directory, keyed by the API sources' mtimes, so a no-op rebuild does not
import the application.
"""
from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.util
import json
import logging
import os
from pathlib import Path

from sphinx.errors import ExtensionError

CLI_MODULE = "automagik_spark.cli.cli"
CLI_OBJECT = "main"
API_MODULE = "automagik_spark.api.app"
API_OBJECT = "app"


def package_files(module: str, subpackage: str) -> list[Path]:
    """The .py files of ``subpackage`` of the package that holds ``module`` (build inputs)."""
    spec = importlib.util.find_spec(module.split(".")[0])
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError(f"cannot find the package of {module}: is automagik-spark installed?")
    root = Path(next(iter(spec.submodule_search_locations)))
    return sorted((root / subpackage).rglob("*.py"))


@contextlib.contextmanager
def _quietly():
    """Spark's modules log at INFO while they import (alembic's plugin set-up) and call
    ``logging.basicConfig``; a build shows Sphinx's output, not those lines. Warnings still pass,
    and the root logger is left as it was."""
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)
        root.setLevel(level)
        root.handlers[:] = handlers


def _import(module: str, attr: str):
    try:
        with _quietly():
            return getattr(importlib.import_module(module), attr)
    except Exception as exc:  # any import-time failure of the product is reported once
        raise ExtensionError(f"cannot import {module}:{attr}: {type(exc).__name__}: {exc}") from exc


@functools.cache
def cli_group():
    return _import(CLI_MODULE, CLI_OBJECT)


def _fingerprint() -> list:
    return [[str(p), p.stat().st_mtime_ns] for p in package_files(API_MODULE, "api")]


_SPECS: dict[str, dict] = {}


def load_spec(cache_dir: str | Path) -> dict:
    """The OpenAPI spec of the real app, once per process (the main process loads it before
    parallel readers fork), from the disk cache when the API sources are unchanged."""
    key = str(cache_dir)
    if key not in _SPECS:
        _SPECS[key] = _load_spec(Path(cache_dir))
    return _SPECS[key]


def reader_spec(env) -> tuple[dict, list[str]]:
    """The spec as published (see :mod:`.spec`) and the fields it leaves undescribed."""
    from .spec import load_fields, public_spec

    path, fields = load_fields(env.srcdir)
    key = (str(env.doctreedir), str(path), path.stat().st_mtime_ns if path.is_file() else 0,
           env.config.spark_api_server, env.config.release)
    if key not in _PUBLIC:
        _PUBLIC[key] = public_spec(load_spec(env.doctreedir), fields, env.config.spark_api_server,
                                   env.config.release)
    return _PUBLIC[key]


_PUBLIC: dict[tuple, tuple[dict, list[str]]] = {}


def _load_spec(cache_dir: Path) -> dict:
    cache = cache_dir / "spark-openapi.json"
    fingerprint = _fingerprint()
    if cache.is_file():
        cached = json.loads(cache.read_text(encoding="utf-8"))
        if cached.get("fingerprint") == fingerprint:
            return cached["spec"]
    spec = _import(API_MODULE, API_OBJECT).openapi()
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps({"fingerprint": fingerprint, "spec": spec}), encoding="utf-8")
    os.replace(partial, cache)  # atomic: readers never see half a file
    return spec
