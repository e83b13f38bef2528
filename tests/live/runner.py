"""Executable examples: run the ``:run:`` code blocks of a MyST page and check their output.

A page marks a command block with the flag ``:run:`` and may follow it with an ``:expect:``
block holding the output the reader should see::

    ```{code-block} bash
    :run:
    automagik-spark sources list
    ```

    ```{code-block} text
    :expect:
    ...
    No sources found
    ```

Colon fences (``:::{code-block} bash``) work the same way, and so does ``{code-block} console``
(lines starting with ``$ `` are the commands; the other lines are expected output unless an
``:expect:`` block follows). Options are the ``:name:`` lines right after the opening fence.
Optional per-block options: ``:timeout: SECONDS`` (default 120).

An ``{api-endpoint} METHOD /path`` directive with ``:run:`` runs too, in page order like a code
block. Its command is the very curl text the page shows (``spark_reference.openapi.Example``
builds both), with ``-w '\nHTTP %{http_code}\n'`` appended so the status code can be checked.
Its expectation is its own ``:expect:`` option: ``STATUS [TEXT]``, for example
``:expect: 201 "status":"active"``. The status code must match and, when given, TEXT must
occur in the response body (both normalised as below; ``...`` matches any text). Without
``:expect:`` any 2xx status passes.

All ``:run:`` blocks of one page run in order in **one** ``bash`` process, so exported
variables and ``cd`` persist from block to block. Each block's stdout and stderr are captured
together, separately from the other blocks.

Comparison (after normalising both sides):

* UUIDs become ``<uuid>``; ISO dates/timestamps (and ``HH:MM:SS`` times) become ``<ts>``;
  durations such as ``0.12s`` or ``35 ms`` become ``<dur>``;
* runs of whitespace collapse to one space, runs of one box-drawing character to one, and
  every line is stripped;
* every non-blank expected line must appear, in order, as a line of the actual output
  (other actual lines may come in between); a line that is exactly ``...`` matches any
  number of lines and ``...`` inside a line matches any text.

A block without ``:expect:`` fails only if it exits with a non-zero status. A block with an
expectation is judged by its output alone, so pages can show failing commands.

Command line (against an already running stack, e.g. ``stack.py up``)::

    .venv/bin/python tests/live/runner.py source/quickstart.md [--show]
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
RUN_LANGS = {"bash", "sh", "shell", "console", "shell-session"}
CODE_DIRECTIVES = {"code-block", "code", "sourcecode"}
API_DIRECTIVE = "api-endpoint"
DEFAULT_TIMEOUT = 120.0
#: appended to an endpoint's curl so the status code ends the output
CURL_STATUS = " -w '\\nHTTP %{http_code}\\n'"
#: where the OpenAPI spec of the installed Spark is cached (as the Sphinx build does)
SPEC_CACHE = REPO_ROOT / "tests" / "artifacts"

# ------------------------------------------------------------------------------------------
# parsing
# ------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\s*\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*?)\s*$")
_OPTION = re.compile(r"^\s*:(?P<name>[\w-]+):(?:\s+(?P<value>.*?))?\s*$")


@dataclass
class CodeBlock:
    """One fenced code block of a page (a ``{code-block}`` directive or a plain fence)."""

    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    options: dict[str, str]
    body: str
    directive: str | None
    argument: str = ""  # the directive's argument (``GET /path`` for an api-endpoint)
    problem: str | None = None  # options that could not be parsed


@dataclass
class Example:
    """A ``:run:`` block (or ``:run:`` api-endpoint) and what it should print."""

    path: Path
    line: int
    lang: str
    commands: str  # exactly what the page shows
    expect: str | None
    expect_line: int | None
    timeout: float = DEFAULT_TIMEOUT
    kind: str = "shell"  # "shell", or "api" for an {api-endpoint} (expect = STATUS [TEXT])

    @property
    def script(self) -> str:
        """What the shell runs: the shown commands (plus the status line for an endpoint)."""
        return self.commands + CURL_STATUS if self.kind == "api" else self.commands


@dataclass
class ParseProblem:
    path: Path
    line: int
    message: str


def iter_code_blocks(path: Path, text: str | None = None) -> list[CodeBlock]:
    """Every code block of a MyST page, in order (container directives are descended)."""
    if text is None:
        text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    blocks: list[CodeBlock] = []
    open_containers: list[str] = []  # fences of the directives we are inside
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.group("indent"), m.group("fence"), m.group("info").strip()
        d = _DIRECTIVE.match(info)
        if not info:
            # a bare fence: closes the innermost container it matches, else opens a plain block
            hit = next((k for k in range(len(open_containers) - 1, -1, -1)
                        if open_containers[k][0] == fence[0]
                        and len(fence) >= len(open_containers[k])), None)
            if hit is not None:
                del open_containers[hit:]
                i += 1
                continue
            if fence[0] == ":":
                i += 1
                continue
        elif fence[0] == ":" and not d:
            i += 1  # not MyST directive syntax; ignore
            continue
        if d and d.group("name") == API_DIRECTIVE:
            close = _closing_index(lines, i, fence)
            content = [_dedent(line, indent) for line in lines[i + 1:close]]
            options, problem = _myst_options(content)
            blocks.append(CodeBlock(path, i + 1, API_DIRECTIVE, options, "", API_DIRECTIVE,
                                    d.group("arg"), problem))
            i = close + 1
            continue
        if d and d.group("name") not in CODE_DIRECTIVES:
            if fence[0] == "`" and d.group("name") not in _CONTAINERS:
                i = _skip_fence(lines, i, fence)  # opaque directive (mermaid, cli-command, ...)
            else:
                open_containers.append(fence)  # its content holds more blocks
                i += 1
            continue
        # a code block: a {code-block} directive or a plain ``` fence
        start = i
        close = _closing_index(lines, i, fence)
        after = close + 1
        content = [_dedent(line, indent) for line in lines[start + 1:close]]
        options: dict[str, str] = {}
        if d:
            if content and content[0].strip() == "---":  # YAML-style options block
                close = next((k for k in range(1, len(content)) if content[k].strip() == "---"),
                             0)
                for opt in content[1:close]:
                    if ":" in opt:
                        key, _, value = opt.partition(":")
                        options[key.strip()] = value.strip()
                content = content[close + 1:]
            while content and (om := _OPTION.match(content[0])):
                options[om.group("name")] = om.group("value") or ""
                content = content[1:]
            lang = d.group("arg").split()[0] if d.group("arg") else ""
            directive = d.group("name")
        else:
            lang = info.split()[0] if info else ""
            directive = None
        blocks.append(CodeBlock(path, start + 1, lang, options, "\n".join(content), directive))
        i = after
    return blocks


_CONTAINERS = {
    "tabs", "tab", "tab-set", "tab-item", "code-group", "steps", "step", "card-group", "card",
    "accordion-group", "accordion", "note", "tip", "info", "warning", "check", "danger",
    "important", "caution", "attention", "hint", "seealso", "admonition", "expandable",
    "request-example", "response-example", "frame", "param-field", "response-field", "only",
    "dropdown", "grid", "grid-item", "grid-item-card",
}


def _myst_options(content: list[str]) -> tuple[dict[str, str], str | None]:
    """The ``:name: value`` options at the top of a directive, parsed the way MyST parses them
    (so ``:body:`` values reach the curl builder exactly as they reach Sphinx)."""
    option_lines = []
    for line in content:
        stripped = line.lstrip()
        if not stripped.startswith(":") or stripped.startswith(":::"):
            break
        option_lines.append(stripped[1:])
    try:
        from myst_parser.parsers.options import options_to_items
    except ImportError:  # pragma: no cover - the docs venv always has MyST
        return {m.group("name"): m.group("value") or "" for m in
                (_OPTION.match(":" + line) for line in option_lines) if m}, None
    try:
        items, _ = options_to_items("\n".join(option_lines))
    except Exception as exc:  # MyST's TokenizeError
        return {}, f"{API_DIRECTIVE} options do not parse: {exc}"
    return dict(items), None


def _closing_index(lines: list[str], i: int, fence: str) -> int:
    """Index of the fence closing the one opened at line ``i`` (``len(lines)`` if none)."""
    char, size = fence[0], len(fence)
    closing = re.compile(r"^[ \t]*" + re.escape(char) + "{" + str(size) + r",}[ \t]*$")
    for j in range(i + 1, len(lines)):
        if closing.match(lines[j]):
            return j
    return len(lines)


def _skip_fence(lines: list[str], i: int, fence: str) -> int:
    """Index just after the fence closing the one opened at line ``i``."""
    return _closing_index(lines, i, fence) + 1


def _dedent(line: str, indent: str) -> str:
    return line[len(indent):] if indent and line.startswith(indent) else line


def _console_split(body: str) -> tuple[str, str]:
    """Split a console transcript into (commands, inline output)."""
    if not any(line.startswith("$ ") or line == "$" for line in body.splitlines()):
        return body, ""
    commands: list[str] = []
    output: list[str] = []
    continuing = False
    for line in body.splitlines():
        if continuing:
            commands.append(line)
            continuing = line.rstrip().endswith("\\")
        elif line.startswith("$ ") or line == "$":
            commands.append(line[2:])
            continuing = line.rstrip().endswith("\\")
        else:
            output.append(line)
    return "\n".join(commands), "\n".join(output)


def parse_examples(path: Path, text: str | None = None) -> tuple[list[Example], list[ParseProblem]]:
    """The ``:run:`` examples of a page with their expectations, plus markup problems."""
    blocks = iter_code_blocks(path, text)
    examples: list[Example] = []
    problems: list[ParseProblem] = []
    paired: set[int] = set()
    for n, block in enumerate(blocks):
        if block.directive == API_DIRECTIVE:
            if block.problem:
                problems.append(ParseProblem(path, block.line, block.problem))
            elif "run" in block.options:
                example, problem = _api_example(block)
                if problem:
                    problems.append(ParseProblem(path, block.line, problem))
                else:
                    examples.append(example)
            nxt = blocks[n + 1] if n + 1 < len(blocks) else None
            if nxt is not None and _is_expect_block(nxt):
                paired.add(n + 1)
                problems.append(ParseProblem(path, nxt.line,
                                             f"an {{{API_DIRECTIVE}}} takes its expectation in "
                                             "its own :expect: option, not in a following block"))
            continue
        if "run" not in block.options:
            continue
        if block.lang not in RUN_LANGS:
            problems.append(ParseProblem(path, block.line,
                                         f":run: on a {block.lang or 'plain'!s} block; "
                                         f"only {sorted(RUN_LANGS)} can run"))
            continue
        commands, inline = (_console_split(block.body) if block.lang in ("console",
                            "shell-session") else (block.body, ""))
        expect, expect_line = (inline or None), (block.line if inline else None)
        nxt = blocks[n + 1] if n + 1 < len(blocks) else None
        if nxt is not None and _is_expect_block(nxt):
            expect, expect_line = nxt.body, nxt.line
            paired.add(n + 1)
        try:
            timeout = float(block.options.get("timeout") or DEFAULT_TIMEOUT)
        except ValueError:
            problems.append(ParseProblem(path, block.line, "bad :timeout: value"))
            timeout = DEFAULT_TIMEOUT
        examples.append(Example(path, block.line, block.lang, commands, expect, expect_line,
                                timeout))
    for n, block in enumerate(blocks):
        if _is_expect_block(block) and n not in paired:
            problems.append(ParseProblem(path, block.line,
                                         ":expect: block that does not follow a :run: block"))
    return examples, problems


_API_EXPECT = re.compile(r"^(?P<status>[1-5]\d\d)(?:\s+(?P<text>.*?))?\s*$", re.S)


@cache
def _api_tools():
    """``(spec, Example class)`` from the docs' own extension, imported once."""
    ext = str(REPO_ROOT / "_ext")
    if ext not in sys.path:
        sys.path.insert(0, ext)
    from spark_reference.loader import load_spec
    from spark_reference.openapi import Example as ApiExample
    return load_spec(SPEC_CACHE), ApiExample


