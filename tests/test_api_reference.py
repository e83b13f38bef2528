"""The API reference as readers and Mintlify's playground get it (spark/openapi.json + pages)."""
from __future__ import annotations

import copy
import json
import re
import sys

import pytest
import yaml

from helpers_node import node_json
from support import REPO, SOURCE

sys.path.insert(0, str(REPO / "_ext"))
from spark_reference.loader import load_spec  # noqa: E402
from spark_reference.spec import clean_description, load_fields, public_spec  # noqa: E402

METHODS = ("get", "post", "put", "patch", "delete")
FRONTMATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
LEAKS = re.compile(r"^\s*(Args|Returns|Raises):\s*$|Requires Authentication", re.M)


def conf_value(name: str):
    namespace: dict = {"__file__": str(REPO / "conf.py")}
    exec(compile((REPO / "conf.py").read_text(), "conf.py", "exec"), namespace)
    return namespace[name]


def server_setting() -> str:
    return conf_value("spark_api_server")


def operations(spec: dict) -> dict[str, dict]:
    return {f"{m.upper()} {p}": op for p, item in spec["paths"].items()
            for m, op in item.items() if m in METHODS}


def frontmatter(page) -> dict[str, str]:
    match = FRONTMATTER.match(page.read_text())
    return dict(re.findall(r'^(\w+): "(.*)"$', match.group(1), re.M)) if match else {}


def openapi_pages(root) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for page in sorted(root.rglob("*.mdx")):
        key = frontmatter(page).get("openapi")
        if key:
            found.setdefault(key, []).append(str(page.relative_to(root)))
    return found


def unmatched(pages: dict[str, list[str]], spec: dict) -> list[str]:
    return sorted(set(pages) - set(operations(spec)))


@pytest.fixture(scope="module")
def spec(site) -> dict:
    return json.loads((site.mdx / "spark" / "openapi.json").read_text())


@pytest.fixture(scope="module")
def raw_spec(tmp_path_factory) -> dict:
    return load_spec(tmp_path_factory.mktemp("spec-cache"))


# -- the playground ------------------------------------------------------------------------
def test_docs_json_points_the_api_pages_at_the_spec(site, docs_json):
    assert "openapi" not in docs_json
    nodes, stack = [], [docs_json["navigation"]]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "openapi" in node:
                nodes.append(node)
            stack += [v for v in node.values() if isinstance(v, (dict, list))]
        elif isinstance(node, list):
            stack += node
    assert nodes, "no navigation node carries the spec"
    for node in nodes:
        assert (site.mdx / node["openapi"].lstrip("/")).is_file()
        assert any(str(p).startswith("spark/api/") for p in node["pages"])


def test_spec_has_server_and_key_on_protected_operations(spec):
    assert spec["servers"][0]["url"] == server_setting()
    assert spec["info"]["version"] == conf_value("release")
    scheme = spec["components"]["securitySchemes"]["APIKeyHeader"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-API-Key")
    for key, op in operations(spec).items():
        assert bool(op.get("security")) == (key != "GET /health"), key


def test_spec_passes_mintlifys_validator(spec, site):
    assert node_json("validate_openapi.mjs", str(site.mdx / "spark" / "openapi.json")) == {
        "valid": True, "errors": []}


def test_mintlifys_validator_rejects_a_broken_spec(spec, tmp_path):
    broken = copy.deepcopy(spec)
    del broken["paths"]["/api/v1/tasks"]["get"]["parameters"][0]["in"]
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(broken))
    assert node_json("validate_openapi.mjs", str(path))["valid"] is False


def test_one_page_per_operation_and_every_openapi_value_matches(site, spec):
    pages = openapi_pages(site.mdx)
    assert unmatched(pages, spec) == []
    assert sorted(pages) == sorted(operations(spec))
    assert {k: v for k, v in pages.items() if len(v) != 1} == {}
    for key, (page,) in pages.items():
        text = (site.mdx / page).read_text()
        assert "<RequestExample>" in text and "<ParamField" not in text, page


def test_an_operation_page_takes_the_title_fields_yaml_gives_it(site):
    """A curated summary titles the operation's page even where the section it was cut from has
    another heading (api/workflows' "Execution endpoints" holds "Run a workflow")."""
    curated = load_fields(SOURCE)[1]["operations"]
    titles = {key: (frontmatter(site.mdx / page)["title"], curated[key]["summary"])
              for key, (page,) in openapi_pages(site.mdx).items()
              if (curated.get(key) or {}).get("summary")}
    assert len(titles) >= 4 and {k: v for k, v in titles.items() if v[0] != v[1]} == {}
    assert titles["POST /api/v1/workflows/{workflow_id}/run"][0] == "Run a workflow"


def test_an_operation_page_says_where_its_variables_come_from(site):
    """Cut from its api page, an operation's examples still use $WORKFLOW_ID and friends: its
    page links the Setup section that sets them (rest-overview has none, and needs none)."""
    lacking = [page for pages in openapi_pages(site.mdx).values() for page in pages
               if "rest-overview" not in page and not re.search(
                   r"\[Setup\]\(/spark/api/\w+#setup\)", (site.mdx / page).read_text())]
    assert lacking == []


def test_the_openapi_match_check_can_fail(spec):
    assert unmatched({"GET /api/v1/nope": ["x.mdx"]}, spec) == ["GET /api/v1/nope"]


def test_schemas_are_referenced_not_repeated(spec):
    for key, op in operations(spec).items():
        for response in op["responses"].values():
            schema = response.get("content", {}).get("application/json", {}).get("schema", {})
            assert "properties" not in schema and "properties" not in schema.get("items", {}), key


