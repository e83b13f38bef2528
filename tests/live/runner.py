"""Executable examples: run the ``:run:`` code blocks of a page and check their output.

The examples come from the Sphinx build, not from the MyST text: ``_ext/executable_examples``
records every code block of every page (page, line, language, kind, options, text) in a
manifest, ``<doctreedir>/executable-examples.json``, and :func:`build_manifest` makes one with
a quick ``-b dummy`` build. So every option is read by Sphinx itself and a bad one
(``:timeout: soon``, ``:norun:`` without a reason) is a build error at ``file:line``.

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

``{code-block} console`` works too (lines starting with ``$ `` are the commands; the other lines
are expected output unless an ``:expect:`` block follows), and so does ``{code-block} python``
(run with the stack's ``python``; shell variables are visible to it, see below). Optional:
``:timeout: SECONDS`` (default 120). A shell or Python block that cannot run says why with
``:norun: REASON``; :func:`coverage` lists every block that does not run, with its reason.

An ``{api-endpoint} METHOD /path`` directive with ``:run:`` runs both request examples it shows,
in page order. The curl command gets ``-w '\nHTTP %{http_code}\n'`` appended so the status
code can be checked against the directive's ``:expect:`` option, ``STATUS [TEXT]``, e.g.
``:expect: 201 "status":"active"``: the status must match and, when given, TEXT must occur in
the response body (normalised as below; ``...`` matches any text). Without ``:expect:`` any
2xx status passes. The Python example runs when a 2xx status is expected, in a second pass of
the page (``twins=True``) in place of its cURL twin, judged by the same expectation.

Servers (see tests/live/README.md): ``:serve: TEXT`` starts a block in a session of its own and
goes on once TEXT appears in its output; SIGINT (the reader's Ctrl-C) stops it at the end of the
page or before a block marked ``:after-ctrl-c: [TEXT]``. ``:hand-over: api|worker`` asks the
live stack to stop its own process before a block that starts Spark's. ``:save-as: NAME`` writes
a block the reader saves into the working directory.

All ``:run:`` blocks of one page run in order in **one** ``bash`` process with ``set -a``
(every variable a block assigns is exported, so ``FLOW_ID=$(...)`` reaches later blocks and
Python), and ``cd`` persists. Each block's stdout and stderr are captured together.

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
    .venv/bin/python tests/live/runner.py --coverage
"""

from __future__ import annotations

import ast
import fcntl
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE = REPO_ROOT / "source"
DEFAULT_TIMEOUT = 120.0
#: appended to an endpoint's curl so the status code ends the output
CURL_STATUS = " -w '\\nHTTP %{http_code}\\n'"
#: the manifest the executable_examples extension writes into the doctree directory
MANIFEST_NAME = "executable-examples.json"
#: where the live suite builds the manifest of source/ (gitignored, reused between runs)
BUILD_DIR = REPO_ROOT / "_build" / "live"
#: a conf.py for a directory of pages without one (the runner's own fixtures)
MINIMAL_CONF = f"""\
import sys
sys.path.insert(0, {str(REPO_ROOT / "_ext")!r})
extensions = ["myst_parser", "executable_examples"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
suppress_warnings = ["toc.not_included"]
"""
PY_DELIM = "SPARK_LIVE_PYTHON"
#: types the answers of a ``:stdin:`` block at its prompts, on a terminal
TYPE_IN = Path(__file__).resolve().with_name("typein.py")
#: runs an endpoint's Python example (read from stdin, unchanged) and then prints the status
#: of the last response httpx received, as ``HTTP <code>``: the curl twin's ``-w`` for Python
TWIN_WRAPPER = """\
import atexit, sys
import httpx

statuses = []
send = httpx.Client.send


def recording_send(self, request, **kwargs):
    response = send(self, request, **kwargs)
    statuses.append(response.status_code)
    return response


httpx.Client.send = recording_send
atexit.register(lambda: print("\\nHTTP", statuses[-1] if statuses else "(no response)"))
sys.argv = ["-"]
exec(compile(sys.stdin.read(), "<stdin>", "exec"), {"__name__": "__main__"})
"""

