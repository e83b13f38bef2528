"""Live tests: the documentation's executable examples and a smoke test of the stack.

* ``test_page_examples``: one test per page under ``source/`` with ``:run:`` blocks; the blocks
  run against the real Spark 0.3.7 stack (a clean database per page) and their output is
  compared with the ``:expect:`` blocks.
* ``test_runner_*``: the runner itself, on ``fixtures/sample.md`` and on a broken copy of it.
* ``test_stack_*``: Spark really talks to the LangFlow stand-in, and the worker really runs a
  schedule.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

import fake_langflow as lf
import runner

pytestmark = pytest.mark.live

HERE = Path(__file__).resolve().parent
# SPARK_LIVE_SOURCE points the suite at another tree of pages (e.g. while drafting one)
SOURCE = Path(os.environ.get("SPARK_LIVE_SOURCE") or runner.REPO_ROOT / "source").resolve()
SAMPLE = HERE / "fixtures" / "sample.md"
PAGES = runner.pages_with_examples(SOURCE) if SOURCE.is_dir() else []
LANGFLOW_KEY = "sk-langflow-live-test"


# ------------------------------------------------------------------------------------------
# the documentation pages
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(SOURCE)) for p in PAGES])
def test_page_examples(page: Path, clean_stack, tmp_path: Path) -> None:
    result = runner.run_page(page, env=clean_stack.shell_env(), workdir=tmp_path)
    if not result.ok:
        pytest.fail(result.report(), pytrace=False)


# ------------------------------------------------------------------------------------------
# the runner itself
# ------------------------------------------------------------------------------------------

def test_runner_sample_page_passes(clean_stack, tmp_path: Path) -> None:
    result = runner.run_page(SAMPLE, env=clean_stack.shell_env(), workdir=tmp_path)
    assert result.ok, result.report()
    assert len(result.results) == 3


def test_runner_reports_wrong_flag_with_page_and_line(clean_stack, tmp_path: Path) -> None:
    page = tmp_path / "sample.md"
    text = SAMPLE.read_text()
    assert text.count("automagik-spark sources list\n") == 1
    page.write_text(text.replace("automagik-spark sources list\n",
                                 "automagik-spark sources list --no-such-flag\n"))
    lines = page.read_text().splitlines()
    cmd = lines.index("automagik-spark sources list --no-such-flag")
    fence = max(n for n in range(cmd) if lines[n].startswith("```{code-block} bash"))

    result = runner.run_page(page, env=clean_stack.shell_env(), workdir=tmp_path / "work")

    assert not result.ok
    failed = [r for r in result.results if not r.ok]
    assert len(failed) == 1
    report = result.report()
    assert f"sample.md:{fence + 1}: output does not match" in report
    assert "automagik-spark sources list --no-such-flag" in report
    assert re.search(r"No such option:? '?--no-such-flag", report)  # the actual output
    assert "No sources found" in report  # and so is the expectation
    assert failed[0].returncode == 2


# ------------------------------------------------------------------------------------------
# smoke test of the stack: Spark <-> LangFlow stand-in, and the worker
# ------------------------------------------------------------------------------------------

def _add_source_and_sync(stack) -> str:
    status, src = stack.api_call("POST", "/api/v1/sources/", {
        "name": "langflow", "source_type": "langflow", "url": "http://localhost:7860",
        "api_key": LANGFLOW_KEY})
    assert status == 201, src
    assert src["status"] == "active"
    assert src["version_info"]["version"] == lf.LANGFLOW_VERSION

    status, remote = stack.api_call("GET", "/api/v1/workflows/remote")
    assert status == 200, remote
    assert [f["id"] for f in remote] == [lf.FLOW_ID]  # the component flow is filtered out
    assert {c["id"] for c in remote[0]["components"]} == {lf.CHAT_INPUT_ID, lf.CHAT_OUTPUT_ID}

    status, wf = stack.api_call(
        "POST", f"/api/v1/workflows/sync/{lf.FLOW_ID}"
                f"?input_component={lf.CHAT_INPUT_ID}&output_component={lf.CHAT_OUTPUT_ID}")
    assert status == 200, wf
    assert (wf["input_component"], wf["output_component"]) == (lf.CHAT_INPUT_ID,
                                                                lf.CHAT_OUTPUT_ID)
    return wf["id"]


def test_stack_langflow_stand_in_sees_spark_calls(clean_stack) -> None:
    fake = clean_stack.langflow
    workflow_id = _add_source_and_sync(clean_stack)

    status, task = clean_stack.api_call("POST", f"/api/v1/workflows/{workflow_id}/run",
                                        "Hello Spark")
    assert status == 200, task
    assert task["status"] == "completed", task
    message = task["output_data"]["outputs"][0]["outputs"][0]["results"]["message"]
    assert message["text"] == "Hello Spark"

    calls = [(r["method"], r["path"]) for r in fake.requests]
    for expected in [("GET", "/health"), ("GET", "/api/v1/version"),
                     ("GET", "/api/v1/folders/"), ("GET", "/api/v1/flows/"),
                     ("GET", f"/api/v1/flows/{lf.FLOW_ID}"), ("POST", f"/api/v1/run/{lf.FLOW_ID}")]:
        assert expected in calls, (expected, calls)
    validation = [r for r in fake.requests if r["path"] in ("/health", "/api/v1/version")]
    assert all(r["x-api-key"] == LANGFLOW_KEY for r in validation)
    run = [r for r in fake.requests if r["path"] == f"/api/v1/run/{lf.FLOW_ID}"][-1]
    assert run["query"] == {"stream": "false"}
    assert run["authorization"] == f"Bearer {LANGFLOW_KEY}"  # API runs send a Bearer token
    assert run["body"] == {"input_value": "Hello Spark", "output_type": "debug",
                           "input_type": "chat",
                           "tweaks": {lf.CHAT_INPUT_ID: {}, lf.CHAT_OUTPUT_ID: {}}}


def test_stack_worker_runs_a_schedule(clean_stack) -> None:
    fake = clean_stack.langflow
    workflow_id = _add_source_and_sync(clean_stack)
    status, schedule = clean_stack.api_call("POST", "/api/v1/schedules", {
        "workflow_id": workflow_id, "schedule_type": "cron", "schedule_expr": "* * * * *",
        "input_value": "Scheduled hello"})
    assert status == 200, schedule
    assert schedule["status"] == "active"

    deadline = time.monotonic() + 150
    done = []
    while time.monotonic() < deadline:
        status, tasks = clean_stack.api_call("GET", f"/api/v1/tasks?workflow_id={workflow_id}")
        assert status == 200, tasks
        done = [t for t in tasks if t["status"] in ("completed", "failed")]
        if done:
            break
        time.sleep(2)
    assert done, "no scheduled task finished within 150 s\n" + clean_stack.logs_tail()
    assert done[0]["status"] == "completed", done[0]
    assert done[0]["input_data"] == "Scheduled hello"

    run = [r for r in fake.requests if r["path"] == f"/api/v1/run/{lf.FLOW_ID}"][-1]
    assert run["x-api-key"] == LANGFLOW_KEY  # Celery runs send x-api-key, no tweaks
    assert run["body"]["input_value"] == "Scheduled hello"
    assert run["body"]["tweaks"] == {}

    status, _ = clean_stack.api_call("DELETE", f"/api/v1/schedules/{schedule['id']}")
    assert status == 200
