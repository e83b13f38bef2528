"""The downloadable service files in source/deploy/: they parse, their commands are the ones the
live stack runs (parsed by the real click CLI), exactly one of them runs the beat scheduler, and
every variable they set is one Spark reads.
"""
from __future__ import annotations

import ast
import configparser
import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from support import REPO, SOURCE
from spark_reference.loader import API_MODULE, cli_group, package_files

DEPLOY = SOURCE / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
COMPOSE = DEPLOY / "docker-compose.yml"
STACK = REPO / "tests" / "live" / "stack.py"
INSTALLATION = SOURCE / "installation.md"
#: the command that runs Celery's beat next to the worker (a second one runs every schedule twice)
BEAT_COMMAND = ("worker", "start")
SPARK_VAR = re.compile(r"\bAUTOMAGIK_[A-Z0-9_]+\b")


# ------------------------------------------------------------------------------------------
# what the live stack runs
# ------------------------------------------------------------------------------------------

def stack_commands(path: Path = STACK) -> dict[tuple[str, ...], set[str]]:
    """{command path: option names} of every ``["automagik-spark", ...]`` list in stack.py."""
    found: dict[tuple[str, ...], set[str]] = {}
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.List) or not node.elts:
            continue
        words = [e.value if isinstance(e, ast.Constant) else None for e in node.elts]
        if words[0] != "automagik-spark":
            continue
        names = [w for w in words[1:] if isinstance(w, str)]
        command = tuple(w for w in names if not w.startswith("-"))
        # option values that are literals ("2") are not part of the command path
        command = tuple(w for w in command if not w.isdigit())
        found.setdefault(command, set()).update(w for w in names if w.startswith("--"))
    return found