# ------------------------------------------------------------------------------------------
# the manifest (written by _ext/executable_examples during a Sphinx build)
# ------------------------------------------------------------------------------------------

class BuildError(RuntimeError):
    """The Sphinx build that makes the manifest failed (its output says file:line)."""


def build_manifest(srcdir: Path = SOURCE, builddir: Path | None = None,
                   confdir: Path | None = None) -> Path:
    """Build ``srcdir`` with ``-b dummy`` (reading only) and return the manifest's path.

    ``source/`` is built with the repository's conf.py; a directory without a conf.py (a test
    fixture) with a minimal one (MyST + executable_examples), unless ``confdir`` says. The doctree directory is kept,
    so a second build only re-reads changed pages."""
    srcdir = Path(srcdir).resolve()
    if builddir is None:
        builddir = BUILD_DIR if srcdir == SOURCE else Path(tempfile.mkdtemp(prefix="live-build-"))
    builddir.mkdir(parents=True, exist_ok=True)
    confdir = confdir or (REPO_ROOT if srcdir == SOURCE else srcdir)
    if not (confdir / "conf.py").exists():
        confdir = builddir / "conf"
        confdir.mkdir(exist_ok=True)
        (confdir / "conf.py").write_text(MINIMAL_CONF)
    doctrees = builddir / "doctrees"
    argv = [sys.executable, "-m", "sphinx", "-q", "-b", "dummy", "-c", str(confdir),
            "-d", str(doctrees), "-W", "--keep-going", "-j", "auto"]
    if confdir == builddir / "conf":  # the minimal conf: the first page is the root
        argv += ["-D", f"root_doc={min(p.stem for p in srcdir.glob('*.md'))}"]
    argv += [str(srcdir), str(builddir / "dummy")]
    with open(builddir / ".lock", "w") as lock:  # one build per directory at a time
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=REPO_ROOT)
    if proc.returncode != 0:
        raise BuildError(f"the Sphinx build of {srcdir} failed:\n{proc.stderr.strip()}")
    return doctrees / MANIFEST_NAME


@dataclass
class Block:
    """One code block of a page as the manifest records it."""

    page: str  # path relative to the source directory
    line: int
    language: str
    kind: str  # shell, python or other
    text: str
    run: bool = False
    expect: bool = False
    timeout: float | None = None
    norun: str | None = None
    api: dict | None = None  # {"operation": "POST /x", "expect": "201 ..."} of an api-endpoint
    stdin: str | None = None  # the answers to type at its prompts (typein.py)
    serve: str | None = None  # the text a server block prints when it is ready
    #: the servers started above (True: all; a text: those whose commands contain it) are
    #: stopped before this block
    after_ctrl_c: bool | str = False
    hand_over: list[str] | None = None  # the live stack's processes this block replaces
    save_as: str | None = None  # a file the reader saves (written into the working directory)


@dataclass
class Page:
    path: Path  # the page's file
    label: str  # e.g. source/quickstart.md
    blocks: list[Block]
    #: the state the page starts from (frontmatter ``examples_given: synced NAME``): flows to
    #: import, register a source for and sync before its blocks run
    given: list[str] = field(default_factory=list)


def load_manifest(manifest: Path, srcdir: Path = SOURCE) -> list[Page]:
    data = json.loads(Path(manifest).read_text(encoding="utf-8"))
    pages = []
    for entry in data["pages"]:
        blocks = [Block(**b) for b in entry["blocks"]]
        path = Path(srcdir) / blocks[0].page
        pages.append(Page(path, page_label(path), blocks, entry.get("given", [])))
    return pages


def pages_with_examples(pages: list[Page]) -> list[Page]:
    return [p for p in pages if any(b.run for b in p.blocks)]


