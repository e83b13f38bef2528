"""Offline tests of the example runner's parsing and comparison (no stack needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import runner


def test_normalise_placeholders() -> None:
    line = ("Task 466f0df8-4c23-4e52-8f3f-a668ca902348 at 2026-11-29T09:23:00.897648Z "
            "(2026-11-29 09:23:00, 09:23:00) took 0.12s then 35 ms")
    assert runner.normalise_line(line) == \
        "Task <uuid> at <ts> (<ts>, <ts>) took <dur> then <dur>"
    assert runner.normalise_line("│ a   │  b │") == "│ a │ b │"
    assert runner.normalise_line("┏━━━━┳━━┓") == "┏━┳━┓"
    assert runner.normalise_line("interval 5m ChatInput-abc12") == "interval 5m ChatInput-abc12"


def test_compare_in_order_with_ellipsis() -> None:
    actual = "INFO: noise\nfirst 3f2a0c1e-0000-4000-8000-000000000000\nmiddle\nlast line\n"
    assert runner.compare("first <uuid>\n...\nlast line", actual)[0]
    assert runner.compare("first ...\nlast ...", actual)[0]
    assert runner.compare("", actual)[0]
    ok, why = runner.compare("last line\nfirst <uuid>", actual)
    assert not ok and "first <uuid>" in why
    assert not runner.compare("missing", actual)[0]


def _pages(tmp_path: Path, files: dict[str, str], full_conf: bool = False) -> list[runner.Page]:
    """Build ``files`` (name -> MyST text) with Sphinx and load the manifest it writes."""
    src = tmp_path / "src"
    src.mkdir(parents=True)
    for name, text in files.items():
        (src / name).write_text(text)
    confdir = runner.REPO_ROOT if full_conf else None
    if full_conf:
        (src / "index.md").write_text("# Index\n")
    manifest = runner.build_manifest(src, tmp_path / "build", confdir=confdir)
    return [p for p in runner.load_manifest(manifest, src) if p.path.name != "index.md"]


def _page(tmp_path: Path, text: str, full_conf: bool = False) -> runner.Page:
    return _pages(tmp_path, {"p.md": text}, full_conf)[0]


def test_parse_blocks(tmp_path: Path) -> None:
    page = _tabs_page(tmp_path)
    examples, problems = runner.examples_of(page)
    # lines as Sphinx reports them: MyST counts a block nested in directives one line late
    assert [(e.line, e.commands, e.expect, e.timeout) for e in examples] == [
        (6, "echo a", "a", 5.0),
        (25, "echo b \\\n  c", "b c", runner.DEFAULT_TIMEOUT),
    ]
    assert [(p.line, p.message.split()[0]) for p in problems] == [(32, ":run:"),
                                                                  (37, ":expect:")]
    cov = runner.coverage([page])
    # shell: echo a, echo b, the plain automagik-spark fence, the norun block; python: print(1)
    assert (cov.total, cov.run, cov.pages_run, cov.pages) == (5, 2, 1, 1)
    assert [(line, why) for _, line, why in cov.not_run] == [
        (42, "no reason given"), (46, "needs systemd"), (51, "no reason given")]
    assert "2 of 5 shell and Python blocks run (40%)" in cov.report()


def _tabs_page(tmp_path: Path) -> runner.Page:
    return _page(tmp_path,
        "# P\n\n"
        "::::{note}\n:::{admonition} A\n```{code-block} bash\n:run:\n:timeout: 5\necho a\n```\n"
        ":::\n::::\n\n"
        "```{code-block} text\n:expect:\na\n```\n\n"
        "````markdown\n```{code-block} bash\n:run:\necho never\n```\n````\n\n"
        ":::{code-block} console\n:run:\n$ echo b \\\n  c\nb c\n:::\n\n"
        "```{code-block} json\n:run:\n{}\n```\n\n"
        "```{code-block} text\n:expect:\norphan\n```\n\n"
        "```\nautomagik-spark workflows list\n```\n\n"
        "```{code-block} bash\n:norun: needs systemd\nsystemctl start x\n```\n\n"
        "```python\nprint(1)\n```\n")


def test_bad_option_is_a_build_error_at_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(runner.BuildError) as err:
        _page(tmp_path, "# P\n\n```{code-block} bash\n:run:\n:timeout: soon\necho a\n```\n")
    assert re.search(r"p\.md:5: .*timeout", str(err.value)), str(err.value)  # the option line


def test_run_page_without_stack(tmp_path: Path) -> None:
    page = _page(tmp_path,
        "# P\n\n"
        "```{code-block} bash\n:run:\nexport N=41\ncd /\nM=1\n```\n\n"
        "```{code-block} bash\n:run:\necho $((N + M)) in $PWD; echo oops >&2\n```\n\n"
        "```{code-block} text\n:expect:\n42 in /\noops\n```\n\n"
        "```{code-block} python\n:run:\nimport os\nprint(int(os.environ['M']) + 1)\n```\n\n"
        "```{code-block} text\n:expect:\n2\n```\n\n"
        "```{code-block} bash\n:run:\nfalse\n```\n\n"
        "```{code-block} bash\n:run:\n:timeout: 1\nsleep 30\n```\n\n"
        "```{code-block} bash\n:run:\necho after\n```\n")
    result = runner.run_page(page, workdir=tmp_path / "work")
    assert [r.ok for r in result.results] == [True, True, True, False, False, False], \
        result.report()
    report = result.report()
    assert "p.md:32: command failed (exit status 1)" in report
    assert "p.md:37: timed out after 1s" in report
    assert "p.md:43: not run: an earlier block timed out" in report


def test_parse_api_endpoint_runs_the_pages_own_requests(tmp_path: Path) -> None:
    page = _page(tmp_path,
        "---\norphan: true\n---\n# API\n\n## Run\n\n"
        "```{api-endpoint} POST /api/v1/workflows/{workflow_id}/run\n"
        ':body: "Hello Spark"\n:run:\n:expect: 200 "status":"completed"\n```\n\n'
        "## List\n\n"
        ":::{api-endpoint} GET /api/v1/sources/\n:query: status=active\n:run:\n:::\n\n"
        "## Health\n\n```{api-endpoint} GET /health\n```\n\n"
        "```{code-block} bash\n:run:\necho after\n```\n\n"
        "## Missing\n\n```{api-endpoint} GET /api/v1/sources/{source_id}\n:run:\n:expect: 404\n```\n\n"
        "## Bad\n\n```{api-endpoint} GET /\n:run:\n:expect: two hundred\n```\n",
        full_conf=True)
    examples, problems = runner.examples_of(page)
    assert [(e.line, e.kind, e.expect) for e in examples] == [
        (8, "api", '200 "status":"completed"'), (16, "api", None), (26, "shell", None),
        (33, "api", "404")]
    run = examples[0]
    assert run.commands.startswith('curl -sL -X POST "http://localhost:8883/api/v1/workflows/'
                                   '$WORKFLOW_ID/run"')
    assert run.script == run.commands + runner.CURL_STATUS
    assert examples[1].commands.splitlines()[0] == \
        'curl -sL -X GET "http://localhost:8883/api/v1/sources/?status=active" \\'
    assert [(p.line, p.message.split(":")[0].strip()) for p in problems] == [
        (40, "api-endpoint GET /")]
    # the twin pass: each Python example that expects 2xx replaces its cURL twin, same :expect:
    assert runner.has_twins(page)
    twins, _ = runner.examples_of(page, twins=True)
    assert [(e.line, e.kind, e.expect) for e in twins] == [
        (8, "api-python", '200 "status":"completed"'), (16, "api-python", None),
        (26, "shell", None), (33, "api", "404")]
    assert "httpx.request(" in twins[0].commands
    assert twins[0].script.startswith('python "$SPARK_LIVE_TWIN" <<\'')
    reasons = [(line, why) for _, line, why in runner.coverage([page]).not_run]
    assert reasons[:3] == [(23, "no reason given"), (23, "no reason given"),
                           (33, "the request is expected to answer 404; the Python example "
                                "raises on it (its cURL twin runs)")]


def test_api_endpoint_with_a_following_expect_block_is_a_problem(tmp_path: Path) -> None:
    page = _page(tmp_path, "---\norphan: true\n---\n# API\n\n## Health\n\n```{api-endpoint} GET /health\n:run:\n```\n\n"
                 "```{code-block} text\n:expect:\nonline\n```\n", full_conf=True)
    examples, problems = runner.examples_of(page)
    assert len(examples) == 1 and len(runner.examples_of(page, twins=True)[0]) == 1
    assert [(p.line, "does not follow a :run: block" in p.message) for p in problems] == \
        [(12, True)]


def test_judge_api() -> None:
    body = '{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"completed","error":null}'
    assert runner.judge_api('200 "status":"completed"', body + "\nHTTP 200\n") == (True, "")
    assert runner.judge_api('200 {"id":"<uuid>",..."error":null}', body + "\nHTTP 200\n")[0]
    assert runner.judge_api(None, body + "\nHTTP 201\n")[0]
    assert runner.judge_api("200", "[]\nHTTP 200\n")[0]
    ok, why = runner.judge_api(None, '{"detail":"x"}\nHTTP 400\n')
    assert not ok and "2xx" in why
    ok, why = runner.judge_api('200 "status":"failed"', body + "\nHTTP 200\n")
    assert not ok and '"status":"failed"' in why
    ok, why = runner.judge_api("201", body + "\nHTTP 200\n")
    assert not ok and "HTTP 200, expected 201" in why
    assert not runner.judge_api("200", "curl: (7) Failed to connect")[0]


def test_langflow_setup_shows_the_measured_proxy_config() -> None:
    """The nginx block on integrations/langflow-setup is the one test_compat measures."""
    import proxy

    page = (runner.SOURCE / "integrations" / "langflow-setup.md").read_text()
    blocks = re.findall(r"```nginx\n(.*?)```", page, re.S)
    assert len(blocks) == 1
    measured = proxy.NGINX_SITE.replace("UPSTREAM", "7860").replace("PORT", "7861")
    assert blocks[0] == measured
    assert "x-api-key" in measured and "Bearer" in measured  # and the check can fail:
    assert blocks[0].replace("x-api-key", "X-Key") != measured


# ------------------------------------------------------------------------------------------
# the twin pass: an endpoint's Python example in place of its cURL twin
# ------------------------------------------------------------------------------------------

@pytest.fixture
def json_server():
    """A real HTTP server on loopback answering every POST with 201 and a JSON object."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = b'{"name":"caf\xc3\xa9","status":"active","ok":true,"error":null}'
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _venv_env() -> dict[str, str]:
    """This environment with the virtualenv's bin first, as the live stack gives (httpx)."""
    import os
    import sys
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}


