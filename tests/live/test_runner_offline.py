"""Offline tests of the example runner's parsing and comparison (no stack needed)."""

from __future__ import annotations

from pathlib import Path

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


def test_parse_blocks(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text(
        "# P\n\n"
        "::::{tabs}\n:::{tab} A\n```{code-block} bash\n:run:\n:timeout: 5\necho a\n```\n:::\n"
        "::::\n\n"
        "```{code-block} text\n:expect:\na\n```\n\n"
        "````markdown\n```{code-block} bash\n:run:\necho never\n```\n````\n\n"
        ":::{code-block} console\n:run:\n$ echo b \\\n  c\nb c\n:::\n\n"
        "```{code-block} python\n:run:\nprint(1)\n```\n\n"
        "```{code-block} text\n:expect:\norphan\n```\n")
    examples, problems = runner.parse_examples(page)
    assert [(e.line, e.commands, e.expect, e.timeout) for e in examples] == [
        (5, "echo a", "a", 5.0),
        (25, "echo b \\\n  c", "b c", runner.DEFAULT_TIMEOUT),
    ]
    assert [(p.line, p.message.split()[0]) for p in problems] == [(32, ":run:"),
                                                                  (37, ":expect:")]


def test_run_page_without_stack(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text(
        "```{code-block} bash\n:run:\nexport N=41\ncd /\n```\n\n"
        "```{code-block} bash\n:run:\necho $((N + 1)) in $PWD; echo oops >&2\n```\n\n"
        "```{code-block} text\n:expect:\n42 in /\noops\n```\n\n"
        "```{code-block} bash\n:run:\nfalse\n```\n\n"
        "```{code-block} bash\n:run:\n:timeout: 1\nsleep 30\n```\n\n"
        "```{code-block} bash\n:run:\necho after\n```\n")
    result = runner.run_page(page, label="p.md")
    assert [r.ok for r in result.results] == [True, True, False, False, False]
    report = result.report()
    assert "p.md:18: command failed (exit status 1)" in report
    assert "p.md:23: timed out after 1s" in report
    assert "p.md:29: not run: an earlier block timed out" in report


def test_parse_api_endpoint_runs_the_pages_own_curl(tmp_path: Path) -> None:
    page = tmp_path / "api.md"
    page.write_text(
        "# API\n\n"
        "```{api-endpoint} POST /api/v1/workflows/{workflow_id}/run\n"
        ':body: "Hello Spark"\n:run:\n:expect: 200 "status":"completed"\n```\n\n'
        ":::{api-endpoint} GET /api/v1/sources/\n:query: status=active\n:run:\n:::\n\n"
        "```{api-endpoint} GET /health\n```\n\n"
        "```{code-block} bash\n:run:\necho after\n```\n\n"
        "```{api-endpoint} GET /api/v1/no-such-route\n:run:\n```\n\n"
        "```{api-endpoint} GET /\n:run:\n:expect: two hundred\n```\n")
    examples, problems = runner.parse_examples(page)
    spec, api_example = runner._api_tools()
    assert [(e.line, e.kind, e.expect) for e in examples] == [
        (3, "api", '200 "status":"completed"'), (9, "api", None), (17, "shell", None)]
    run = examples[0]
    assert run.commands == api_example(spec, "POST", "/api/v1/workflows/{workflow_id}/run",
                                       {"body": '"Hello Spark"'}).curl()
    assert run.commands.startswith('curl -sL -X POST "http://localhost:8883/api/v1/workflows/'
                                   '$WORKFLOW_ID/run"')
    assert run.script == run.commands + runner.CURL_STATUS
    assert examples[1].commands.splitlines()[0] == \
        'curl -sL -X GET "http://localhost:8883/api/v1/sources/?status=active" \\'
    assert [(p.line, p.message.split(":")[0].strip()) for p in problems] == [
        (22, "api-endpoint GET /api/v1/no-such-route"), (26, "api-endpoint")]


def test_api_endpoint_with_a_following_expect_block_is_a_problem(tmp_path: Path) -> None:
    page = tmp_path / "api.md"
    page.write_text("```{api-endpoint} GET /\n:run:\n```\n\n"
                    "```{code-block} text\n:expect:\nonline\n```\n")
    examples, problems = runner.parse_examples(page)
    assert len(examples) == 1
    assert [(p.line, "own :expect: option" in p.message) for p in problems] == [(5, True)]


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