@dataclass
class Example:
    """A ``:run:`` block (or a request example of a ``:run:`` api-endpoint)."""

    path: Path
    line: int
    lang: str
    commands: str  # exactly what the page shows
    expect: str | None
    expect_line: int | None
    timeout: float = DEFAULT_TIMEOUT
    #: "shell", "python", "api" (a curl; expect = STATUS [TEXT]) or "api-python" (its twin)
    kind: str = "shell"
    serve: str | None = None  # a server: started in the background, ready when this appears
    after_ctrl_c: bool | str = False  # stop the running servers (SIGINT) before this block
    hand_over: list[str] | None = None  # ask the live stack to stop these before this block
    stdin: str | None = None  # answers typed at the block's prompts, one per line

    @property
    def script(self) -> str:
        """What the shell runs: the shown commands (plus the status line for an endpoint)."""
        if self.stdin is not None:  # on a terminal, in a child bash, answered by typein.py
            return (f"python {shlex.quote(str(TYPE_IN))} {shlex.quote(self.stdin)} "
                    f"bash --noprofile --norc -c {shlex.quote(self.commands)}")
        if self.kind == "api":
            return self.commands + CURL_STATUS
        if self.kind == "python":
            return f"python - <<'{PY_DELIM}'\n{self.commands}\n{PY_DELIM}"
        if self.kind == "save":  # the reader saves the block as a file
            return f"cat >{shlex.quote(self.lang)} <<'{PY_DELIM}'\n{self.commands}\n{PY_DELIM}"
        if self.kind == "api-python":  # the same code, through TWIN_WRAPPER (status line)
            return f"python \"$SPARK_LIVE_TWIN\" <<'{PY_DELIM}'\n{self.commands}\n{PY_DELIM}"
        return self.commands


@dataclass
class ParseProblem:
    path: Path
    line: int
    message: str


_API_EXPECT = re.compile(r"^(?P<status>[1-5]\d\d)(?:\s+(?P<text>.*?))?\s*$", re.S)


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


def api_python_runs(block: Block) -> bool:
    """The Python example of a ``:run:`` endpoint runs (in the page's twin pass) when a 2xx
    status is expected: it calls ``raise_for_status()``, so it cannot show a 4xx answer."""
    expect = (block.api or {}).get("expect", "").strip()
    return not expect or expect.startswith("2")


def has_twins(page: Page) -> bool:
    """Whether the page has a second pass, in which Python examples replace their cURL twins."""
    return any(b.api is not None and b.kind == "python" and api_python_runs(b)
               for b in page.blocks)


