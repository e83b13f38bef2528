"""Drift: every command, endpoint and environment variable a page names exists in 0.3.7."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from support import SOURCE
from spark_reference.loader import API_MODULE, cli_group, package_files

PAGES = sorted(SOURCE.rglob("*.md"))
GLOBAL_OPTIONS = {"--debug", "--no-debug", "--no-telemetry", "--help"}
SHELL_BREAKS = {"|", "||", "&&", ";", ">", ">>", "<", "2>&1", ")", "&", "2>", "$(", "`"}
METHOD_PATH = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE)\s+`?(/[\w/{}.-]*)")
ENV_NAME = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
SPARK_PREFIXES = ("AUTOMAGIK_", "LANGFLOW_", "CELERY_", "SPARK_")

#: variables a page may name that Spark does not read, each with its reason
ALLOWED_ENV = {
    "DATABASE_URL": "named to warn it is not read (0.3.7 reads AUTOMAGIK_SPARK_DATABASE_URL)",
    "CELERY_BROKER_URL": "named to warn it is not read",
    "REDIS_URL": "named to warn it is not read",
    "LOG_LEVEL": "in .env.example but not read by 0.3.7; the page says so",
    "LOG_FOLDER": "in .env.example but not read by 0.3.7; the page says so",
    "AUTOMAGIK_ENCRYPTION_KEY": "in .env.example but not read by 0.3.7; the page says so",
    "AUTOMAGIK_API_URL": "in .env.example but not read by 0.3.7; the page says so",
    "AUTOMAGIK_HOST": "printed by `api start --help` although never read; the page says so",
    "AUTOMAGIK_PORT": "printed by `api start --help` although never read; the page says so",
    "PGSSLMODE": "libpq/asyncpg/psycopg client variable for TLS to PostgreSQL",
    "VIRTUAL_ENV": "set by venv activation",
    "PYTHONUNBUFFERED": "set by worker start for its Celery children",
    "DEBIAN_FRONTEND": "apt's non-interactive mode",
    "SIGTERM": "a signal name, not a variable",
    "SIGKILL": "a signal name, not a variable",
    "LANGFLOW_AUTO_LOGIN": "LangFlow's own setting (its no-credentials setup), not Spark's",
    "LANGFLOW_SKIP_AUTH_AUTO_LOGIN": "LangFlow's own setting (its no-credentials setup), not Spark's",
}


def package_env_vars() -> dict[str, list[str]]:
    """Every environment variable the installed package reads, with the files that read it."""
    found: dict[str, list[str]] = {}
    pattern = re.compile(r"""(?:getenv|environ\.get|environ\[|environ\.setdefault)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")
    # getenv(var) for var in ["CI", "GITHUB_ACTIONS", ...]: names read through a loop
    looped = re.compile(r"getenv\((\w+)\)\s+for\s+\1\s+in\s+\[([^\]]*)\]")
    for path in package_files(API_MODULE, "."):
        source = path.read_text(encoding="utf-8")
        names = pattern.findall(source)
        for match in looped.finditer(source):
            names += re.findall(r"[\"']([A-Z][A-Z0-9_]*)[\"']", match.group(2))
        for name in names:
            found.setdefault(name, []).append(path.name)
    return found


def cli_metavars(group=None) -> set[str]:
    """Argument names of the click tree as they appear in usage lines (TASK_ID, ID_OR_URL)."""
    names = set()
    for command in (group or cli_group()).commands.values():
        if isinstance(command, click.Group):
            names |= cli_metavars(command)
        for param in command.params:
            names.add(param.name.upper())
            names.add(param.human_readable_name.upper().replace("-", "_"))
    return names


def code_blocks(text: str):
    """(first line number, language, lines) of each backtick-fenced block."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = re.match(r"^\s*(`{3,})(.*)$", lines[i])
        if match:
            fence, info = match.groups()
            start, body = i + 1, []
            i += 1
            while i < len(lines) and not re.match(rf"^\s*{fence}\s*$", lines[i]):
                if not lines[i].strip().startswith(":"):
                    body.append((i + 1, lines[i]))
                i += 1
            yield start, info.strip(), body
        i += 1


def cli_invocations(text: str):
    """(line, argv after automagik-spark) for each command line in a code block."""
    for _start, info, body in code_blocks(text):
        if not re.search(r"bash|shell|console|sh\b", info) or "text" in info:
            continue
        joined, first = "", None
        for number, line in body:
            first = first or number
            joined += line.rstrip("\\") + " "
            if line.rstrip().endswith("\\"):
                continue
            for match in re.finditer(r"(?:^|[\s;&|(`])automagik-spark((?:\s+[^|;&)`\n]+)?)", joined):
                try:
                    words = shlex.split(match.group(1), comments=True)
                except ValueError:
                    words = match.group(1).split()
                args = []
                for word in words:
                    if word in SHELL_BREAKS or word.startswith(("2>", ">")):
                        break
                    args.append(word)
                yield first, args
            joined, first = "", None


def check_cli(args: list[str]) -> str | None:
    """None when ``automagik-spark ARGS`` parses against the real click group."""
    args = [a for a in args if a not in ("--debug", "--no-debug", "--no-telemetry")]
    ctx = click.Context(cli_group(), info_name="automagik-spark", resilient_parsing=False)
    command = cli_group()
    while isinstance(command, click.Group):
        if not args or args[0] in ("--help", "-h"):
            return None
        name = args.pop(0)
        if name not in command.commands:
            return f"unknown command {name!r} under {ctx.command_path!r}"
        command = command.commands[name]
        ctx = click.Context(command, info_name=name, parent=ctx)
    if "--help" in args:
        return None
    try:
        command.make_context(ctx.info_name, list(args), parent=ctx.parent)
    except click.exceptions.Abort:
        return None
    except click.UsageError as exc:
        return f"{ctx.command_path}: {exc.format_message()}"
    return None


def spec_operations() -> set[tuple[str, str]]:
    from spark_reference.loader import load_spec

    spec = load_spec(Path(__file__).parent / "artifacts")
    ops = {(m.upper(), p) for p, item in spec["paths"].items() for m in item}
    return ops


def path_matches(path: str, template: str) -> bool:
    pattern = "^" + re.sub(r"\\\{\w+\\\}", r"[^/]+", re.escape(template.rstrip("/"))) + "/?$"
    return re.match(pattern, path.rstrip("/") or "/") is not None or path.rstrip("/") == template.rstrip("/")


def endpoint_mentions(text: str):
    for number, line in enumerate(text.splitlines(), 1):
        for match in METHOD_PATH.finditer(line):
            yield number, match.group(1), match.group(2).rstrip(".,")


# -- checks over every page -------------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_cli_lines_resolve(page):
    problems = []
    for line, args in cli_invocations(page.read_text()):
        error = check_cli(args)
        if error:
            problems.append(f"{page.relative_to(SOURCE)}:{line}: automagik-spark {' '.join(args)}: {error}")
    assert problems == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_endpoints_exist(page):
    ops = spec_operations() | {("GET", "/health")}
    problems = []
    for line, method, path in endpoint_mentions(page.read_text()):
        if not any(m == method and path_matches(path, p) for m, p in ops):
            problems.append(f"{page.relative_to(SOURCE)}:{line}: {method} {path} is not in the 0.3.7 spec")
    assert problems == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_environment_variables_are_read_by_the_package(page):
    read = package_env_vars()
    placeholders = cli_metavars()
    text = page.read_text()
    shell_vars = set(re.findall(r"\b([A-Z][A-Z0-9_]*)=", text)) | set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", text))
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        for name in ENV_NAME.findall(line):
            if name in read or name in ALLOWED_ENV:
                continue
            if name in shell_vars and not name.startswith(SPARK_PREFIXES):
                continue  # the page's own shell variable (SOURCE_ID=...)
            if name in placeholders:
                continue  # a click metavar such as TASK_ID, written as a placeholder
            spans = [s for s in re.findall(r"`([^`]*)`", line) if re.search(rf"\b{name}\b", s)]
            if spans and all(re.match(r"^[a-z][\w-]*\s", s) for s in spans):
                continue  # a placeholder inside a command line: `sources update URL --api-key NEW_KEY`
            if not name.startswith(SPARK_PREFIXES) and not spans and f"${name}" not in line:
                continue  # an upper-case word in prose or code that is not used as a variable
            problems.append(f"{page.relative_to(SOURCE)}:{number}: {name} is not read by automagik-spark 0.3.7")
    assert problems == []


def test_environment_variables_page_lists_every_variable():
    table = (SOURCE / "config" / "environment-variables.md").read_text()
    rows = set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]+)`", table, re.M))
    assert set(package_env_vars()) <= rows, sorted(set(package_env_vars()) - rows)


# -- coverage -----------------------------------------------------------------------------------
def leaf_commands(group=None, prefix=()):
    group = group or cli_group()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from leaf_commands(command, prefix + (name,))
        else:
            yield " ".join(prefix + (name,))


def test_every_operation_is_rendered_exactly_once():
    text = "\n".join(p.read_text() for p in (SOURCE / "api").glob("*.md"))
    rendered = re.findall(r"^```\{api-endpoint\}\s+(\w+)\s+(\S+)", text, re.M)
    ops = spec_operations()
    assert len(ops) == 24
    assert sorted(rendered) == sorted(ops) or sorted(set(rendered) - {("GET", "/health")}) == sorted(ops)
    assert len(rendered) == len(set(rendered))


def test_every_leaf_command_has_reference_and_example():
    leaves = sorted(leaf_commands())
    assert len(leaves) == 33
    text = "\n".join(p.read_text() for p in (SOURCE / "cli").glob("*.md"))
    documented = set(re.findall(r"^```\{cli-command\}\s+(.+?)\s*$", text, re.M))
    examples = set()
    for page in (SOURCE / "cli").glob("*.md"):
        for _line, args in cli_invocations(page.read_text()):
            words = [a for a in args if not a.startswith("-")]
            examples.add(" ".join(words[:2]))
    assert sorted(set(leaves) - documented) == []
    assert sorted(set(leaves) - examples) == []


# -- the checks can fail ----------------------------------------------------------------------
def test_drift_check_catches_a_wrong_flag_and_endpoint():
    bad = ("# Bad\n\n```bash\nautomagik-spark workers start --workers 4\n"
           "automagik-spark worker start --workers 4\n```\n\nCall `POST /api/v1/tasks/{id}/retry`.\n")
    errors = [(line, check_cli(args)) for line, args in cli_invocations(bad)]
    assert errors[0][0] == 4 and "unknown command 'workers'" in errors[0][1]
    assert "No such option" in errors[1][1] and "--workers" in errors[1][1]
    ops = spec_operations()
    [(line, method, path)] = list(endpoint_mentions(bad))
    assert line == 8 and not any(m == method and path_matches(path, p) for m, p in ops)


def test_environment_variable_check_fails_on_a_variable_spark_does_not_read(tmp_path, monkeypatch):
    """Negative case: the page check itself fails, at page:line, on names 0.3.7 never reads."""
    monkeypatch.setitem(globals(), "SOURCE", tmp_path)
    page = tmp_path / "page.md"
    for text, where in [("# Page\n\n```bash\nexport AUTOMAGIK_SPARK_MADE_UP=1\n```\n",
                         "page.md:4: AUTOMAGIK_SPARK_MADE_UP is not read"),
                        ("# Page\n\nSet `SPARK_TURBO` too.\n", "page.md:3: SPARK_TURBO is not read")]:
        page.write_text(text)
        with pytest.raises(AssertionError) as failed:
            test_environment_variables_are_read_by_the_package(page)
        assert where in str(failed.value)
    real = sorted(name for name in package_env_vars() if name.startswith("AUTOMAGIK_SPARK_"))[0]
    page.write_text(f"# Page\n\n```bash\nexport {real}=1\n```\n")
    test_environment_variables_are_read_by_the_package(page)