def _endpoint_page(tmp_path: Path, url: str, expect: str) -> runner.Page:
    """A page with one POST endpoint, its two request examples as the manifest records them."""
    api = {"operation": "POST /x", "expect": expect}
    curl = f'curl -sL -X POST "{url}/x"'
    python = ("import httpx\n\nresponse = httpx.request(\n    \"POST\",\n    "
              f"\"{url}/x\",\n)\nresponse.raise_for_status()\nprint(response.json())")
    blocks = [runner.Block("p.md", 9, "bash", "shell", curl, api=api),
              runner.Block("p.md", 9, "python", "python", python, api=api)]
    return runner.Page(tmp_path / "p.md", "p.md", blocks)


def test_python_twin_is_judged_by_the_curl_expectation(tmp_path: Path, json_server) -> None:
    expect = '201 "name":"café","status":"active","ok":true,"error":null'
    page = _endpoint_page(tmp_path, json_server, expect)
    first = runner.run_page(page, env=_venv_env(), workdir=tmp_path / "w1")
    assert [r.example.kind for r in first.results] == ["api"] and first.ok, first.report()
    second = runner.run_page(page, env=_venv_env(), workdir=tmp_path / "w2", twins=True)
    assert [r.example.kind for r in second.results] == ["api-python"]
    assert second.ok, second.report()
    # what the reader sees is Python's print of the JSON, plus the runner's status line
    assert "{'name': 'café', 'status': 'active', 'ok': True, 'error': None}" in \
        second.results[0].output
    assert second.results[0].output.rstrip().endswith("HTTP 201")