def examples_of(page: Page, twins: bool = False) -> tuple[list[Example], list[ParseProblem]]:
    """The examples of a page, in page order, with their expectations, plus markup problems.

    An endpoint shows a cURL and a Python example of one request. The page runs twice: first
    with the cURL examples (``twins=False``), then, on a fresh stack, with each Python example
    that can run in its cURL twin's place (``twins=True``), judged by the same ``:expect:``.
    Sending both in one pass would meet the state the first left (a second POST or DELETE)."""
    examples: list[Example] = []
    problems: list[ParseProblem] = []
    blocks = page.blocks
    paired: set[int] = set()
    for n, block in enumerate(blocks):
        nxt = blocks[n + 1] if n + 1 < len(blocks) else None
        timeout = float(block.timeout or DEFAULT_TIMEOUT)
        if block.api is not None:
            expect = block.api.get("expect") or None
            if expect is not None and not _API_EXPECT.match(expect.strip()):
                if block.kind != "shell":
                    continue  # said once, at the curl example
                problems.append(ParseProblem(page.path, block.line, (
                    f"api-endpoint {block.api['operation']}: :expect: must be a status code, "
                    "optionally followed by text the response contains (e.g. `200 "
                    f"\"status\":\"active\"`); got {expect!r}")))
                continue
            twin = (nxt if nxt is not None and nxt.api == block.api and nxt.kind == "python"
                    and nxt.line == block.line else None)
            if block.kind == "shell" and not (twins and twin and api_python_runs(twin)):
                examples.append(Example(page.path, block.line, "bash", block.text, expect,
                                        block.line if expect else None, kind="api"))
            elif block.kind == "python" and twins and api_python_runs(block):
                examples.append(Example(page.path, block.line, "python", block.text, expect,
                                        block.line if expect else None, timeout,
                                        kind="api-python"))
            continue
        if block.save_as:
            if block.run or block.norun:
                problems.append(ParseProblem(page.path, block.line,
                                             ":save-as: with :run: or :norun:; a saved file "
                                             "is used by a later block"))
            else:  # lang holds the file name
                examples.append(Example(page.path, block.line, block.save_as, block.text, None,
                                        None, kind="save"))
            continue
        if not block.run:
            continue
        if block.norun:
            problems.append(ParseProblem(page.path, block.line, ":run: and :norun: together"))
            continue
        if block.kind == "other":
            problems.append(ParseProblem(page.path, block.line,
                                         f":run: on a {block.language or 'plain'} block; only "
                                         "shell and Python blocks can run"))
            continue
        if block.serve and block.kind != "shell":
            problems.append(ParseProblem(page.path, block.line,
                                         ":serve: on a Python block; start the server from a "
                                         "shell block"))
            continue
        commands, inline = (_console_split(block.text)
                            if block.language in ("console", "shell-session") else
                            (block.text, ""))
        expect, expect_line = (inline or None), (block.line if inline else None)
        if nxt is not None and nxt.expect:
            expect, expect_line = nxt.text, nxt.line
            paired.add(n + 1)
        examples.append(Example(page.path, block.line, block.language, commands, expect,
                                expect_line, timeout, kind=block.kind, serve=block.serve,
                                after_ctrl_c=block.after_ctrl_c, hand_over=block.hand_over,
                                stdin=block.stdin))
    for n, block in enumerate(blocks):
        if block.expect and n not in paired:
            problems.append(ParseProblem(page.path, block.line,
                                         ":expect: block that does not follow a :run: block"))
        for option, given in ((":serve:", block.serve), (":after-ctrl-c:", block.after_ctrl_c),
                              (":hand-over:", block.hand_over)):
            if given and not block.run:
                problems.append(ParseProblem(page.path, block.line,
                                             f"{option} on a block without :run:"))
    return examples, problems


# ------------------------------------------------------------------------------------------
# coverage
# ------------------------------------------------------------------------------------------

def not_run_reason(block: Block) -> str | None:
    """Why a shell or Python block does not run (None: it runs)."""
    if block.api is not None:
        if block.kind == "python" and not api_python_runs(block):
            return f"the request is expected to answer {block.api['expect'].split()[0]}; the " \
                   "Python example raises on it (its cURL twin runs)"
        return None
    if block.run or (block.save_as and not block.norun):
        return None
    return block.norun or "no reason given"


@dataclass
class Coverage:
    total: int
    run: int
    pages_run: int
    pages: int
    not_run: list[tuple[str, int, str]]  # (page label, line, reason)
    synopses: int = 0  # usage lines of {cli-command} ("automagik-spark … [OPTIONS]"), not examples

    @property
    def share(self) -> float:
        return self.run / self.total if self.total else 0.0

    def report(self) -> str:
        reasons = Counter(reason for *_, reason in self.not_run)
        lines = [f"executable examples: {self.run} of {self.total} shell and Python blocks run "
                 f"({self.share:.0%}), on {self.pages_run} of {self.pages} pages",
                 f"(not counted: {self.synopses} usage synopses of cli-command, e.g. "
                 "`automagik-spark worker start [OPTIONS]`)",
                 "not run, by reason:"]
        lines += [f"  {count:4d}  {reason}" for reason, count in reasons.most_common()]
        lines.append("not run, each block:")
        lines += [f"  {label}:{line}: {reason}" for label, line, reason in self.not_run]
        return "\n".join(lines)


def coverage(pages: list[Page]) -> Coverage:
    total = run = 0
    pages_run = pages_any = 0
    not_run = []
    synopses = 0
    for page in pages:
        synopses += sum(b.kind == "synopsis" for b in page.blocks)
        # an :expect: block is output (even one that starts with `celery`), not an example
        code = [b for b in page.blocks if b.kind in ("shell", "python") and not b.expect]
        if not code:
            continue
        pages_any += 1
        ran = 0
        for block in code:
            total += 1
            reason = not_run_reason(block)
            if reason is None:
                ran += 1
            else:
                not_run.append((page.label, block.line, reason))
        run += ran
        pages_run += bool(ran)
    return Coverage(total, run, pages_run, pages_any, not_run, synopses)


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