def api_curl(argument: str, options: dict[str, str]) -> str:
    """The curl command the page shows for ``{api-endpoint} METHOD /path`` with ``options``."""
    method, _, api_path = argument.strip().partition(" ")
    spec, api_example = _api_tools()
    api_path = api_path.strip()
    if method.lower() not in spec["paths"].get(api_path, {}):
        raise ValueError(f"{method.upper()} {api_path} is not an operation of the spec")
    return api_example(spec, method, api_path, options).curl()


def _api_example(block: CodeBlock) -> tuple[Example | None, str | None]:
    try:
        commands = api_curl(block.argument, block.options)
    except Exception as exc:
        return None, f"{API_DIRECTIVE} {block.argument}: cannot build its curl: {exc}"
    expect = block.options.get("expect")
    if expect is not None and not _API_EXPECT.match(expect.strip()):
        return None, (f"{API_DIRECTIVE} :expect: must be a status code, optionally followed by "
                      f"text the response contains (e.g. `200 \"status\":\"active\"`); got "
                      f"{expect!r}")
    return Example(block.path, block.line, "bash", commands, expect,
                   block.line if expect is not None else None, kind="api"), None


def _is_expect_block(block: CodeBlock) -> bool:
    return "expect" in block.options and block.directive != API_DIRECTIVE