def test_python_twin_whose_output_does_not_match_fails(tmp_path: Path, json_server) -> None:
    for expect, why in (('201 "status":"paused"', 'does not contain \'"status":"paused"\''),
                        ("200", "HTTP 201, expected 200")):
        page = _endpoint_page(tmp_path, json_server, expect)
        result = runner.run_page(page, env=_venv_env(), workdir=tmp_path / "w", twins=True)
        assert not result.ok
        report = result.report()
        assert f"p.md:9: response does not match: " in report and why in report, report
        assert "Python example in place of its cURL twin" in report


def test_judge_api_python() -> None:
    out = "INFO noise\n{'id': 1, 'ok': True, 'error': None, 'tags': ['a']}\n\nHTTP 200\n"
    assert runner.judge_api_python('200 {"id":1,"ok":true,"error":null,"tags":["a"]}', out)[0]
    assert not runner.judge_api_python('200 "ok":false', out)[0]
    assert not runner.judge_api_python("201", out)[0]
    ok, why = runner.judge_api_python("200", "Traceback ...\n")
    assert not ok and "no HTTP status" in why
    assert runner.python_body_as_json("not a literal\n") == "not a literal\n"


# ------------------------------------------------------------------------------------------
# :serve: (a server the reader starts in a terminal of its own) and :after-ctrl-c:
# ------------------------------------------------------------------------------------------

