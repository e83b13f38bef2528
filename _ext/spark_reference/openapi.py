"""``{api-endpoint} GET /api/v1/workflows``: one operation of the real OpenAPI spec.

It builds neutral component nodes (param-field, response-field, expandable, code-group), so the
HTML and MDX builders render it like any authored page.
"""
from __future__ import annotations

import difflib
import json
import re
import shlex
from urllib.parse import parse_qsl

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

import mintlify_components.nodes as mn

from .loader import API_MODULE, package_files, reader_spec
from .spec import FIELDS_FILE

logger = logging.getLogger(__name__)
BASE_URL = "http://localhost:8883"
METHODS = ("get", "post", "put", "patch", "delete")
SAMPLES = {"uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "date-time": "2025-08-25T08:00:00Z",
           "uri": "http://localhost:7860/"}


def operations(spec: dict) -> dict[str, dict]:
    return {f"{m.upper()} {path}": op for path, item in spec["paths"].items()
            for m, op in item.items() if m in METHODS}


def schema_ref_parts(ref: str) -> list[str]:
    return ref.lstrip("#/").split("/")


def deref(spec: dict, schema: dict) -> dict:
    """Follow ``$ref`` and collapse ``anyOf: [X, null]`` to X (marked nullable)."""
    seen = 0
    while "$ref" in schema and seen < 20:
        target = spec
        for part in schema_ref_parts(schema["$ref"]):
            target = target[part]
        schema, seen = target, seen + 1
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        real = [o for o in options if o.get("type") != "null"]
        if len(real) == 1:
            merged = {**deref(spec, real[0]), **{k: v for k, v in schema.items()
                                                   if k not in ("anyOf", "oneOf")}}
            merged["nullable"] = len(real) < len(options)
            return merged
    return schema


def type_name(spec: dict, schema: dict) -> str:
    schema = deref(spec, schema)
    if "enum" in schema:
        return "enum<" + ", ".join(str(v) for v in schema["enum"]) + ">"
    kind = schema.get("type")
    if kind == "array":
        return type_name(spec, schema.get("items", {})) + "[]"
    if schema.get("anyOf"):
        return " | ".join(type_name(spec, o) for o in schema["anyOf"])
    name = kind or "any"
    if schema.get("format"):
        name += f" ({schema['format']})"
    return name + (" | null" if schema.get("nullable") else "")


def sample(spec: dict, schema: dict, depth: int = 0):
    if "example" in schema:  # curated words on a field sit beside its $ref
        return schema["example"]
    schema = deref(spec, schema)
    if "example" in schema:
        return schema["example"]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        return {k: sample(spec, v, depth + 1) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [sample(spec, schema.get("items", {}), depth + 1)]
    if kind == "integer":
        return 0
    if kind == "number":
        return 0.0
    if kind == "boolean":
        return True
    if kind == "string":
        return SAMPLES.get(schema.get("format", ""), "string")
    return None


def limits(schema: dict) -> str:
    parts = []
    for key, label in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"),
                       ("exclusiveMaximum", "<"), ("minLength", "min length"),
                       ("maxLength", "max length")):
        if key in schema:
            parts.append(f"{label} {schema[key]}")
    return ", ".join(parts)


def body_schema(op: dict) -> dict | None:
    """The JSON schema of an operation's request body, if it has one."""
    content = op.get("requestBody", {}).get("content", {})
    media = content.get("application/json") or next(iter(content.values()), None)
    return media.get("schema") if media else None


def shell_var(name: str) -> str:
    return "$" + re.sub(r"\W", "_", name).upper()


