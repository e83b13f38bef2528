"""Spark's LangFlow-facing operations, measured against LangFlow releases and setups.

For each LangFlow release of :data:`langflow.RELEASES` and each setup of
:data:`langflow.SETUPS`, a LangFlow runs on its own loopback port; the live Spark stack registers
it as a source (with an empty key in the ``no-auth`` setup, with a LangFlow API key in the
``api-key`` setup), imports the quickstart flow and does what the docs teach. Each operation's
result is ``"works"`` or what a reader sees instead (``"HTTP 401"``, ``"task failed: HTTP
401"``). A third setup keeps the API key but puts Debian's nginx in front of LangFlow
(:mod:`proxy`), turning ``Authorization: Bearer <key>`` into ``x-api-key: <key>``. The results
are kept in ``source/_data/langflow-compat.json``, which the docs render
as a table (``_ext/compat_table``); the live suite measures again and fails on any difference.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import flows
import langflow

DATA = Path(__file__).resolve().parents[2] / "source" / "_data" / "langflow-compat.json"
#: operation key -> what the table calls it (in the order the docs teach them)
OPERATIONS = {
    "add_source": "Add the source (API)",
    "list_api": "List remote flows (API)",
    "list_cli": "List remote flows (CLI)",
    "details_api": "Remote flow details (API)",
    "sync_api": "Sync a flow (API)",
    "sync_cli": "Sync a flow (CLI)",
    "run_api": "Run by hand (API)",
    "run_cli": "Run by hand (CLI)",
    "retry_cli": "Retry a failed task (CLI)",
    "schedule": "Scheduled run",
}
SETUP_NAMES = {
    "no-auth": "recommended setup (no credentials, source without a key)",
    "api-key": "API key on the source",
    "api-key-proxy": "API key, through the nginx proxy",
}
_STATUS = re.compile(r"\b([45]\d\d)\b")


def _failure(text: str, prefix: str = "") -> str:
    """A short, stable description of a failure: the HTTP status if one is named."""
    m = _STATUS.search(text or "")
    what = f"HTTP {m.group(1)}" if m else (text or "no output").strip().splitlines()[-1][:80]
    return f"{prefix}{what}"


class Proxied:
    """A LangFlow in the api-key setup seen through :class:`proxy.NginxProxy`: the source
    points at the proxy, with the same key."""

    def __init__(self, lf: langflow.LangFlow, proxy) -> None:
        self.lf, self.proxy = lf, proxy
        self.release, self.setup = lf.release, "api-key-proxy"
        self.url, self.port = proxy.url, proxy.port
        self.api_key, self.version = lf.api_key, lf.version

    def import_flow(self, flow: dict) -> str:
        return self.lf.import_flow(flow)


class Measure:
    """The operations against one LangFlow (release, setup) through the live Spark stack."""

    def __init__(self, stack, lf: langflow.LangFlow) -> None:
        self.stack, self.lf = stack, lf
        # the quickstart flow, made of this release's own components (an export of LangFlow
        # 1.13 names modules that 1.5 does not have)
        name, description, template = flows.CATALOGUE["spark-quickstart"]
        self.flow = flows.Flow("spark-quickstart", flows.build(self._lf_call, name, description,
                                                               template))
        self.results: dict[str, str] = {}
        self.remote_id = ""
        self.workflow_id = ""

    def _lf_call(self, method: str, path: str, body):
        lf = getattr(self.lf, "lf", self.lf)  # a Proxied one: ask LangFlow itself
        status, answer = lf.call(method, path, body)
        if status not in (200, 201):
            raise RuntimeError(f"LangFlow {method} {path}: HTTP {status}: {answer}")
        return answer

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["automagik-spark", *args], env=self.stack.shell_env(),
                              cwd=self.stack.run_dir, capture_output=True, text=True,
                              timeout=180)

    def api(self, method: str, path: str, body=None):
        return self.stack.api_call(method, path, body, timeout=180)

    def task_result(self, task: dict, message: str, prefix: str = "task failed: ") -> str:
        if task.get("status") == "completed":
            try:
                text = flows.output_text(task["output_data"])
            except (KeyError, ValueError, TypeError, IndexError) as exc:
                return f"completed without a Chat Output ({type(exc).__name__})"
            expected = self.flow.expected_output(message)
            return "works" if text == expected else f"completed with {text!r}"
        return _failure(task.get("error") or task.get("status", ""), prefix)

    def wait_task(self, task_id: str, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            status, task = self.api("GET", f"/api/v1/tasks/{task_id}")
            if status == 200 and task["status"] in ("completed", "failed"):
                return task
            if time.monotonic() > deadline:
                return task if status == 200 else {"status": f"HTTP {status}"}
            time.sleep(1)

    # -- the operations, in order ---------------------------------------------------------------
    def run_all(self) -> dict[str, str]:
        self.remote_id = self.lf.import_flow(self.flow.data)
        for key in OPERATIONS:
            if key == "schedule":
                continue  # started by start_schedule, collected by finish_schedule
            try:
                self.results[key] = getattr(self, key)()
            except Exception as exc:  # a broken step is a result, not a crash
                self.results[key] = f"error: {type(exc).__name__}: {exc}"[:120]
        return self.results

    def add_source(self) -> str:
        status, src = self.api("POST", "/api/v1/sources/", {
            "name": f"langflow-{self.lf.port}", "source_type": "langflow", "url": self.lf.url,
            "api_key": self.lf.api_key})
        if status != 201:
            detail = src.get("detail") if isinstance(src, dict) else src
            return f"HTTP {status}: {str(detail)[:80]}"
        return "works" if src.get("status") == "active" else f"source {src.get('status')}"

    def list_api(self) -> str:
        status, remote = self.api("GET", f"/api/v1/workflows/remote?source_url={self.lf.url}")
        if status != 200:
            return _failure(str(status))
        return "works" if self.remote_id in [f.get("id") for f in remote] else "flow not listed"

    def list_cli(self) -> str:
        proc = self.cli("workflows", "sync", "--source", self.lf.url, "--page-size", "50")
        if proc.returncode != 0:
            return _failure(proc.stderr + proc.stdout, "exit status %d: " % proc.returncode)
        return "works" if self.flow.data["name"] in proc.stdout else \
            _failure(proc.stdout, "flow not listed: ")

    def details_api(self) -> str:
        status, body = self.api("GET", f"/api/v1/workflows/remote/{self.remote_id}"
                                       f"?source_url={self.lf.url}")
        if status != 200:
            return f"HTTP {status}"
        return "works" if body.get("id") == self.remote_id else "another flow"

    def sync_api(self) -> str:
        status, wf = self.api(
            "POST", f"/api/v1/workflows/sync/{self.remote_id}?input_component="
                    f"{self.flow.input_id}&output_component={self.flow.output_id}")
        if status != 200:
            return f"HTTP {status}"
        self.workflow_id = wf["id"]
        return "works"

    def sync_cli(self) -> str:
        proc = self.cli("workflows", "sync", self.remote_id, "--source", self.lf.url)
        if proc.returncode == 0 and f"Successfully synced flow {self.remote_id}" in proc.stdout:
            return "works"
        return _failure(proc.stdout + proc.stderr, "")

    def run_api(self) -> str:
        if not self.workflow_id:
            return "not tried: no synced workflow"
        status, task = self.api("POST", f"/api/v1/workflows/{self.workflow_id}/run",
                                flows.SAMPLE_INPUT)
        if status != 200:
            return f"HTTP {status}"
        self.task_id = task["id"]
        return self.task_result(self.wait_task(task["id"]), flows.SAMPLE_INPUT)

    def run_cli(self) -> str:
        if not self.workflow_id:
            return "not tried: no synced workflow"
        proc = self.cli("workflows", "run", self.workflow_id, "--input", flows.SAMPLE_INPUT)
        expected = self.flow.expected_output(flows.SAMPLE_INPUT)
        if proc.returncode == 0 and expected in proc.stdout:
            return "works"
        return _failure(proc.stdout + proc.stderr) + f" (exit status {proc.returncode})"

    def retry_cli(self) -> str:
        """Mark the API run's task failed (as a LangFlow outage would) and retry it."""
        task_id = getattr(self, "task_id", "")
        if not task_id:
            return "not tried: no task"
        import psycopg

        with psycopg.connect(self.stack.postgres.url, autocommit=True) as conn:
            conn.execute("UPDATE tasks SET status = 'failed', error = 'simulated' "
                         "WHERE id = %s", (task_id,))
        proc = self.cli("tasks", "retry", task_id)
        if proc.returncode != 0:
            return _failure(proc.stderr + proc.stdout, f"exit status {proc.returncode}: ")
        return self.task_result(self.wait_task(task_id), flows.SAMPLE_INPUT)

    def start_schedule(self) -> str | None:
        if not self.workflow_id:
            self.results["schedule"] = "not tried: no synced workflow"
            return None
        status, schedule = self.api("POST", "/api/v1/schedules", {
            "workflow_id": self.workflow_id, "schedule_type": "cron",
            "schedule_expr": "* * * * *", "input_value": "Scheduled hello"})
        if status != 200:
            self.results["schedule"] = f"HTTP {status}"
            return None
        return schedule["id"]

    def finish_schedule(self, schedule_id: str | None, deadline: float) -> None:
        if schedule_id is None:
            return
        while True:
            status, tasks = self.api("GET", f"/api/v1/tasks?workflow_id={self.workflow_id}")
            done = [t for t in tasks if t.get("input_data") == "Scheduled hello"
                    and t["status"] in ("completed", "failed")] if status == 200 else []
            if done:
                self.results["schedule"] = self.task_result(done[0], "Scheduled hello")
                break
            if time.monotonic() > deadline:
                self.results["schedule"] = "no scheduled task finished in time"
                break
            time.sleep(2)
        self.api("DELETE", f"/api/v1/schedules/{schedule_id}")


