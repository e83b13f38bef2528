"""Real LangFlow for the live suite: installed from a lockfile with uv, cached, run on loopback.

``tests/live/langflow/langflow-<release>.txt`` pins ``langflow-base`` and everything it pulls
(``uv pip compile`` output; regenerate with ``python tests/live/langflow.py lock``). A release is
installed once into its own virtualenv under the cache directory (``$SPARK_DOCS_CACHE`` or
``~/.cache/spark-docs``), named by the lockfile's hash, so a warm run reuses it and a changed lock
installs afresh. LangFlow's pins (fastapi, sqlalchemy, ...) are not Spark's: it never shares a venv.

:class:`LangFlow` starts ``langflow run --backend-only`` on 127.0.0.1 with SQLite in a temporary
directory and no telemetry, in one of two setups:

* ``"no-auth"`` (the setup the docs recommend on a loopback or private network):
  ``LANGFLOW_AUTO_LOGIN=true`` and ``LANGFLOW_SKIP_AUTH_AUTO_LOGIN=true``; LangFlow answers
  requests without credentials and a Spark source is registered with an empty API key;
* ``"api-key"``: ``LANGFLOW_AUTO_LOGIN=true`` only; every request needs a key, which we create
  through LangFlow's API (``GET /api/v1/auto_login`` then ``POST /api/v1/api_key/``).

Command line::

    python tests/live/langflow.py lock            # re-pin every release's lockfile
    python tests/live/langflow.py install 1.13.0  # fill the cache
    python tests/live/langflow.py up [--setup api-key] [--release 1.13.0]
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from stack import (LOOPBACK, Process, StackError, _tail, answers_ok, http_json,  # noqa: E402
                   port_in_use, wait_for)

LOCK_DIR = HERE / "langflow"
#: LangFlow's number -> the package pinned in its lockfile (langflow-base was 0.N for LangFlow 1.N).
RELEASES = {"1.13.0": "langflow-base==1.13.0", "1.5.0": "langflow-base==0.5.0"}
NEWEST = "1.13.0"
#: Where the docs expect LangFlow: http://localhost:7860.
PORT = 7860
SETUPS = ("no-auth", "api-key")
UV_VERSION = "0.13.8"
PYTHON_VERSION = "3.11"


def cache_dir() -> Path:
    root = os.environ.get("SPARK_DOCS_CACHE") or Path.home() / ".cache" / "spark-docs"
    return Path(root)


def lockfile(release: str) -> Path:
    return LOCK_DIR / f"langflow-{release}.txt"


def uv() -> Path:
    """uv (pinned) in its own small venv in the cache; installed with pip on first use."""
    venv = cache_dir() / f"uv-{UV_VERSION}"
    binary = venv / "bin" / "uv"
    if binary.exists():
        return binary
    venv.parent.mkdir(parents=True, exist_ok=True)
    with _flock(venv.parent / f".uv-{UV_VERSION}.lock"):
        if not binary.exists():
            subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
            subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                            "install", "--quiet", f"uv=={UV_VERSION}"], check=True)
    return binary


class _flock:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        self.fh = open(self.path, "w")
        fcntl.flock(self.fh, fcntl.LOCK_EX)

    def __exit__(self, *exc: Any) -> None:
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def venv_for(release: str) -> Path:
    return _venv_path(lockfile(release), "langflow", release)


def _venv_path(lock: Path, kind: str, name: str) -> Path:
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()[:16]
    return cache_dir() / kind / f"{name}-{digest}"


def install(release: str, log=sys.stderr) -> Path:
    """The cached venv of ``release``, installed from its lockfile with uv when missing."""
    if release not in RELEASES:
        raise StackError(f"unknown LangFlow release {release}; known: {', '.join(RELEASES)}")
    return install_lock(lockfile(release), "langflow", release, log)


def install_lock(lock: Path, kind: str, name: str, log=sys.stderr) -> Path:
    """A venv under the cache with exactly the packages of ``lock``, made once per lock hash."""
    venv = _venv_path(lock, kind, name)
    marker = venv / ".installed"
    if marker.exists():
        return venv
    venv.parent.mkdir(parents=True, exist_ok=True)
    with _flock(venv.parent / f".{venv.name}.lock"):
        if marker.exists():
            return venv
        shutil.rmtree(venv, ignore_errors=True)
        start = time.monotonic()
        print(f"installing {kind} {name} from {lock.name} into {venv} ...", file=log, flush=True)
        tool = str(uv())
        proc = subprocess.run([tool, "venv", "--quiet", "--python", sys.executable, str(venv)],
                              capture_output=True, text=True)
        if proc.returncode == 0:
            proc = subprocess.run([tool, "pip", "sync", "--quiet", "--python",
                                   str(venv / "bin" / "python"), str(lock)],
                                  capture_output=True, text=True)
        if proc.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            raise StackError(f"installing {kind} {name} failed:\n{proc.stderr[-3000:]}")
        marker.write_text(f"{time.monotonic() - start:.1f}s\n")
        print(f"installed {kind} {name} in {time.monotonic() - start:.0f}s", file=log,
              flush=True)
    return venv


def lock_all() -> None:
    """Re-pin each release from its ``.in`` file (the package plus what it forgets)."""
    for release in RELEASES:
        source = LOCK_DIR / f"langflow-{release}.in"
        subprocess.run([str(uv()), "pip", "compile", "--quiet", "--python-version",
                        PYTHON_VERSION, source.name, "-o", lockfile(release).name],
                       cwd=LOCK_DIR, check=True)


class LangFlow:
    """``langflow run --backend-only`` on 127.0.0.1 with SQLite in a temporary directory."""

    def __init__(self, release: str = NEWEST, setup: str = "no-auth", port: int = PORT,
                 workdir: Path | None = None) -> None:
        if setup not in SETUPS:
            raise ValueError(f"setup must be one of {SETUPS}")
        self.release, self.setup, self.port = release, setup, port
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="langflow-"))
        self._own_workdir = workdir is None
        self.process: Process | None = None
        self.api_key = ""  # the key a Spark source is registered with ("" in the no-auth setup)
        self.token = ""    # a LangFlow JWT for our own calls (import of flows)
        self.version: dict = {}

    @property
    def url(self) -> str:
        """The URL as the docs write it."""
        return f"http://localhost:{self.port}"

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def log(self) -> Path:
        return self.workdir / "langflow.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LANGFLOW_")}
        config = self.workdir / "config"
        config.mkdir(parents=True, exist_ok=True)
        env.update({
            "HOME": str(self.workdir),
            "LANGFLOW_CONFIG_DIR": str(config),
            "LANGFLOW_DATABASE_URL": f"sqlite:///{config / 'langflow.db'}",
            "LANGFLOW_AUTO_LOGIN": "true",
            "LANGFLOW_LOG_LEVEL": "warning",
            "DO_NOT_TRACK": "true",
            "PYTHONUNBUFFERED": "1",
        })
        if self.setup == "no-auth":
            env["LANGFLOW_SKIP_AUTH_AUTO_LOGIN"] = "true"
        env.pop("VIRTUAL_ENV", None)
        return env

    def start(self, timeout: float = 180) -> "LangFlow":
        if port_in_use(self.port):
            raise StackError(f"port {self.port} on {LOOPBACK} is already in use; LangFlow "
                             "needs it (see `ss -ltnp`)")
        venv = install(self.release)
        # the command is `langflow` from langflow-base 1.12 on, `langflow-base` before
        command = next(c for c in (venv / "bin" / "langflow", venv / "bin" / "langflow-base")
                       if c.exists() or c.name == "langflow-base")
        self.process = Process(
            "langflow",
            [str(command), "run", "--backend-only", "--host", LOOPBACK,
             "--port", str(self.port), "--workers", "1"],
            env=self.env(), cwd=self.workdir, log=self.log)

        def healthy() -> bool:
            return answers_ok(f"{self.base}/health")

        try:
            wait_for(healthy, timeout, f"LangFlow {self.release} /health", interval=1,
                     alive=self.process.alive)
        except StackError as exc:
            log = _tail(self.log)
            self.stop()
            raise StackError(f"{exc}\n--- langflow.log ---\n{log}") from None
        status, login = http_json("GET", f"{self.base}/api/v1/auto_login")
        if status != 200 or "access_token" not in login:
            raise StackError(f"LangFlow auto_login answered {status}: {login}")
        self.token = login["access_token"]
        if self.setup == "api-key":
            status, key = http_json("POST", f"{self.base}/api/v1/api_key/", {"name": "spark"},
                                    headers=self.auth_headers())
            if status != 200 or "api_key" not in key:
                raise StackError(f"creating a LangFlow API key answered {status}: {key}")
            self.api_key = key["api_key"]
        status, self.version = http_json("GET", f"{self.base}/api/v1/version",
                                         headers=self.auth_headers())
        return self

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        return http_json(method, self.base + path, body=body, headers=self.auth_headers())

    def import_flow(self, flow: dict) -> str:
        """Create ``flow`` (a LangFlow export) and return its new id."""
        body = {k: flow[k] for k in ("name", "description", "data") if k in flow}
        status, created = self.call("POST", "/api/v1/flows/", body)
        if status not in (200, 201):
            raise StackError(f"importing flow {flow.get('name')!r} answered {status}: {created}")
        return created["id"]

    def delete_all_flows(self) -> None:
        status, flows = self.call("GET", "/api/v1/flows/?get_all=true&remove_example_flows=true")
        if status == 200 and isinstance(flows, list):
            for flow in flows:
                self.call("DELETE", f"/api/v1/flows/{flow['id']}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("lock", help="re-pin every release's lockfile with uv pip compile")
    inst = sub.add_parser("install", help="install a release into the cache")
    inst.add_argument("release", nargs="*", default=list(RELEASES))
    up = sub.add_parser("up", help="start LangFlow on 127.0.0.1:7860 until Ctrl-C")
    up.add_argument("--release", default=NEWEST, choices=list(RELEASES))
    up.add_argument("--setup", default="no-auth", choices=SETUPS)
    args = parser.parse_args(argv)
    if args.cmd == "lock":
        lock_all()
    elif args.cmd == "install":
        for release in args.release:
            print(install(release))
    else:
        lf = LangFlow(args.release, args.setup).start()
        print(f"LangFlow {lf.version} on {lf.url}, API key {lf.api_key!r}; Ctrl-C stops it",
              flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            lf.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