def stack_schema_script(path: Path = STACK) -> str:
    """The Python the live stack runs to create the schema (its SCHEMA_SCRIPT heredoc)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "SCHEMA_SCRIPT":
            text = node.value.value
            return text.split("<<'PY'\n", 1)[1].rsplit("\nPY", 1)[0]
    raise AssertionError(f"no SCHEMA_SCRIPT in {path}")


def code_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------
# checks: each returns a list of problems (empty when the file is right)
# ------------------------------------------------------------------------------------------

def check_command(argv: list[str], where: str, stack: dict) -> list[str]:
    """``automagik-spark ARGS`` parses against the real CLI and is a command the stack runs."""
    if not argv or Path(argv[0]).name != "automagik-spark":
        return [f"{where}: runs {argv[:1]}, not automagik-spark"]
    args = argv[1:]
    command, path = cli_group(), []
    ctx = click.Context(command, info_name="automagik-spark")
    while isinstance(command, click.Group):
        if not args or args[0] not in command.commands:
            return [f"{where}: unknown command {args[:1]} under {' '.join(['automagik-spark', *path])}"]
        name = args.pop(0)
        path.append(name)
        command = command.commands[name]
        ctx = click.Context(command, info_name=name, parent=ctx)
    try:
        command.make_context(ctx.info_name, list(args), parent=ctx.parent)
    except click.UsageError as exc:
        return [f"{where}: {' '.join(path)}: {exc.format_message()}"]
    if tuple(path) not in stack:
        return [f"{where}: the live stack never runs `automagik-spark {' '.join(path)}`"]
    options = {a.split("=", 1)[0] for a in args if a.startswith("--")}
    extra = options - stack[tuple(path)]
    if extra:
        return [f"{where}: options {sorted(extra)} are not the ones the live stack runs "
                f"({sorted(stack[tuple(path)])})"]
    return []


def read_unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read_string(path.read_text(), source=str(path))
    return unit


def unit_commands(path: Path) -> list[list[str]]:
    return [shlex.split(read_unit(path)["Service"]["ExecStart"])]


def check_unit(path: Path, stack: dict) -> list[str]:
    try:
        unit = read_unit(path)
    except configparser.Error as exc:
        return [f"{path.name}: {exc}"]
    problems = [f"{path.name}: no [{s}] section" for s in ("Unit", "Service", "Install")
                if s not in unit]
    if problems:
        return problems
    service = unit["Service"]
    for key in ("ExecStart", "User", "EnvironmentFile"):
        if key not in service:
            problems.append(f"{path.name}: [Service] has no {key}")
    exec_start = service.get("ExecStart", "")
    if not exec_start.startswith("/"):
        problems.append(f"{path.name}: ExecStart must be an absolute path: {exec_start!r}")
    if "ExecStart" in service:
        problems += check_command(shlex.split(exec_start), path.name, stack)
    return problems


def service_argv(service: dict) -> list[str]:
    command = service.get("command") or []
    return list(command) if isinstance(command, list) else shlex.split(command)


def compose_commands(data: dict) -> dict[str, list[str]]:
    """{service: argv} of the services that run automagik-spark."""
    return {name: argv for name, svc in data["services"].items()
            if (argv := service_argv(svc)) and Path(argv[0]).name == "automagik-spark"}


def check_compose(path: Path, stack: dict, schema_script: str) -> list[str]:
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        return [f"{path.name}: {exc}"]
    services = data.get("services") or {}
    problems = [f"{path.name}: no {name} service" for name in ("postgres", "redis", "api", "worker")
                if name not in services]
    for name, argv in compose_commands(data).items():
        problems += check_command(argv, f"{path.name}: {name}", stack)
    beats = [n for n, argv in compose_commands(data).items()
             if tuple(argv[1:3]) == BEAT_COMMAND]
    if len(beats) != 1:
        problems.append(f"{path.name}: {len(beats)} services run `worker start` {beats}; "
                        "exactly one may (each one runs a beat)")
    for name in beats:
        replicas = (services[name].get("deploy") or {}).get("replicas", 1)
        if replicas != 1 or services[name].get("scale", 1) != 1:
            problems.append(f"{path.name}: {name} runs {replicas} replicas; exactly one may")
    schema = services.get("schema", {}).get("command") or []
    if code_lines(schema[-1] if schema else "") != code_lines(schema_script):
        problems.append(f"{path.name}: the schema service does not run the live stack's "
                        "schema script")
    for name, svc in services.items():
        env = svc.get("environment") or {}
        for key, value in (env.items() if isinstance(env, dict) else []):
            if str(value).startswith("$") and ":?" not in str(value):
                problems.append(f"{path.name}: {name}: {key} has no `:?` guard")
    return problems


def spark_reads() -> set[str]:
    """Every AUTOMAGIK_* name that appears as a string in the installed package."""
    names: set[str] = set()
    for path in package_files(API_MODULE, "."):
        names |= set(re.findall(r"""["'](AUTOMAGIK_[A-Z0-9_]+)["']""", path.read_text()))
    return names


def check_variables(paths: list[Path], known: set[str]) -> list[str]:
    return [f"{p.name}: {name} is not read by automagik-spark"
            for p in paths for name in sorted(set(SPARK_VAR.findall(p.read_text())) - known)]


def required_compose_variables(path: Path) -> set[str]:
    return set(re.findall(r"\$\{(\w+):\?", path.read_text()))


# ------------------------------------------------------------------------------------------
# the tests
# ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stack():
    commands = stack_commands()
    assert ("api", "start") in commands and BEAT_COMMAND in commands, commands
    return commands


def test_the_files_exist():
    assert [p.name for p in UNITS] == ["automagik-spark-api.service",
                                       "automagik-spark-worker.service"]
    assert COMPOSE.is_file()


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_unit(unit, stack):
    assert check_unit(unit, stack) == []


def test_exactly_one_unit_runs_the_beat():
    beats = [u.name for u in UNITS for argv in unit_commands(u)
             if tuple(argv[1:3]) == BEAT_COMMAND]
    assert beats == ["automagik-spark-worker.service"]


def test_compose(stack):
    assert check_compose(COMPOSE, stack, stack_schema_script()) == []


def test_every_variable_is_one_spark_reads():
    assert check_variables([*UNITS, COMPOSE], spark_reads()) == []


def test_the_installation_page_links_the_files_and_generates_the_secrets_once():
    page = INSTALLATION.read_text()
    for path in [*UNITS, COMPOSE]:
        assert f"<deploy/{path.name}>" in page, f"installation.md does not link {path.name}"
    for name in required_compose_variables(COMPOSE):
        assert re.search(rf"grep -q '\^{name}=' \S+ \|\|", page), (
            f"installation.md does not generate {name} once (grep -q ... || echo ...)")


# ------------------------------------------------------------------------------------------
# the checks can fail
# ------------------------------------------------------------------------------------------

def _copy(tmp_path: Path, path: Path, old: str, new: str) -> Path:
    text = path.read_text()
    assert old in text, (old, path)
    out = tmp_path / path.name
    out.write_text(text.replace(old, new))
    return out


def test_a_wrong_flag_in_a_unit_fails(tmp_path, stack):
    worker = DEPLOY / "automagik-spark-worker.service"
    bad = _copy(tmp_path, worker, "worker start --threads 2", "worker start --workers 2")
    assert any(re.search(r"No such option:? '?--workers", p) for p in check_unit(bad, stack))
    daemon = _copy(tmp_path, worker, "worker start --threads 2", "worker start --daemon")
    assert any("'--daemon'" in p and "not the ones the live stack runs" in p
               for p in check_unit(daemon, stack))
    beat = _copy(tmp_path, worker, "worker start --threads 2", "beat start")
    assert any("unknown command ['beat']" in p for p in check_unit(beat, stack))
    api = DEPLOY / "automagik-spark-api.service"
    relative = _copy(tmp_path, api, "ExecStart=/opt/", "ExecStart=opt/")
    assert any("absolute path" in p for p in check_unit(relative, stack))


def test_a_wrong_compose_file_fails(tmp_path, stack):
    script = stack_schema_script()
    flag = _copy(tmp_path, COMPOSE, '"--port", "8883"', '"--bind", "8883"')
    assert any(re.search(r"No such option:? '?--bind", p)
               for p in check_compose(flag, stack, script))
    two = _copy(tmp_path, COMPOSE, "volumes:\n  pgdata:",
                "  worker2:\n    <<: *spark\n    command: [\"automagik-spark\", \"worker\", "
                "\"start\"]\n\nvolumes:\n  pgdata:")
    assert any("2 services run `worker start`" in p for p in check_compose(two, stack, script))
    scaled = _copy(tmp_path, COMPOSE, '"--threads", "2"]',
                   '"--threads", "2"]\n    deploy:\n      replicas: 3')
    assert any("runs 3 replicas" in p for p in check_compose(scaled, stack, script))
    schema = _copy(tmp_path, COMPOSE, "Base.metadata.create_all", "Base.metadata.drop_all")
    assert any("schema script" in p for p in check_compose(schema, stack, script))
    broken = _copy(tmp_path, COMPOSE, "services:", "services: [")
    assert check_compose(broken, stack, script)[0].startswith("docker-compose.yml: ")


def test_an_unknown_variable_fails(tmp_path):
    bad = _copy(tmp_path, COMPOSE, "AUTOMAGIK_SPARK_CELERY_BROKER_URL",
                "AUTOMAGIK_SPARK_REDIS_URL")
    assert check_variables([bad], spark_reads()) == [
        "docker-compose.yml: AUTOMAGIK_SPARK_REDIS_URL is not read by automagik-spark"]


def test_the_stack_reader_sees_flags(tmp_path):
    fake = tmp_path / "stack.py"
    fake.write_text('A = ["automagik-spark", "worker", "start", "--threads", "2"]\n'
                    'B = ["automagik-spark", "api", "start", "--host", HOST]\n')
    assert stack_commands(fake) == {("worker", "start"): {"--threads"},
                                    ("api", "start"): {"--host"}}