def measure(stack, instances: dict[tuple[str, str], langflow.LangFlow]) -> dict:
    """Measure every (release, setup) and return the data document."""
    measures = {key: Measure(stack, lf) for key, lf in instances.items()}
    for m in measures.values():
        m.run_all()
    schedules = {key: m.start_schedule() for key, m in measures.items()}
    deadline = time.monotonic() + 150  # beat fires on the next minute
    for key, m in measures.items():
        m.finish_schedule(schedules[key], deadline)
    releases = {}
    for (release, setup), lf in instances.items():
        entry = releases.setdefault(release, {
            "package": langflow.RELEASES[release],
            "reports": lf.version.get("version"),
            "results": {},
        })
        entry["results"][setup] = {k: measures[(release, setup)].results[k] for k in OPERATIONS}
    for entry in releases.values():
        entry["results"] = {s: entry["results"][s] for s in SETUP_NAMES if s in entry["results"]}
    return {
        "spark": stack_spark_version(),
        "operations": OPERATIONS,
        "setups": SETUP_NAMES,
        "releases": dict(sorted(releases.items(), key=lambda kv: _version_key(kv[0]),
                                reverse=True)),
    }


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", version))


def stack_spark_version() -> str:
    from importlib.metadata import version
    return version("automagik-spark")


def dump(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