def pages_with_examples(root: Path) -> list[Path]:
    """MyST pages under ``root`` that contain at least one ``:run:`` block."""
    found = []
    for page in sorted(root.rglob("*.md")):
        if any(part.startswith((".", "_build")) for part in page.relative_to(root).parts):
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        if ":run:" not in text and "run:" not in text:
            continue
        examples, problems = parse_examples(page, text)
        if examples or problems:
            found.append(page)
    return found


# ------------------------------------------------------------------------------------------
# normalising and comparing
# ------------------------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}\b")
_TS = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
                 r"(?:\s?Z|\s?[+-]\d{2}:?\d{2}|\s?UTC)?)?(?![\d])")
_TIME = re.compile(r"(?<![\d:])\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?![\d:])")
_DUR = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s?(?:ms|µs|us|ns|s|sec|secs|seconds?)\b")
_BOX_RUN = re.compile(r"([\u2500-\u257f])\1+")
_SPACE = re.compile(r"\s+")


def normalise_line(line: str) -> str:
    line = _ANSI.sub("", line)
    line = _UUID.sub("<uuid>", line)
    line = _TS.sub("<ts>", line)
    line = _TIME.sub("<ts>", line)
    line = _DUR.sub("<dur>", line)
    line = _BOX_RUN.sub(r"\1", line)
    line = _SPACE.sub(" ", line)
    return line.strip()


