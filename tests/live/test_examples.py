"""Live tests: the documentation's executable examples and a smoke test of the stack.

* ``test_page_examples``: one test per page under ``source/`` with ``:run:`` blocks (taken from
  the manifest a Sphinx build writes); the blocks run against the real Spark 0.3.7 stack (a
  clean database and an empty LangFlow per page, the flow files of ``source/flows`` in the
  working directory) and their output is compared with the ``:expect:`` blocks.
* ``test_coverage_report``: prints how many shell and Python blocks run and why others do not.
* ``test_runner_*``: the runner itself, on ``fixtures/sample.md`` and on a broken copy of it.
* ``test_stack_*``: Spark really talks to real LangFlow in the setup the docs recommend: the
  quickstart flow (``source/flows/spark-quickstart.json``) is imported, synced and run by hand
  and on a schedule, with its real output.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

import flows
import runner

pytestmark = pytest.mark.live

HERE = Path(__file__).resolve().parent
# SPARK_LIVE_SOURCE points the suite at another tree of pages (e.g. while drafting one)
SOURCE = Path(os.environ.get("SPARK_LIVE_SOURCE") or runner.SOURCE).resolve()
FIXTURES = HERE / "fixtures"
#: every page's examples, from a Sphinx build of SOURCE (a build error fails the collection)
ALL_PAGES = runner.load_manifest(runner.build_manifest(SOURCE), SOURCE)
PAGES = runner.pages_with_examples(ALL_PAGES)


def _page_params(pages: list[runner.Page]):
    """One test per page; a page whose endpoints have Python examples runs a second time with
    those in place of their cURL twins (``api/schedules.md:python``)."""
    for page in pages:
        name = str(page.path.relative_to(SOURCE))
        yield pytest.param(page, False, id=name)
        if runner.has_twins(page):
            yield pytest.param(page, True, id=f"{name}:python")


# ------------------------------------------------------------------------------------------
# the documentation pages
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page, twins", list(_page_params(PAGES)))
def test_page_examples(page: runner.Page, twins: bool, clean_stack, tmp_path: Path) -> None:
    flows.copy_to(tmp_path)  # a page imports its flow file as a reader who downloaded it
    for name in page.given:  # what the setup pages, which this page links, left in place
        _add_source_and_sync(clean_stack, flows.load(name))
    with clean_stack.lending() as lend:  # a block may start the API or worker itself
        result = runner.run_page(page, env=clean_stack.shell_env(), workdir=tmp_path,
                                 twins=twins, hand_over=lend)
    if not result.ok:
        pytest.fail(result.report(), pytrace=False)


def test_coverage_report() -> None:
    """Print the share of shell and Python blocks that run and why the others do not."""
    report = runner.coverage(ALL_PAGES)
    print("\n" + report.report())
    assert report.total > 0
    unexplained = [f"{label}:{line}" for label, line, why in report.not_run
                   if why == "no reason given"]
    assert unexplained == [], "shell/Python blocks with neither :run: nor :norun: REASON"


# ------------------------------------------------------------------------------------------
# the runner itself
# ------------------------------------------------------------------------------------------

def _fixture_page(tmp_path: Path, text: str | None = None) -> runner.Page:
    src = tmp_path / "src"
    src.mkdir()
    (src / "sample.md").write_text(text if text is not None
                                   else (FIXTURES / "sample.md").read_text())
    return runner.load_manifest(runner.build_manifest(src, tmp_path / "build"), src)[0]


def test_runner_sample_page_passes(clean_stack, tmp_path: Path) -> None:
    page = _fixture_page(tmp_path)
    result = runner.run_page(page, env=clean_stack.shell_env(), workdir=tmp_path / "work")
    assert result.ok, result.report()
    assert len(result.results) == 3


def test_runner_reports_wrong_flag_with_page_and_line(clean_stack, tmp_path: Path) -> None:
    text = (FIXTURES / "sample.md").read_text()
    assert text.count("automagik-spark sources list\n") == 1
    text = text.replace("automagik-spark sources list\n",
                        "automagik-spark sources list --no-such-flag\n")
    lines = text.splitlines()
    cmd = lines.index("automagik-spark sources list --no-such-flag")
    fence = max(n for n in range(cmd) if lines[n].startswith("```{code-block} bash"))
    page = _fixture_page(tmp_path, text)

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
# smoke test of the stack: Spark <-> real LangFlow (the recommended setup), and the worker
# ------------------------------------------------------------------------------------------

def _add_source_and_sync(stack, flow: flows.Flow) -> tuple[str, str]:
    """Import ``flow`` into LangFlow, register the source and sync the flow; returns
    (Spark workflow id, LangFlow flow id)."""
    remote_id = stack.langflow.import_flow(flow.data)
    status, src = stack.api_call("POST", "/api/v1/sources/", {
        "name": "langflow", "source_type": "langflow", "url": stack.langflow.url,
        "api_key": stack.langflow.api_key})
    assert status == 201, src
    assert src["status"] == "active"
    assert src["version_info"]["version"] == stack.langflow.version["version"]

    status, remote = stack.api_call("GET", "/api/v1/workflows/remote")
    assert status == 200, remote
    assert [f["id"] for f in remote] == [remote_id]  # starter projects are not listed
    ids = {c["id"] for c in remote[0]["components"]}
    assert {flow.input_id, flow.output_id} <= ids, ids

    status, wf = stack.api_call(
        "POST", f"/api/v1/workflows/sync/{remote_id}"
                f"?input_component={flow.input_id}&output_component={flow.output_id}")
    assert status == 200, wf
    assert (wf["input_component"], wf["output_component"]) == (flow.input_id, flow.output_id)
    return wf["id"], remote_id


def test_stack_quickstart_flow_runs_by_hand(clean_stack) -> None:
    flow = flows.load("spark-quickstart")
    workflow_id, _ = _add_source_and_sync(clean_stack, flow)

    status, task = clean_stack.api_call("POST", f"/api/v1/workflows/{workflow_id}/run",
                                        "Hello Spark")
    assert status == 200, task
    assert task["status"] == "completed", (task, clean_stack.logs_tail())
    assert flows.output_text(task["output_data"]) == flow.expected_output("Hello Spark")


@pytest.mark.parametrize("name", flows.names())
def test_stack_docs_flow_imports_syncs_and_runs(name: str, clean_stack) -> None:
    """Every flow under source/flows runs through Spark with its documented output."""
    flow = flows.load(name)
    workflow_id, _ = _add_source_and_sync(clean_stack, flow)
    status, task = clean_stack.api_call("POST", f"/api/v1/workflows/{workflow_id}/run",
                                        flows.SAMPLE_INPUT)
    assert status == 200, task
    assert task["status"] == "completed", task
    assert flows.output_text(task["output_data"]) == flow.expected_output(flows.SAMPLE_INPUT)


def test_stack_worker_runs_a_schedule(clean_stack) -> None:
    flow = flows.load("spark-quickstart")
    workflow_id, _ = _add_source_and_sync(clean_stack, flow)
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
    assert flows.output_text(done[0]["output_data"]) == flow.expected_output("Scheduled hello")

    status, _ = clean_stack.api_call("DELETE", f"/api/v1/schedules/{schedule['id']}")
    assert status == 200