def _serve_page(port: int) -> str:
    return (
        "# P\n\n"
        "```{code-block} bash\n:run:\n:serve: Serving HTTP\n"
        f"python3 -u -m http.server --bind 127.0.0.1 {port}\n```\n\n"
        "```{code-block} text\n:expect:\n"
        f"Serving HTTP on 127.0.0.1 port {port} ...\n...\n"
        "Keyboard interrupt received, exiting.\n```\n\n"
        "```{code-block} bash\n:run:\n"
        f"curl -s -o /dev/null -w '%{{http_code}}\\n' http://127.0.0.1:{port}/\n```\n\n"
        "```{code-block} text\n:expect:\n200\n```\n\n"
        "```{code-block} bash\n:run:\n:after-ctrl-c:\n"
        f"curl -s -o /dev/null -w '%{{http_code}}\\n' http://127.0.0.1:{port}/ || true\n```\n\n"
        "```{code-block} text\n:expect:\n000\n```\n")


def _free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_starts_a_server_and_stops_it_with_ctrl_c(tmp_path: Path) -> None:
    page = _page(tmp_path, _serve_page(_free_port()))
    examples, problems = runner.examples_of(page)
    assert problems == []
    assert [(e.line, e.serve, e.after_ctrl_c) for e in examples] == [
        (3, "Serving HTTP", False), (16, None, False), (26, None, True)]
    result = runner.run_page(page, workdir=tmp_path / "work")
    # ready, answered, stopped by SIGINT (http.server says so) before the :after-ctrl-c: block
    assert result.ok, result.report()
    assert "Keyboard interrupt received" in result.results[0].output


def test_serve_whose_text_never_appears_fails_at_file_and_line(tmp_path: Path) -> None:
    page = _page(tmp_path,
        "# P\n\n```{code-block} bash\n:run:\n:serve: Listening on\n:timeout: 2\n"
        "echo starting; sleep 60.1701\n```\n\n"
        "```{code-block} bash\n:run:\n:serve: ready\necho bye\n```\n")
    result = runner.run_page(page, workdir=tmp_path / "work")
    assert not result.ok
    report = result.report()
    assert "p.md:3: the server did not print 'Listening on' (its :serve: text) within 2s" \
        in report, report
    assert "starting" in report  # its output so far
    # and the server is gone (its group was killed)
    import subprocess
    assert "sleep 60.1701" not in subprocess.run(["ps", "-eo", "args"], capture_output=True,
                                            text=True).stdout