def normalise(text: str) -> list[str]:
    return [normalise_line(line) for line in text.splitlines()]


def _line_matcher(expected: str):
    if "..." not in expected:
        return lambda actual: actual == expected
    pattern = re.compile(".*".join(re.escape(part) for part in expected.split("...")) + r"\Z",
                         re.S)
    return lambda actual: pattern.match(actual) is not None


def compare(expected: str, actual: str) -> tuple[bool, str]:
    """Check ``expected`` against ``actual``; returns (ok, explanation of the first miss)."""
    want = [line for line in normalise(expected) if line and line != "..."]
    have = normalise(actual)
    pos = 0
    for n, line in enumerate(want):
        match = _line_matcher(line)
        while pos < len(have) and not match(have[pos]):
            pos += 1
        if pos >= len(have):
            return False, (f"expected line {n + 1} of {len(want)} not found "
                           f"(in order) in the output: {line!r}")
        pos += 1
    return True, ""


_HTTP_STATUS = re.compile(r"(?:^|\n)HTTP (?P<status>\d{3})\s*\Z")


def judge_api(expect: str | None, output: str) -> tuple[bool, str]:
    """Check an endpoint's output (body, then ``HTTP <code>``) against ``STATUS [TEXT]``."""
    m = _HTTP_STATUS.search(output)
    if not m:
        return False, "no HTTP status at the end of the output (did curl fail?)"
    status, body = m.group("status"), output[:m.start()]
    if expect is None:
        return (status.startswith("2"),
                "" if status.startswith("2") else f"HTTP {status}, expected a 2xx status")
    want = _API_EXPECT.match(expect.strip())
    assert want is not None  # checked when parsing
    if status != want.group("status"):
        return False, f"HTTP {status}, expected {want.group('status')}"
    text = want.group("text")
    if text:
        needle = normalise_line(text)
        pattern = re.compile(".*".join(re.escape(part) for part in needle.split("...")), re.S)
        if not pattern.search(normalise_line(body)):
            return False, f"the response does not contain {needle!r}"
    return True, ""


# ------------------------------------------------------------------------------------------
# running
# ------------------------------------------------------------------------------------------

@dataclass
class BlockResult:
    example: Example
    label: str
    output: str | None  # None: the block never ran (shell died / timed out earlier)
    returncode: int | None
    ok: bool
    reason: str = ""

    def report(self) -> str:
        ex = self.example
        out = [f"{self.label}:{ex.line}: {self.reason}", "command:"]
        out += ["    " + line for line in ex.commands.splitlines()]
        if self.returncode is not None:
            out.append(f"exit status: {self.returncode}")
        if ex.kind == "api":
            out[1:1] = [f"(the {API_DIRECTIVE}'s curl, run with{CURL_STATUS} appended)"]
            out.append(f"expected: HTTP {ex.expect or '2xx'}")
        elif ex.expect is not None:
            where = f"{self.label}:{ex.expect_line}" if ex.expect_line else ""
            out.append(f"expected ({where}):")
            out += ["    " + line for line in ex.expect.splitlines()]
        out.append("actual:")
        if self.output is None:
            out.append("    (no output: the block did not run to completion)")
        else:
            out += ["    " + line for line in self.output.splitlines()] or ["    (empty)"]
        return "\n".join(out)


@dataclass
class PageResult:
    path: Path
    label: str
    results: list[BlockResult] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(r.ok for r in self.results)

    def report(self) -> str:
        parts = [f"{self.label}:{p.line}: {p.message}" for p in self.problems]
        parts += [r.report() for r in self.results if not r.ok]
        return "\n\n".join(parts)


