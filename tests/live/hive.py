"""Automagik Hive for the live suite: installed from a lockfile with uv, run on loopback.

``hive/hive-<release>.txt`` pins automagik-hive and its dependencies (``uv pip compile`` output of
``hive/hive-<release>.in``, which adds what the release forgets). :class:`Hive` makes a project
with ``hive init project`` in a temporary directory, points it at SQLite and 127.0.0.1, and
starts ``hive serve``. Agents need a model key to run; listing them does not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from langflow import install_lock  # noqa: E402
from stack import (LOOPBACK, Process, StackError, _tail, answers_ok, http_json,  # noqa: E402
                   wait_for)

RELEASE = "1.0.0rc7"
LOCK = HERE / "hive" / f"hive-{RELEASE}.txt"
#: every call Spark 0.3.7's Hive adapter makes (core/workflows/automagik_hive.py)
SPARK_CALLS = ["/api/v1/health", "/playground/status", "/playground/agents",
               "/playground/teams", "/playground/workflows"]
#: the listing paths of Hive 1.0 (Agno AgentOS)
HIVE_PATHS = ["/health", "/agents", "/teams", "/workflows"]


class Hive:
    def __init__(self, port: int) -> None:
        self.port = port
        self.workdir = Path(tempfile.mkdtemp(prefix="hive-"))
        self.process: Process | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("HIVE_", "OPENAI_", "ANTHROPIC_"))}
        env.update({"HOME": str(self.workdir), "PYTHONUNBUFFERED": "1", "DO_NOT_TRACK": "true"})
        env.pop("VIRTUAL_ENV", None)
        return env

    def start(self, timeout: float = 120) -> "Hive":
        venv = install_lock(LOCK, "hive", RELEASE)
        hive = str(venv / "bin" / "hive")
        proc = subprocess.run([hive, "init", "project", "demo"], cwd=self.workdir,
                              env=self.env(), capture_output=True, text=True, timeout=120)
        project = self.workdir / "demo"
        if proc.returncode != 0 or not (project / ".env").exists():
            raise StackError(f"hive init project failed:\n{proc.stdout}\n{proc.stderr}")
        dotenv = (project / ".env").read_text().splitlines()
        overrides = {"HIVE_API_HOST": LOOPBACK, "HIVE_API_PORT": str(self.port),
                     "HIVE_DATABASE_URL": f"sqlite:///{self.workdir / 'hive.db'}"}
        lines = [line for line in dotenv if line.split("=", 1)[0] not in overrides]
        lines += [f"{k}={v}" for k, v in overrides.items()]
        (project / ".env").write_text("\n".join(lines) + "\n")
        self.process = Process("hive", [hive, "serve", "--host", LOOPBACK, "--port",
                                        str(self.port)],
                               env=self.env(), cwd=project, log=self.workdir / "hive.log")

        def healthy() -> bool:
            return answers_ok(f"http://{LOOPBACK}:{self.port}/health")

        try:
            wait_for(healthy, timeout, "Hive /health", interval=1, alive=self.process.alive)
        except StackError as exc:
            log = _tail(self.workdir / "hive.log")
            self.stop()
            raise StackError(f"{exc}\n--- hive.log ---\n{log}") from None
        return self

    def status(self, path: str) -> int:
        return http_json("GET", f"http://{LOOPBACK}:{self.port}{path}",
                         headers={"x-api-key": "any"})[0]

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
        shutil.rmtree(self.workdir, ignore_errors=True)
