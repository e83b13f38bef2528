"""The published OpenAPI spec: the real app's spec plus our curated words, for readers.

FastAPI copies handler docstrings ("Args:", "Returns:") and boilerplate into the spec; readers
get the first paragraph only. Parameters and schema fields without a description, and example
values, come from ``source/api/fields.yaml``, so the playground, the HTML pages and the MDX pages
all read one spec. Object schemas stay in ``components/schemas`` and are referenced by ``$ref``.
"""
from __future__ import annotations

import copy
import re
from http import HTTPStatus
from pathlib import Path

import yaml

METHODS = ("get", "post", "put", "patch", "delete")
FIELDS_FILE = Path("api", "fields.yaml")
ERROR_SCHEMA = "#/components/schemas/ErrorResponse"
#: a docstring section FastAPI copies verbatim; it ends the reader-facing description
_DOCSTRING_SECTION = re.compile(r"^\s*(Args|Arguments|Parameters|Returns|Raises|Yields|Note|Notes|"
                                r"Example|Examples):\s*$", re.M)
_BOILERPLATE = re.compile(r"\*\*Requires Authentication\*\*[^\n]*")


def clean_description(text: str) -> str:
    """The reader-facing part of a handler docstring: no Args/Returns sections, no boilerplate."""
    match = _DOCSTRING_SECTION.search(text)
    if match:
        text = text[:match.start()]
    return re.sub(r"\n{3,}", "\n\n", _BOILERPLATE.sub("", text)).strip()


class _UniqueKeys(yaml.SafeLoader):
    """YAML that refuses a key given twice (plain YAML keeps the last one silently)."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(k, deep=deep) for k, _v in node.value
                if k.tag != "tag:yaml.org,2002:merge"]  # keys merged in (<<) may be overridden
        twice = sorted({str(k) for k in keys if keys.count(k) > 1})
        if twice:
            raise yaml.constructor.ConstructorError(
                None, None, f"key given twice: {', '.join(twice)}", node.start_mark)
        return super().construct_mapping(node, deep=deep)


_FIELDS: dict[tuple[str, int], dict] = {}


def load_fields(srcdir: str | Path) -> tuple[Path, dict]:
    """The curated words, parsed once per version of the file (every api-endpoint asks)."""
    path = Path(srcdir, FIELDS_FILE)
    if not path.is_file():
        return path, {}
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _FIELDS:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeys)  # noqa: S506
        except yaml.YAMLError as exc:
            from sphinx.errors import ExtensionError
            raise ExtensionError(f"{path}: {exc}") from exc
        _FIELDS[key] = data or {}
    return path, _FIELDS[key]


def _apply(target: dict, words) -> None:
    """Put curated ``description``/``example`` onto a schema or parameter (words: str or dict)."""
    if isinstance(words, str):
        words = {"description": words}
    stray = set(words or {}) - {"description", "example"}
    if stray:  # e.g. {description: a, b, example: c}: YAML splits an unquoted comma into a key
        from sphinx.errors import ExtensionError
        raise ExtensionError(f"{FIELDS_FILE}: unknown key(s) {sorted(stray)} next to "
                             f"{words.get('description')!r}: quote a text that has a comma")
    for key in ("description", "example"):
        if key in (words or {}):
            target[key] = words[key]


def public_spec(raw: dict, fields: dict, server: str,
                version: str | None = None) -> tuple[dict, list[str]]:
    """The spec readers get, and the fields that still lack a description."""
    spec = copy.deepcopy(raw)
    spec["servers"] = [{"url": server, "description": "Your Spark API"}]
    if version:  # a pip install reports "unknown"; the docs describe one release
        spec["info"]["version"] = version
    spec["info"]["description"] = fields.get("info", spec["info"].get("description", ""))
    missing: list[str] = []
    params, ops_words = fields.get("parameters", {}), fields.get("operations", {})
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            key = f"{method.upper()} {path}"
            op["description"] = clean_description(op.get("description", ""))
            words = ops_words.get(key, {})
            for part in ("summary", "description"):  # the app's docstring says "LangFlow" only
                if words.get(part):
                    op[part] = words[part]
            for param in op.get("parameters", []):
                _apply(param, params.get(f"{key} {param['name']}") or params.get(param["name"]))
                if not param.get("description"):
                    missing.append(f"{key}: parameter {param['name']}")
            media = op.get("requestBody", {}).get("content", {}).get("application/json")
            if media and "$ref" not in media["schema"]:
                _apply(media["schema"], words.get("body"))
                if not media["schema"].get("description"):
                    missing.append(f"{key}: request body")
            for code, example in (words.get("responses") or {}).items():
                if example is None:  # declared by the app, never sent (the PUT that always fails)
                    op["responses"].pop(str(code), None)
                    continue
                # the app may not declare the errors it really gives (a 404 raised as 400):
                # the reader's spec does, with the body Spark sends
                response = op["responses"].setdefault(str(code), {
                    "description": HTTPStatus(int(code)).phrase,
                    "content": {"application/json": {"schema": {"$ref": ERROR_SCHEMA}}}})
                response.setdefault("content", {}).setdefault(
                    "application/json", {"schema": {}})["example"] = example
    schema_words, shared = fields.get("schemas", {}), fields.get("properties", {})
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        own = schema_words.get(name, {})
        for prop, sub in schema.get("properties", {}).items():
            common = shared.get(prop) or {}
            common = dict({"description": common} if isinstance(common, str) else common)
            if sub.get("description"):  # shared words only fill gaps; own words override
                common.pop("description", None)
            _apply(sub, common)
            _apply(sub, own.get(prop))
            if not sub.get("description"):
                missing.append(f"schema {name}: field {prop}")
    schemes = spec.get("components", {}).get("securitySchemes", {})
    for scheme in schemes.values():
        _apply(scheme, fields.get("security"))
    return spec, missing