def page_label(path: Path) -> str:
    path = Path(path).resolve()
    for base in (REPO_ROOT, Path.cwd()):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)


def _driver(examples: list[Example], tmp: Path) -> str:
    lines = ["# generated by tests/live/runner.py", 'cd "$SPARK_LIVE_WORKDIR" || exit 99']
    for n, ex in enumerate(examples):
        (tmp / f"block-{n:03d}.sh").write_text(ex.script + "\n", encoding="utf-8")
        lines.append(f'{{ source "{tmp}/block-{n:03d}.sh"; }} >"{tmp}/out-{n:03d}.txt" 2>&1 '
                     "</dev/null")
        lines.append(f'echo $? >"{tmp}/rc-{n:03d}.txt"')
    return "\n".join(lines) + "\n"


def _kill_group(proc: subprocess.Popen) -> None:
    """Stop whatever is left in the page's process group (background jobs, a timed-out block)."""
    pgid = proc.pid
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        for _ in range(40):
            time.sleep(0.05)
            proc.poll()  # reap the leader so a zombie does not keep the group alive
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return


def run_page(path: Path, env: dict[str, str] | None = None, label: str | None = None,
             workdir: Path | None = None) -> PageResult:
    """Run every ``:run:`` block of ``path`` in one bash process and judge the outputs."""
    path = Path(path)
    label = label or page_label(path)
    examples, problems = parse_examples(path)
    result = PageResult(path, label, problems=problems)
    if not examples:
        return result
    env = dict(os.environ if env is None else env)
    tmp = Path(tempfile.mkdtemp(prefix="spark-page-"))
    work = workdir or (tmp / "work")
    work.mkdir(parents=True, exist_ok=True)
    env["SPARK_LIVE_WORKDIR"] = str(work)
    driver = tmp / "driver.sh"
    driver.write_text(_driver(examples, tmp), encoding="utf-8")
    proc = subprocess.Popen(["bash", "--noprofile", "--norc", str(driver)], env=env, cwd=work,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    timed_out: int | None = None
    try:
        current, started = 0, time.monotonic()
        while proc.poll() is None:
            while current < len(examples) and (tmp / f"rc-{current:03d}.txt").exists():
                current, started = current + 1, time.monotonic()
            if current < len(examples) and time.monotonic() - started > examples[current].timeout:
                timed_out = current
                break
            time.sleep(0.05)
    finally:
        _kill_group(proc)  # also reaps background jobs a page may have left behind
        proc.wait()

    for n, ex in enumerate(examples):
        out_file, rc_file = tmp / f"out-{n:03d}.txt", tmp / f"rc-{n:03d}.txt"
        output = out_file.read_text(encoding="utf-8", errors="replace") \
            if out_file.exists() else None
        rc = int(rc_file.read_text().strip() or -1) if rc_file.exists() else None
        if timed_out == n:
            result.results.append(BlockResult(ex, label, output, None, False,
                                              f"timed out after {ex.timeout:.0f}s"))
            continue
        if rc is None:
            why = "not run: an earlier block timed out" if timed_out is not None else \
                "the shell exited before this block finished (does a block call `exit`?)"
            result.results.append(BlockResult(ex, label, output, None, False, why))
            continue
        if ex.kind == "api":
            ok, why = judge_api(ex.expect, output or "")
            if ok and rc != 0:
                ok, why = False, f"curl failed (exit status {rc})"
            result.results.append(BlockResult(ex, label, output, rc, ok,
                                              "" if ok else f"response does not match: {why}"))
        elif ex.expect is not None:
            ok, why = compare(ex.expect, output or "")
            result.results.append(BlockResult(ex, label, output, rc, ok,
                                              "" if ok else f"output does not match: {why}"))
        else:
            ok = rc == 0
            result.results.append(BlockResult(ex, label, output, rc, ok,
                                              "" if ok else f"command failed (exit status {rc})"))
    shutil.rmtree(tmp, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(
        description="Run the :run: blocks of MyST pages against a running live stack "
                    "(environment taken from this shell).")
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--show", action="store_true",
                        help="print every block's actual output (to paste into :expect:)")
    args = parser.parse_args(argv)
    status = 0
    for page in args.pages:
        res = run_page(page)
        if args.show:
            for r in res.results:
                print(f"==> {r.label}:{r.example.line} (exit {r.returncode})")
                print(r.output if r.output is not None else "(did not run)")
        if res.ok:
            print(f"ok   {res.label} ({len(res.results)} blocks)")
        else:
            status = 1
            print(f"FAIL {res.label}\n{res.report()}\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