# -- words for users -----------------------------------------------------------------------
def test_every_parameter_and_field_is_described(raw_spec):
    _path, fields = load_fields(SOURCE)
    published, missing = public_spec(raw_spec, fields, "http://localhost:8883")
    assert missing == []
    assert public_spec(raw_spec, {}, "http://localhost:8883")[1], "the check cannot fail"


def test_no_docstring_leaks(spec, site):
    for key, op in operations(spec).items():
        assert not LEAKS.search(op.get("description", "")), key
    for page in (site.mdx / "spark" / "api").rglob("*.mdx"):
        assert not LEAKS.search(page.read_text()), page
    for page in (site.html / "api").rglob("*.html"):
        assert not LEAKS.search(page.read_text()), page


def test_docstring_cleaning():
    text = ("List remote flows.\n\nArgs:\n    simplified: a flag\n\nReturns:\n    a list\n\n"
            "**Requires Authentication**: This endpoint requires an API key.")
    assert clean_description(text) == "List remote flows."
    assert LEAKS.search(text)


def test_examples_show_values_not_placeholders(site):
    for page in (site.mdx / "spark" / "api").rglob("*.mdx"):
        for block in re.findall(r"```json[^\n]*\n(.*?)```", page.read_text(), re.S):
            assert '"string"' not in block, page


def test_python_examples_set_a_timeout_and_check_the_status(site):
    blocks = [b for page in (site.mdx / "spark" / "api").rglob("*.mdx")
              for b in re.findall(r"```python[^\n]*\n(.*?)```", page.read_text(), re.S)]
    assert len(blocks) >= 24
    for block in blocks:
        assert "timeout=" in block, block
        assert "raise_for_status()" in block, block


# -- CLI options ---------------------------------------------------------------------------
def cli_option_rows():
    """(command path, option signature, type, default, required) of every visible option."""
    import click
    from spark_reference.cli import PROG, _default_label, _type_label, find_command
    from spark_reference.loader import cli_group
    from sphinx_click.ext import _get_help_record

    def walk(group, prefix=()):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from walk(command, prefix + (name,))
            else:
                yield prefix + (name,)

    for path in walk(cli_group()):
        ctx = find_command(list(path))
        for option in ctx.command.params:
            if isinstance(option, click.Option) and not option.hidden:
                yield (f"{PROG} {' '.join(path)}", _get_help_record(ctx, option)[0],
                       _type_label(option), _default_label(option), option.required)


def missing_option_rows(text: str, rows) -> list[str]:
    missing = []
    for command, signature, kind, default, required in rows:
        cells = [f"`{signature}`", kind.replace("_", "\\_"), f"`{default}`" if default else "\\-",
                 "yes" if required else "no"]
        if "| " + " | ".join(cells) + " |" not in text:
            missing.append(f"{command} {signature}")
    return missing


def test_cli_pages_show_every_option_with_type_default_and_required(site):
    text = "\n".join(p.read_text() for p in (site.mdx / "spark" / "cli").glob("*.mdx"))
    rows = list(cli_option_rows())
    assert rows
    assert missing_option_rows(text, rows) == []
    html = "\n".join(p.read_text() for p in (site.html / "cli").glob("*.html"))
    assert html.count("spark-cli-options") >= len({r[0] for r in rows})


def test_the_cli_option_check_can_fail():
    rows = [("automagik-spark x", "--nope <nope>", "text", "", False)]
    assert missing_option_rows("| `--nope <nope>` | integer | \\- | no | Help |", rows) == [
        "automagik-spark x --nope <nope>"]


def test_fields_file_refuses_a_key_given_twice(tmp_path):
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "fields.yaml").write_text("parameters:\n  limit: A\n  limit: B\n")
    with pytest.raises(Exception, match="key given twice: limit"):
        load_fields(tmp_path)
    assert load_fields(SOURCE)[1]["parameters"]["limit"]


def test_fields_file_refuses_a_description_cut_at_its_comma(raw_spec):
    fields = {"schemas": {"ScheduleResponse": {"schedule_expr": yaml.safe_load(
        "{description: The interval, cron expression or date., example: 30m}")}}}
    with pytest.raises(Exception, match="quote a text that has a comma"):
        public_spec(raw_spec, fields, "http://localhost:8883")
    fields["schemas"]["ScheduleResponse"]["schedule_expr"] = yaml.safe_load(
        '{description: "The interval, cron expression or date.", example: 30m}')
    assert public_spec(raw_spec, fields, "http://localhost:8883")[0]


IMPORT_PRODUCT = """
import importlib, logging, sys
sys.path.insert(0, "_ext")
# as in a build: a theme dependency (accessible-pygments) has set up the root logger at INFO
logging.basicConfig(level=logging.INFO)
from spark_reference import loader
if sys.argv[1] == "loader":
    loader.cli_group(); loader._import(loader.API_MODULE, loader.API_OBJECT)
else:
    importlib.import_module(loader.CLI_MODULE); importlib.import_module(loader.API_MODULE)
logging.getLogger("after").info("the root logger still works")
"""


@pytest.mark.parametrize("how", ["loader", "plain"])
def test_importing_the_product_adds_no_lines_to_the_build_output(how):
    """Spark logs alembic's INFO set-up lines while it imports; through the loader they stay out
    of the build's output (the plain import shows they would be there)."""
    import subprocess

    proc = subprocess.run([sys.executable, "-c", IMPORT_PRODUCT, how], capture_output=True,
                          text=True, cwd=REPO, check=True)
    lines = proc.stderr.splitlines()
    assert lines[-1] == "INFO:after:the root logger still works"
    if how == "loader":
        assert lines == ["INFO:after:the root logger still works"]
    else:
        assert any("alembic" in line for line in lines), proc.stderr