def python_body_as_json(body: str) -> str:
    """The JSON text of what an endpoint's Python example prints: ``print(response.json())``
    writes a Python literal (``{'ok': True}``) as its last line; FastAPI would have sent
    ``{"ok":true}``. Output that is no literal stays as it is."""
    lines = [line for line in body.splitlines() if line.strip()]
    if not lines:
        return body
    try:
        value = ast.literal_eval(lines[-1].strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return body
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def judge_api_python(expect: str | None, output: str) -> tuple[bool, str]:
    """Check an endpoint's Python example (run through TWIN_WRAPPER) like its cURL twin."""
    m = _HTTP_STATUS.search(output)
    if not m:
        return False, "no HTTP status at the end of the output (did the request fail?)"
    return judge_api(expect, python_body_as_json(output[:m.start()]) + output[m.start():])


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
            out[1:1] = [f"(the api-endpoint's curl, run with{CURL_STATUS} appended)"]
            out.append(f"expected: HTTP {ex.expect or '2xx'}")
        elif ex.kind == "api-python":
            out[1:1] = ["(the api-endpoint's Python example in place of its cURL twin; the "
                        "runner prints the last response's status after it)"]
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


#: how long a server may take to stop after SIGINT (Celery finishes its running tasks first)
STOP_WAIT = 30
#: shell functions of the driver for ``:serve:`` blocks (in $SPARK_LIVE_TMP, the page's files)
_SERVE_FUNCTIONS = r"""
spark_live_alive() {  # is any process of group $1 left (zombies aside)?
  ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}
spark_live_serve() {  # start server block $1 in its own session, like a terminal of its own
  local t=$SPARK_LIVE_TMP
  setsid -f bash --noprofile --norc -c 'echo $$ >"$1"; exec bash --noprofile --norc "$2"' \
    serve "$t/pid-$1" "$t/block-$1.sh" >"$t/out-$1.txt" 2>&1 </dev/null
  while :; do  # ready when its text appears; 1 when it exits before
    grep -qF -f "$t/ready-$1.txt" "$t/out-$1.txt" && return 0
    if [ -s "$t/pid-$1" ] && ! spark_live_alive "$(cat "$t/pid-$1")"; then
      grep -qF -f "$t/ready-$1.txt" "$t/out-$1.txt"; return
    fi
    sleep 0.2
  done
}
spark_live_hand_over() {  # ask the runner to stop the live stack's $2.. before block $1
  local t=$SPARK_LIVE_TMP n=$1; shift
  echo "$*" >"$t/handover-$n.tmp" && mv "$t/handover-$n.tmp" "$t/handover-$n.req"
  while [ ! -e "$t/handover-$n.done" ]; do sleep 0.1; done
  [ "$(cat "$t/handover-$n.done")" = ok ]
}
spark_live_ctrl_c() {  # SIGINT to the running servers' groups (those whose commands contain
  # $1, if given), as Ctrl-C in their terminals; wait until they are gone
  local t=$SPARK_LIVE_TMP f n pid left deadline=$((SECONDS + SPARK_LIVE_STOP_WAIT)) todo=()
  for f in "$t"/pid-*; do
    n=${f##*-}; [ -s "$f" ] && [ ! -e "$t/stop-$n.txt" ] || continue
    [ -z "$1" ] || grep -qF -- "$1" "$t/block-$n.sh" || continue
    kill -INT -- "-$(cat "$f")" 2>/dev/null; todo+=("$n")
  done
  for n in "${todo[@]}"; do
    f=$t/pid-$n
    pid=$(cat "$f"); left=running
    while [ $SECONDS -le $deadline ]; do
      spark_live_alive "$pid" || { left=stopped; break; }
      sleep 0.2
    done
    echo "$left" >"$t/stop-$n.txt"
  done
}
"""


def _driver(examples: list[Example], tmp: Path) -> str:
    lines = ["# generated by tests/live/runner.py",
             f"SPARK_LIVE_TMP={shlex.quote(str(tmp))} SPARK_LIVE_STOP_WAIT={STOP_WAIT}",
             _SERVE_FUNCTIONS, "set -a", 'cd "$SPARK_LIVE_WORKDIR" || exit 99']
    for n, ex in enumerate(examples):
        (tmp / f"block-{n:03d}.sh").write_text(ex.script + "\n", encoding="utf-8")
        if ex.after_ctrl_c:
            which = ex.after_ctrl_c if isinstance(ex.after_ctrl_c, str) else ""
            lines.append(f"spark_live_ctrl_c {shlex.quote(which)}")
        if ex.hand_over:
            lines.append(f"spark_live_hand_over {n:03d} {' '.join(ex.hand_over)} || "
                         f'{{ echo 97 >"$SPARK_LIVE_TMP/rc-{n:03d}.txt"; exit 97; }}')
        if ex.serve:
            (tmp / f"ready-{n:03d}.txt").write_text(ex.serve + "\n", encoding="utf-8")
            lines.append(f"spark_live_serve {n:03d}")
        else:
            lines.append(f'{{ source "$SPARK_LIVE_TMP/block-{n:03d}.sh"; }} '
                         f'>"$SPARK_LIVE_TMP/out-{n:03d}.txt" 2>&1 </dev/null')
        lines.append(f'echo $? >"$SPARK_LIVE_TMP/rc-{n:03d}.txt"')
    lines.append("spark_live_ctrl_c")
    return "\n".join(lines) + "\n"


def _kill_servers(tmp: Path) -> None:
    """SIGKILL the groups of servers the driver did not see stop (a page that timed out)."""
    for pid_file in tmp.glob("pid-*"):
        stop = tmp / f"stop-{pid_file.name[4:]}.txt"
        if stop.exists() and stop.read_text().strip() == "stopped":
            continue
        try:
            os.killpg(int(pid_file.read_text().strip()), signal.SIGKILL)
        except (ValueError, ProcessLookupError, PermissionError):
            pass


def _hand_over(request: Path, hand_over) -> None:
    """Answer the driver's request to stop the live stack's processes before a block."""
    names = request.read_text().split()
    status = "ok"
    if hand_over is None:
        status = "no live stack to hand over " + " ".join(names)
    else:
        try:
            hand_over(names)
        except Exception as exc:  # the block fails with the reason
            status = f"handing over {' '.join(names)} failed: {exc}"
    request.with_suffix(".done").write_text(status)
    request.unlink()


def _judge_server(ex: Example, stop_file: Path, rc: int, output: str,
                  later_failure: bool) -> tuple[bool, str]:
    """A ``:serve:`` block passes when it printed its text, stopped on SIGINT (Ctrl-C) and, if
    it has one, its whole output matches the ``:expect:`` block."""
    if rc != 0:
        return False, f"the server exited before it printed {ex.serve!r} (its :serve: text)"
    stopped = stop_file.read_text().strip() if stop_file.exists() else None
    if stopped == "running":
        return False, f"the server did not stop within {STOP_WAIT}s of SIGINT (Ctrl-C)"
    if stopped is None and not later_failure:
        return False, "the server was never stopped (the shell exited early)"
    if ex.expect is not None:
        ok, why = compare(ex.expect, output)
        if not ok:
            return False, f"output does not match: {why}"
    return True, ""


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


def run_page(page: Page, env: dict[str, str] | None = None,
             workdir: Path | None = None, twins: bool = False,
             hand_over=None) -> PageResult:
    """Run every example of ``page`` in one bash process and judge the outputs; with
    ``twins``, the endpoints' Python examples in place of their cURL twins. ``hand_over(names)``
    stops the live stack's processes a ``:hand-over:`` block replaces (``Stack.lend``)."""
    label = page.label
    examples, problems = examples_of(page, twins)
    result = PageResult(page.path, label, problems=problems)
    if not examples:
        return result
    env = dict(os.environ if env is None else env)
    tmp = Path(tempfile.mkdtemp(prefix="spark-page-"))
    work = workdir or (tmp / "work")
    work.mkdir(parents=True, exist_ok=True)
    env["SPARK_LIVE_WORKDIR"] = str(work)
    (tmp / "twin.py").write_text(TWIN_WRAPPER, encoding="utf-8")
    env["SPARK_LIVE_TWIN"] = str(tmp / "twin.py")
    driver = tmp / "driver.sh"
    driver.write_text(_driver(examples, tmp), encoding="utf-8")
    proc = subprocess.Popen(["bash", "--noprofile", "--norc", str(driver)], env=env, cwd=work,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    timed_out: int | None = None
    try:
        current, started = 0, time.monotonic()
        while proc.poll() is None:
            for request in tmp.glob("handover-*.req"):
                _hand_over(request, hand_over)
                started = time.monotonic()  # stopping the stack's process is not the block's
            while current < len(examples) and (tmp / f"rc-{current:03d}.txt").exists():
                current, started = current + 1, time.monotonic()
            if current < len(examples) and time.monotonic() - started > examples[current].timeout:
                timed_out = current
                break
            time.sleep(0.05)
    finally:
        _kill_group(proc)  # also reaps background jobs a page may have left behind
        proc.wait()
        _kill_servers(tmp)

    for n, ex in enumerate(examples):
        out_file, rc_file = tmp / f"out-{n:03d}.txt", tmp / f"rc-{n:03d}.txt"
        output = out_file.read_text(encoding="utf-8", errors="replace") \
            if out_file.exists() else None
        rc = int(rc_file.read_text().strip() or -1) if rc_file.exists() else None
        if timed_out == n:
            why = (f"the server did not print {ex.serve!r} (its :serve: text) within "
                   f"{ex.timeout:.0f}s" if ex.serve else f"timed out after {ex.timeout:.0f}s")
            result.results.append(BlockResult(ex, label, output, None, False, why))
            continue
        hand_over_file = tmp / f"handover-{n:03d}.done"
        if rc == 97 and hand_over_file.exists() and hand_over_file.read_text() != "ok":
            result.results.append(BlockResult(ex, label, output, None, False,
                                              hand_over_file.read_text()))
            continue
        if rc is None:
            why = "not run: an earlier block timed out" if timed_out is not None else \
                "the shell exited before this block finished (does a block call `exit`?)"
            result.results.append(BlockResult(ex, label, output, None, False, why))
            continue
        if ex.serve:
            ok, why = _judge_server(ex, tmp / f"stop-{n:03d}.txt", rc, output or "",
                                    later_failure=timed_out is not None)
            result.results.append(BlockResult(ex, label, output, rc, ok, why))
        elif ex.kind in ("api", "api-python"):
            judge = judge_api if ex.kind == "api" else judge_api_python
            ok, why = judge(ex.expect, output or "")
            if ok and rc != 0:
                tool = "curl" if ex.kind == "api" else "python"
                ok, why = False, f"{tool} failed (exit status {rc})"
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
        description="Run the :run: blocks of pages against a running live stack (environment "
                    "taken from this shell), or print the coverage of source/.")
    parser.add_argument("pages", nargs="*", type=Path, help="pages under source/")
    parser.add_argument("--show", action="store_true",
                        help="print every block's actual output (to paste into :expect:)")
    parser.add_argument("--coverage", action="store_true",
                        help="print how many shell and Python blocks run, and why others do not")
    args = parser.parse_args(argv)
    pages = load_manifest(build_manifest())
    if args.coverage:
        print(coverage(pages).report())
    wanted = {p.resolve() for p in args.pages}
    unknown = wanted - {page.path.resolve() for page in pages}
    if unknown:
        parser.error(f"no code blocks recorded for {', '.join(map(str, sorted(unknown)))}")
    status = 0
    for page in pages:
        if page.path.resolve() not in wanted:
            continue
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