def test_serve_that_exits_or_ignores_ctrl_c_fails(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(runner, "STOP_WAIT", 1)
    page = _page(tmp_path,
        "# P\n\n```{code-block} bash\n:run:\n:serve: ready\necho bye\n```\n\n"
        "```{code-block} bash\n:run:\n:serve: ready\n"
        "trap '' INT; echo ready; exec sleep 45.1702\n```\n")
    result = runner.run_page(page, workdir=tmp_path / "work")
    assert [r.ok for r in result.results] == [False, False]
    report = result.report()
    assert "p.md:3: the server exited before it printed 'ready'" in report
    assert "p.md:9: the server did not stop within 1s of SIGINT (Ctrl-C)" in report
    import subprocess
    assert "sleep 45.1702" not in subprocess.run(["ps", "-eo", "args"], capture_output=True,
                                            text=True).stdout


def test_serve_marks_are_checked(tmp_path: Path) -> None:
    page = _page(tmp_path,
        "# P\n\n```{code-block} bash\n:serve: ready\necho ready\n```\n\n"
        "```{code-block} python\n:run:\n:serve: ready\nprint('ready')\n```\n\n"
        "```{code-block} bash\n:after-ctrl-c:\n:norun: a reason\ntrue\n```\n")
    _, problems = runner.examples_of(page)
    assert [(p.line, p.message) for p in problems] == [
        (8, ":serve: on a Python block; start the server from a shell block"),
        (3, ":serve: on a block without :run:"),
        (14, ":after-ctrl-c: on a block without :run:")]


def test_serve_needs_a_text_and_hand_over_a_known_process(tmp_path: Path) -> None:
    with pytest.raises(runner.BuildError) as err:
        _page(tmp_path / "a", "# P\n\n```{code-block} bash\n:run:\n:serve:\necho a\n```\n")
    assert re.search(r"p\.md:5: .*serve", str(err.value)), str(err.value)
    with pytest.raises(runner.BuildError) as err:
        _page(tmp_path / "b", "# P\n\n```{code-block} bash\n:run:\n:hand-over: api beat\n"
                              "echo a\n```\n")
    assert re.search(r"p\.md:5: .*hand-over.*expected one or more of api worker, got "
                     r"'api beat'", str(err.value)), str(err.value)


def test_hand_over_stops_the_stacks_process_before_the_block(tmp_path: Path) -> None:
    text = ("# P\n\n```{code-block} bash\n:run:\necho first\n```\n\n"
            "```{code-block} bash\n:run:\n:hand-over: worker api\ncat lent.txt\n```\n\n"
            "```{code-block} text\n:expect:\nworker api\n```\n")
    page = _page(tmp_path, text)
    assert page.blocks[1].hand_over == ["worker", "api"]
    work = tmp_path / "work"
    work.mkdir()
    calls = []

    def lend(names):  # what Stack.lend does, recorded where the block can see it
        calls.append(names)
        (work / "lent.txt").write_text(" ".join(names) + "\n")

    result = runner.run_page(page, workdir=work, hand_over=lend)
    assert result.ok and calls == [["worker", "api"]], result.report()
    # without a stack to hand over (runner.py against `stack.py up`) the block fails and says so
    result = runner.run_page(page, workdir=tmp_path / "w2")
    assert [r.ok for r in result.results] == [True, False]
    assert "p.md:8: no live stack to hand over worker api" in result.report()


def test_after_ctrl_c_with_a_text_stops_only_the_servers_it_names(tmp_path: Path) -> None:
    one, two = _free_port(), _free_port()
    status = "curl -s -o /dev/null -w '%{{http_code}}\\n' http://127.0.0.1:{}/ || true"
    serve = "```{{code-block}} bash\n:run:\n:serve: Serving HTTP\npython3 -u -m http.server " \
            "--bind 127.0.0.1 {}\n```\n\n"
    page = _page(tmp_path,
        "# P\n\n" + serve.format(one) + serve.format(two) +
        f"```{{code-block}} bash\n:run:\n:after-ctrl-c: {one}\n{status.format(one)}\n"
        f"{status.format(two)}\n```\n\n```{{code-block}} text\n:expect:\n000\n200\n```\n")
    assert page.blocks[2].after_ctrl_c == str(one)
    result = runner.run_page(page, workdir=tmp_path / "work")
    assert result.ok, result.report()  # and the second server stopped at the end of the page


def test_save_as_writes_the_file_the_reader_saves(tmp_path: Path) -> None:
    page = _page(tmp_path,
        "# P\n\n```{code-block} python\n:save-as: greet.py\nGREETING = 'hello $HOME'\n```\n\n"
        "```{code-block} bash\n:run:\npython3 -c 'import greet; print(greet.GREETING)'\n```\n\n"
        "```{code-block} text\n:expect:\nhello $HOME\n```\n\n"
        "```{code-block} python\n:save-as: other.py\n:run:\nX = 1\n```\n")
    examples, problems = runner.examples_of(page)
    assert [(e.line, e.kind) for e in examples] == [(3, "save"), (8, "shell")]
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (18, ":save-as: with :run: or :norun:")]
    assert runner.coverage([page]).run == 3  # the saved module counts: a later block uses it
    result = runner.run_page(page, workdir=tmp_path / "work")
    assert all(r.ok for r in result.results), result.report()  # saved verbatim, no expansion
    assert (tmp_path / "work" / "greet.py").read_text() == "GREETING = 'hello $HOME'\n"


def test_expect_blocks_are_output_not_examples(tmp_path: Path) -> None:
    page = _page(tmp_path,
        "# P\n\n```{code-block} bash\n:run:\necho celery -A app worker\n```\n\n"
        "```{code-block} text\n:expect:\ncelery -A app worker\n```\n\n"
        "```text\ncelery -A app beat\n```\n")
    cov = runner.coverage([page])
    # the :expect: block reads like a command but is output; the plain fence still counts
    assert (cov.total, cov.run) == (2, 1)
    assert [(line, why) for _, line, why in cov.not_run] == [(13, "no reason given")]