class ApiEndpoint(SphinxDirective):
    """Render an operation: summary, parameters, body, responses and examples."""

    required_arguments = 2
    has_content = True
    option_spec = {"body": directives.unchanged, "query": directives.unchanged,
                   "run": directives.flag, "expect": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        for path in package_files(API_MODULE, "api"):
            self.env.note_dependency(str(path))
        self.env.note_dependency(str(FIELDS_FILE))
        spec = reader_spec(self.env)[0]
        key = f"{self.arguments[0].upper()} {self.arguments[1]}"
        ops = operations(spec)
        if key not in ops:
            near = difflib.get_close_matches(key, list(ops), n=3, cutoff=0.5)
            hint = "; did you mean " + " or ".join(repr(n) for n in near) if near else ""
            raise self.error(f"api-endpoint: {key!r} is not an operation of the Spark "
                             f"0.3.7 spec{hint}")
        self.env.spark_endpoints.setdefault(key, []).append((self.env.docname, self.lineno))
        self.spec, self.op = spec, ops[key]
        self.method, self.path = key.split(" ", 1)
        wrapper = nodes.container(classes=["spark-endpoint"])
        wrapper["spark-key"] = key
        self.set_source_info(wrapper)
        # parts an operation page on Mintlify drops (the playground shows them from the spec)
        wrapper += nodes.container("", *self.header(), classes=["spark-endpoint-header"])
        if self.content:
            wrapper.extend(self.parse_content_to_nodes())
        wrapper += nodes.container("", *self.parameters(), *self.request_body(),
                                   *self.responses(), classes=["spark-endpoint-fields"])
        wrapper += nodes.container("", *self.examples(), classes=["spark-endpoint-examples"])
        return [wrapper]

    # -- pieces -----------------------------------------------------------------------------
    def text_nodes(self, text: str) -> list[nodes.Node]:
        return self.parse_text_to_nodes(text) if text.strip() else []

    def header(self) -> list[nodes.Node]:
        line = nodes.paragraph(classes=["spark-endpoint-signature"])
        line += nodes.strong(text=self.method)
        line += nodes.Text(" ")
        line += nodes.literal(text=self.path)
        out = [line]
        description = self.op.get("description", "").strip()
        if description:
            out.extend(self.text_nodes(description))
        elif self.op.get("summary"):
            out.append(nodes.paragraph(text=self.op["summary"] + "."))
        return out

    def field(self, cls, props: dict, schema: dict, description: str = "") -> nodes.Element:
        node = cls()
        node["props"] = props
        detail = limits(deref(self.spec, schema))
        text = description or deref(self.spec, schema).get("description", "")
        if detail:
            text = (text + " " if text else "") + f"Limits: {detail}."
        if text:
            node += nodes.paragraph(text=text)
        self.nested_fields(node, schema, cls)
        return node

    def nested_fields(self, parent: nodes.Element, schema: dict, cls) -> None:
        schema = deref(self.spec, schema)
        if schema.get("type") == "array":
            schema = deref(self.spec, schema.get("items", {}))
        props = schema.get("properties")
        if not props:
            return
        box = mn.expandable()
        box += mn.component_title("", "", nodes.Text("properties"))
        required = set(schema.get("required", []))
        for name, sub in props.items():
            box += self.field(mn.response_field if cls is mn.response_field else mn.param_field,
                              self.field_props(cls, name, sub, name in required), sub)
        parent += box

    def field_props(self, cls, name: str, schema: dict, required: bool, where="body") -> dict:
        props = {where: name} if cls is mn.param_field else {"name": name}
        props["type"] = type_name(self.spec, schema)
        if required:
            props["required"] = True
        default = deref(self.spec, schema).get("default")
        if default is not None:
            props["default"] = json.dumps(default) if not isinstance(default, str) else default
        return props

    def parameters(self) -> list[nodes.Node]:
        params = self.op.get("parameters", [])
        if not params:
            return []
        out = [nodes.rubric(text="Parameters")]
        for param in params:
            schema = param.get("schema", {})
            props = self.field_props(mn.param_field, param["name"], schema,
                                     param.get("required", False), where=param["in"])
            out.append(self.field(mn.param_field, props, schema, param.get("description", "")))
        return out

    def body_schema(self) -> dict | None:
        return body_schema(self.op)

    def request_body(self) -> list[nodes.Node]:
        schema = self.body_schema()
        if schema is None:
            return []
        out = [nodes.rubric(text="Request body")]
        resolved = deref(self.spec, schema)
        if "properties" not in resolved:
            required = self.op["requestBody"].get("required", False)
            props = {"body": "body", "type": type_name(self.spec, schema)}
            if required:
                props["required"] = True
            out.append(self.field(mn.param_field, props, schema,
                                  resolved.get("description") or "The whole request body is this value."))
            return out
        required = set(resolved.get("required", []))
        fields = [self.field(mn.param_field,
                             self.field_props(mn.param_field, name, sub, name in required), sub)
                  for name, sub in resolved["properties"].items()]
        return out + self.schema_fields(schema, "The body is", fields)

    def schema_fields(self, schema: dict, lead: str, fields: list[nodes.Node]) -> list[nodes.Node]:
        """Fields of a named schema, marked so that a page lists them once (see
        :func:`operation_pages.point_to_first`); later operations point to the first."""
        ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
        if not ref or not fields:
            return fields
        box = nodes.container("", *fields, classes=["spark-schema-fields"])
        box["spark-schema"] = ref.rsplit("/", 1)[-1]
        box["spark-lead"] = f"{lead} {'an array of ' if 'items' in schema else 'a '}"
        return [box]

    def success(self) -> tuple[str, dict]:
        for code, response in self.op.get("responses", {}).items():
            if code.startswith("2"):
                return code, response
        return "", {}

    def responses(self) -> list[nodes.Node]:
        out = [nodes.rubric(text="Responses")]
        table_rows = [(code, r.get("description", "")) for code, r in
                      self.op.get("responses", {}).items()]
        out.append(simple_table(["Status", "Meaning"], table_rows))
        code, response = self.success()
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema:
            resolved = deref(self.spec, schema)
            item = deref(self.spec, resolved.get("items", {})) if resolved.get("type") == "array" else resolved
            if item.get("properties"):
                fields = []
                if resolved.get("type") == "array":
                    fields.append(nodes.paragraph(text=f"A {code} response is a JSON array of "
                                                       "objects with these fields:"))
                required = set(item.get("required", []))
                for name, sub in item["properties"].items():
                    fields.append(self.field(mn.response_field, self.field_props(
                        mn.response_field, name, sub, name in required), sub))
                out.extend(self.schema_fields(schema, f"A {code} response is", fields))
        return out

    def examples(self) -> list[nodes.Node]:
        try:
            example = Example(self.spec, self.method, self.path, self.options,
                              self.config.spark_api_server)
        except ValueError as exc:
            raise self.error(f"api-endpoint: {exc}") from None
        group = mn.code_group()
        for code, language, caption in ((example.curl(), "bash", "cURL"),
                                        (example.python(), "python", "Python")):
            box = captioned_code(code, language, caption)
            if "run" in self.options:  # for the live suite's manifest (executable_examples)
                box[-1]["example_api"] = {"operation": f"{self.method} {self.path}",
                                          "expect": self.options.get("expect") or ""}
            group += box
        group["classes"].append("spark-request-example")
        out = [nodes.rubric(text="Example"), group]
        for code, response in self.op.get("responses", {}).items():
            media = response.get("content", {}).get("application/json", {})
            if "example" in media:
                shape = media["example"]
            elif code.startswith("2") and media.get("schema") is not None:
                shape = sample(self.spec, media["schema"])
            else:
                continue
            if shape not in (None, {}, [], "string"):  # free-form responses have no useful shape
                box = captioned_code(json.dumps(shape, indent=2), "json", f"Response {code}")
                box["classes"].append("spark-response-example")
                out.append(box)
        return out


class Example:
    """The request examples of one operation. The live suite runs the same curl command
    (tests/live), so what readers copy is what CI executes."""

    def __init__(self, spec: dict, method: str, path: str, options: dict,
                 server: str = BASE_URL) -> None:
        self.spec, self.method, self.path, self.server = spec, method.upper(), path, server
        self.op = spec["paths"][path][method.lower()]
        self.body = self._body(options.get("body"))
        self.query = (parse_qsl(options["query"]) if options.get("query") else
                      [(p["name"], str(sample(spec, p.get("schema", {}))))
                       for p in self.op.get("parameters", [])
                       if p["in"] == "query" and p.get("required")])

    def _body(self, raw: str | None):
        if raw is None:
            schema = body_schema(self.op)
            return sample(self.spec, schema) if schema is not None else None
        raw = raw.strip()
        if not raw.startswith(("{", "[", '"')):
            return raw  # MyST strips the quotes of a bare JSON string option
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise ValueError(f":body: must be one line of JSON ({exc}): got {raw!r}") from None


    def secured(self) -> bool:
        return bool(self.op.get("security"))

    def _shell_body(self) -> str:
        """The JSON body for ``-d``, single-quoted, with ``$VAR`` values spliced in by the shell."""
        parts = re.split(r"(\$[A-Z_][A-Z0-9_]*)", json.dumps(self.body))
        return "".join(f'"{part}"' if i % 2 else shlex.quote(part)
                       for i, part in enumerate(parts) if part)

    def curl(self) -> str:
        path = re.sub(r"\{(\w+)\}", lambda m: shell_var(m[1]), self.path)
        query = "&".join(f"{k}={v}" for k, v in self.query)
        url = f"{self.server}{path}" + (f"?{query}" if query else "")
        lines = [f'curl -sL -X {self.method} "{url}"']
        if self.secured():
            lines.append('-H "X-API-Key: $AUTOMAGIK_SPARK_API_KEY"')
        if self.body is not None:
            lines.append('-H "Content-Type: application/json"')
            lines.append("-d " + self._shell_body())
        return " \\\n  ".join(lines)

    def python(self) -> str:
        path = re.sub(r"\{(\w+)\}", lambda m: "{os.environ['" + shell_var(m[1])[1:] + "']}",
                      self.path)
        url = f'f"{self.server}{path}"' if "{" in path else f'"{self.server}{path}"'
        args = [f'    "{self.method}",', f"    {url},"]
        if self.secured():
            args.append('    headers={"X-API-Key": os.environ["AUTOMAGIK_SPARK_API_KEY"]},')
        if self.query:
            params = re.sub(r"'\$([A-Z_][A-Z0-9_]*)'", r"os.environ['\1']", repr(dict(self.query)))
            args.append(f"    params={params},")
        if self.body is not None:
            body = re.sub(r"'\$([A-Z_][A-Z0-9_]*)'", r"os.environ['\1']", repr(self.body))
            args.append(f"    json={body},")
        # a run lasts as long as the flow; everything else answers at once
        args.append("    follow_redirects=True,")
        args.append(f"    timeout={300 if self.path.endswith('/run') else 10},")
        return "\n".join(["import os", "", "import httpx", "", "response = httpx.request(",
                          *args, ")", "response.raise_for_status()", "print(response.json())"])


def captioned_code(code: str, language: str, caption: str) -> nodes.container:
    block = nodes.literal_block(code, code, language=language)
    box = nodes.container("", nodes.caption(caption, caption), block, classes=["literal-block-wrapper"],
                          literal_block=True)
    return box


def simple_table(header: list[str], rows: list[tuple[str, str]]) -> nodes.table:
    table = nodes.table()
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    group += head
    head += _row(header)
    body = nodes.tbody()
    group += body
    for row in rows:
        body += _row(row)
    return table


def _row(cells) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += nodes.paragraph(text=str(cell))
        row += entry
    return row
