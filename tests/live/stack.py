"""Start and stop a real automagik-spark 0.3.7 stack on 127.0.0.1 for the live docs tests.

The stack is:

* PostgreSQL: the distribution's cluster (Debian/Ubuntu ``pg_ctlcluster``), started if it is
  down, with a throw-away role and database (random suffix) dropped again at the end;
* Redis: our own ``redis-server`` process on a free port, nothing saved to disk;
* the schema, created the way the docs tell pip users (``Base.metadata.create_all``), because
  the 0.3.7 wheel ships no usable migrations;
* real LangFlow (:mod:`langflow`: ``langflow-base`` from a lockfile, installed with uv and
  cached) on 127.0.0.1:7860, where the docs expect it, with SQLite in a temporary directory, in
  the setup the docs recommend (no credentials, loopback only) unless told otherwise;
* ``automagik-spark api start`` on 127.0.0.1:8883 and ``automagik-spark worker start``
  (Celery worker + beat), both in the foreground as subprocesses, with the virtualenv's ``bin``
  first on ``PATH`` exactly as an activated venv would have it.

The virtualenv is the one running this code: ``Path(sys.executable).parent`` holds
``automagik-spark`` and ``celery``. Nothing here touches an address other than 127.0.0.1.

Besides the pytest fixture in ``conftest.py`` this module is a small command line tool for
page authors::

    .venv/bin/python tests/live/stack.py up                 # start, print the env, wait for Ctrl-C
    .venv/bin/python tests/live/stack.py run -- CMD ARGS    # start, run CMD with the env, stop
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

LOOPBACK = "127.0.0.1"
#: Spark's API port; the docs use http://localhost:8883.
API_PORT = 8883
#: Where the docs expect LangFlow: http://localhost:7860.
LANGFLOW_PORT = 7860
#: The Spark API key of the live stack (the value of ``.env.example`` upstream).
API_KEY = "namastex888"

#: One live stack per machine (fixed ports): Stack.start holds an flock on this file.
LOCK_FILE = "/tmp/spark-live-stack.lock"

#: Terminal width for documentation commands (rich tables wrap and cut cells at 80).
SHELL_COLUMNS = 160

#: Variables the stack exports; any inherited ``AUTOMAGIK_*``/``LANGFLOW_*`` value is dropped.
SPARK_ENV_PREFIXES = ("AUTOMAGIK_", "LANGFLOW_")

SCHEMA_SCRIPT = """\
python - <<'PY'
import os
from sqlalchemy import create_engine
from automagik_spark.core.database.models import Base

Base.metadata.create_all(create_engine(os.environ["AUTOMAGIK_SPARK_DATABASE_URL"]))
PY
"""


class StackError(RuntimeError):
    """The live stack could not be started."""


# ------------------------------------------------------------------------------------------
# small helpers
# ------------------------------------------------------------------------------------------

def venv_bin() -> Path:
    """The ``bin`` directory of the virtualenv running this interpreter (not resolved)."""
    return Path(sys.executable).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((LOOPBACK, port)) == 0


def wait_for(predicate, timeout: float, what: str, interval: float = 0.25,
             alive=None) -> Any:
    """Poll ``predicate`` until it returns a truthy value; ``alive`` may abort early."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if alive is not None and not alive():
            raise StackError(f"{what}: the process exited")
        if time.monotonic() > deadline:
            raise StackError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def http_json(method: str, url: str, body: Any = None, headers: dict | None = None,
              timeout: float = 30) -> tuple[int, Any]:
    """A tiny stdlib HTTP client (loopback only); returns (status, parsed JSON or text)."""
    if not url.startswith((f"http://{LOOPBACK}:", "http://localhost:")):
        raise ValueError(f"refusing a non-loopback URL: {url}")
    data = None
    hdrs = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, raw, encoding = resp.status, resp.read(), resp.headers.get("Content-Encoding")
    except urllib.error.HTTPError as exc:
        status, raw, encoding = exc.code, exc.read(), exc.headers.get("Content-Encoding")
    if encoding == "gzip":  # LangFlow 1.5 gzips /api/v1/all unasked
        import gzip
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", "replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def answers_ok(url: str, timeout: float = 5) -> bool:
    """True when ``GET url`` answers 200 (a health probe for ``wait_for``)."""
    try:
        return http_json("GET", url, timeout=timeout)[0] == 200
    except OSError:
        return False


def _gone(pid: int) -> bool:
    """True when process ``pid`` no longer runs (a zombie waiting for its parent counts)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Process:
    """A subprocess in its own session (process group), stopped by killing the group."""

    def __init__(self, name: str, argv: list[str], env: dict, cwd: Path, log: Path):
        self.name = name
        self.argv = argv
        self.log = log
        self._fh = open(log, "ab")
        self.popen = subprocess.Popen(
            argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=self._fh,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.pid = self.popen.pid  # == the process group id

    def alive(self) -> bool:
        return self.popen.poll() is None

    def _group_alive(self) -> bool:
        try:
            os.killpg(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM the whole group, then SIGKILL whatever is left (e.g. orphaned celery)."""
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                self.popen.poll()
                if not self._group_alive():
                    break
                time.sleep(0.1)
            if not self._group_alive():
                break
        try:
            self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._fh.close()


# ------------------------------------------------------------------------------------------
# PostgreSQL
# ------------------------------------------------------------------------------------------

class Postgres:
    """A throw-away role and database in the distribution's PostgreSQL cluster."""

    def __init__(self) -> None:
        suffix = secrets.token_hex(4)
        self.role = f"spark_live_{suffix}"
        self.database = self.role
        self.password = secrets.token_hex(16)
        self.version: str | None = None
        self.cluster: str | None = None
        self.port: int | None = None
        self.started_cluster = False
        self.created = False

    # running commands as the postgres OS user
    @staticmethod
    def _as_postgres(argv: list[str]) -> list[str]:
        if os.geteuid() == 0:
            if shutil.which("runuser"):
                return ["runuser", "-u", "postgres", "--", *argv]
            return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(map(_shq, argv))]
        if shutil.which("sudo"):
            return ["sudo", "-n", "-u", "postgres", "--", *argv]
        raise StackError("creating the test database needs root (runuser) or passwordless sudo")

    @staticmethod
    def _as_root(argv: list[str]) -> list[str]:
        if os.geteuid() == 0:
            return argv
        if shutil.which("sudo"):
            return ["sudo", "-n", *argv]
        raise StackError(f"{argv[0]} needs root or passwordless sudo")

    def _psql(self, sql: str, database: str = "postgres") -> str:
        argv = self._as_postgres(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-p",
                                  str(self.port), "-d", database, "-tA", "-c", sql])
        proc = subprocess.run(argv, capture_output=True, text=True, cwd="/", timeout=60)
        if proc.returncode != 0:
            raise StackError(f"psql failed ({sql!r}): {proc.stderr.strip()}")
        return proc.stdout

    @staticmethod
    def _clusters() -> list[list[str]]:
        proc = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True,
                              timeout=30)
        if proc.returncode != 0:
            raise StackError(f"pg_lsclusters failed: {proc.stderr.strip()}")
        return [line.split() for line in proc.stdout.splitlines() if line.strip()]

    def start(self) -> "Postgres":
        if not shutil.which("pg_lsclusters"):
            raise StackError("PostgreSQL (Debian postgresql-common) is not installed; "
                             "run tests/live/install-services.sh as root")
        clusters = self._clusters()
        if not clusters:
            versions = sorted(p.name for p in Path("/usr/lib/postgresql").iterdir()
                              if (p / "bin" / "postgres").exists())
            if not versions:
                raise StackError("no PostgreSQL server binaries under /usr/lib/postgresql")
            subprocess.run(self._as_root(["pg_createcluster", versions[-1], "main", "-o",
                                          f"listen_addresses={LOOPBACK}"]),
                           check=True, capture_output=True, timeout=120)
            clusters = self._clusters()
        # prefer an online cluster, else the newest one
        online = [c for c in clusters if c[3].startswith("online")]
        chosen = online[0] if online else sorted(clusters, key=lambda c: float(c[0]))[-1]
        self.version, self.cluster, self.port = chosen[0], chosen[1], int(chosen[2])
        if not online:
            proc = subprocess.run(
                self._as_root(["pg_ctlcluster", self.version, self.cluster, "start", "--",
                               "-o", f"-c listen_addresses={LOOPBACK}"]),
                capture_output=True, text=True, timeout=120)
            if proc.returncode != 0:  # e.g. redirected to systemctl: no pg_ctl options
                proc = subprocess.run(
                    self._as_root(["pg_ctlcluster", self.version, self.cluster, "start"]),
                    capture_output=True, text=True, timeout=120)
            if proc.returncode != 0:
                raise StackError(f"pg_ctlcluster start failed: {proc.stderr.strip()}")
            self.started_cluster = True
        wait_for(lambda: port_in_use(self.port), 60, f"PostgreSQL on {LOOPBACK}:{self.port}")
        self._psql(f"CREATE ROLE {self.role} LOGIN PASSWORD '{self.password}'")
        self._psql(f"CREATE DATABASE {self.database} OWNER {self.role}")
        self.created = True
        return self

    @property
    def url(self) -> str:
        return (f"postgresql://{self.role}:{self.password}@{LOOPBACK}:{self.port}"
                f"/{self.database}")

    def stop(self) -> None:
        if self.created:
            try:
                self._psql(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
                self._psql(f"DROP ROLE IF EXISTS {self.role}")
            finally:
                self.created = False
        if self.started_cluster:
            subprocess.run(self._as_root(["pg_ctlcluster", self.version, self.cluster, "stop"]),
                           capture_output=True, timeout=120)
            self.started_cluster = False


def _shq(arg: str) -> str:
    import shlex
    return shlex.quote(arg)


# ------------------------------------------------------------------------------------------
# Redis
# ------------------------------------------------------------------------------------------

class Redis:
    """Our own redis-server on a free loopback port."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.process: Process | None = None

    def _ping(self) -> bool:
        try:
            with socket.create_connection((LOOPBACK, self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def start(self, env: dict) -> "Redis":
        binary = shutil.which("redis-server") or (
            "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)
        if not binary:
            raise StackError("redis-server is not installed; run tests/live/install-services.sh "
                             "as root")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process = Process(
            "redis",
            [binary, "--bind", LOOPBACK, "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)],
            env=env, cwd=self.workdir, log=self.workdir / "redis.log")
        wait_for(self._ping, 30, f"redis-server on {LOOPBACK}:{self.port}",
                 alive=self.process.alive)
        return self

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


# ------------------------------------------------------------------------------------------
# the whole stack
# ------------------------------------------------------------------------------------------

def _encryption_key() -> str:
    try:
        from cryptography.fernet import Fernet
        return Fernet.generate_key().decode()
    except ImportError:  # same format: url-safe base64 of 32 random bytes
        return base64.urlsafe_b64encode(os.urandom(32)).decode()


class Stack:
    """PostgreSQL + Redis + LangFlow + Spark API + Spark worker, all on 127.0.0.1."""

    def __init__(self, with_worker: bool = True, api_port: int = API_PORT,
                 langflow_port: int = LANGFLOW_PORT, keep_tmp: bool = False,
                 langflow_release: str | None = None, langflow_setup: str = "no-auth") -> None:
        self.with_worker = with_worker
        self.langflow_release = langflow_release
        self.langflow_setup = langflow_setup
        self.api_port = api_port
        self.langflow_port = langflow_port
        self.keep_tmp = keep_tmp
        self.tmp = Path(tempfile.mkdtemp(prefix="spark-live-"))
        self.logs = self.tmp / "logs"
        self.home = self.tmp / "home"
        self.run_dir = self.tmp / "run"
        for d in (self.logs, self.home, self.run_dir):
            d.mkdir(parents=True, exist_ok=True)
        self.postgres: Postgres | None = None
        self.redis: Redis | None = None
        self.langflow = None  # a langflow.LangFlow once started
        self.api: Process | None = None
        self.worker: Process | None = None
        self.env: dict[str, str] = {}
        self._stopped = False
        self._lock = None
        self._lent: set[str] = set()  # processes a page runs itself (see lend)
        self.lay_out_home()

    # -- environment -------------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"http://{LOOPBACK}:{self.api_port}"

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": API_KEY}

    def _base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(SPARK_ENV_PREFIXES)}
        bin_dir = str(venv_bin())
        env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "/usr/bin:/bin")
        env["VIRTUAL_ENV"] = str(venv_bin().parent)
        # HOME is a throw-away dir; keep pip's download cache where it was, so the installation
        # page's `pip install` does not download every wheel again on each run
        env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
        env["HOME"] = str(self.home)
        env["PYTHONUNBUFFERED"] = "1"
        env.pop("PYTHONHOME", None)
        return env

    def _spark_env(self) -> dict[str, str]:
        assert self.postgres and self.redis
        env = self._base_env()
        env.update({
            "AUTOMAGIK_SPARK_DATABASE_URL": self.postgres.url,
            "AUTOMAGIK_SPARK_CELERY_BROKER_URL": self.redis.url,
            "AUTOMAGIK_SPARK_CELERY_RESULT_BACKEND": self.redis.url,
            "AUTOMAGIK_SPARK_API_KEY": API_KEY,
            "AUTOMAGIK_SPARK_ENCRYPTION_KEY": _encryption_key(),
            "AUTOMAGIK_SPARK_WORKER_LOG": str(self.logs / "worker.log"),
            "AUTOMAGIK_SPARK_DISABLE_TELEMETRY": "true",
            "AUTOMAGIK_SPARK_API_HOST": LOOPBACK,
            "AUTOMAGIK_SPARK_API_PORT": str(self.api_port),
            "AUTOMAGIK_SPARK_REMOTE_URL": f"http://localhost:{self.api_port}",
            "AUTOMAGIK_TIMEZONE": "UTC",
            # the API's start-up probe for AutoMagik Agents; keep it on loopback
            "AUTOMAGIK_API_HOST": LOOPBACK,
            "AUTOMAGIK_API_PORT": "8881",
            # Spark's default LangFlow URL (also where the docs point sources)
            "LANGFLOW_API_URL": f"http://localhost:{self.langflow_port}",
        })
        return env

    # -- lifecycle ---------------------------------------------------------------------------
    def _check_ports(self) -> None:
        busy = [p for p in (self.api_port, self.langflow_port) if port_in_use(p)]
        if busy:
            raise StackError(
                f"port(s) {busy} on {LOOPBACK} are already in use; the live stack needs "
                f"{self.api_port} (Spark API) and {self.langflow_port} (LangFlow) free "
                "(see `ss -ltnp`)")

    def start(self) -> "Stack":
        # On the docs' fixed ports (8883, 7860) only one stack fits a machine, be it the pytest
        # suite or `stack.py up/run`: wait for the other one to finish.
        if (self.api_port, self.langflow_port) == (API_PORT, LANGFLOW_PORT):
            self._lock = open(LOCK_FILE, "w")
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        atexit.register(self.stop)
        try:
            self._check_ports()
            self.postgres = Postgres().start()
            self.redis = Redis(self.tmp / "redis").start(self._base_env())
            self.env = self._spark_env()
            self.write_env_file()
            self.create_schema()
            import langflow  # sibling module; imports this one

            self.langflow = langflow.LangFlow(
                self.langflow_release or langflow.NEWEST, self.langflow_setup,
                port=self.langflow_port, workdir=self.tmp / "langflow")
            self.langflow.start()
            self.start_api()
            if self.with_worker:
                self.start_worker()
        except BaseException:
            self.stop()
            raise
        return self

    def create_schema(self) -> None:
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-c", SCHEMA_SCRIPT],
                              env=self.env, cwd=self.run_dir, capture_output=True, text=True,
                              timeout=120)
        if proc.returncode != 0:
            raise StackError(f"creating the schema failed:\n{proc.stdout}\n{proc.stderr}")

    def start_api(self) -> None:
        self.api = Process(
            "api",
            ["automagik-spark", "api", "start", "--host", LOOPBACK, "--port", str(self.api_port)],
            env=self.env, cwd=self.run_dir, log=self.logs / "api.log")

        def healthy() -> bool:
            return answers_ok(f"{self.api_url}/health", timeout=10)

        try:
            wait_for(healthy, 60, "the Spark API /health", interval=0.5, alive=self.api.alive)
        except StackError as exc:
            raise StackError(f"{exc}\n--- api.log ---\n{_tail(self.api.log)}") from None

    def start_worker(self) -> None:
        log = self.logs / "worker-stdout.log"
        start = log.stat().st_size if log.exists() else 0  # a restart appends to the log
        self.worker = Process(
            "worker", ["automagik-spark", "worker", "start", "--threads", "2"],
            env=self.env, cwd=self.run_dir, log=log)

        def ready() -> bool:
            with open(log, "rb") as fh:
                fh.seek(start)
                text = fh.read().decode(errors="replace")
            return "celery@automagik ready" in text and "beat: Starting" in text

        try:
            wait_for(ready, 90, "the Celery worker and beat", interval=0.5,
                     alive=self.worker.alive)
        except StackError as exc:
            raise StackError(f"{exc}\n--- worker ---\n{_tail(log)}") from None

    def lend(self, names: list[str]) -> None:
        """Stop the stack's API and/or worker (``names``) for a page block that starts its own
        (``:hand-over: api``); :meth:`lending` starts them again after the page."""
        for name in ("worker", "api"):
            process = getattr(self, name)
            if name in names and process is not None:
                process.stop()
                setattr(self, name, None)
                self._lent.add(name)

    @contextlib.contextmanager
    def lending(self):
        """Around a page: yields :meth:`lend`; afterwards (also on failure) stops a daemon
        worker the page may have left running and starts again what was lent."""
        try:
            yield self.lend
        finally:
            self.stop_daemon_worker()
            if "api" in self._lent:
                wait_for(lambda: not port_in_use(self.api_port), 30,
                         f"port {self.api_port} to be free again")
                self.start_api()
            if "worker" in self._lent:
                self.start_worker()
            self._lent.clear()

    def stop_daemon_worker(self) -> None:
        """Kill a daemon worker and beat (``worker start --daemon``) by their PID files in
        the worker log's directory, and remove the files they wrote there."""
        run_dir = Path(self.env["AUTOMAGIK_SPARK_WORKER_LOG"]).parent
        for name in ("worker.pid", "beat.pid"):
            pid_file = run_dir / name
            try:
                pid = int(pid_file.read_text().strip())
            except (OSError, ValueError):
                continue
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    break
                try:
                    wait_for(lambda: _gone(pid), 10, f"the daemon {name[:-4]} (PID {pid})")
                    break
                except StackError:
                    continue
            pid_file.unlink(missing_ok=True)
        for name in ("worker.log", "beat.log"):
            if (run_dir / name).exists():
                (run_dir / name).write_text("")

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        errors = []
        for name, stopper in (
            ("worker", lambda: self.worker and self.worker.stop()),
            ("api", lambda: self.api and self.api.stop()),
            ("langflow", lambda: self.langflow and self.langflow.stop()),
            ("redis", lambda: self.redis and self.redis.stop()),
            ("postgres", lambda: self.postgres and self.postgres.stop()),
        ):
            try:
                stopper()
            except Exception as exc:  # keep stopping the rest
                errors.append(f"{name}: {exc}")
        if not self.keep_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None
        try:
            atexit.unregister(self.stop)
        except Exception:
            pass
        if errors:
            raise StackError("teardown problems: " + "; ".join(errors))

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- helpers for tests ----------------------------------------------------------------------
    def shell_env(self) -> dict[str, str]:
        """The environment for documentation commands: the stack's env plus a terminal width
        (Spark's rich tables are cut to 80 columns without one). The cwd is up to the caller."""
        env = dict(self.env)
        env["COLUMNS"] = str(SHELL_COLUMNS)
        return env

    def lay_out_home(self) -> None:
        """``~/spark/.venv/bin/activate`` and the env file as the installation page leaves them
        (pages `source` both): a copy of this virtualenv's script, which activates this
        virtualenv. A directory of its own, so a page that creates ``~/spark/.venv`` never touches
        the real one."""
        shutil.rmtree(self.home / "spark", ignore_errors=True)
        bin_dir = self.home / "spark" / ".venv" / "bin"
        bin_dir.mkdir(parents=True)
        shutil.copy(venv_bin() / "activate", bin_dir / "activate")
        if self.env:  # known once the stack has started
            self.write_env_file()

    def write_env_file(self) -> None:
        """``~/.config/automagik-spark/spark.env`` (mode 600) as the installation page leaves it,
        with the stack's own values: a page that loads it changes nothing in its shell."""
        import shlex

        path = self.home / ".config" / "automagik-spark" / "spark.env"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"{k}={shlex.quote(v)}" for k, v in sorted(self.env.items())
                 if k.startswith(SPARK_ENV_PREFIXES)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        path.chmod(0o600)

    def reset(self) -> None:
        """Empty every Spark table (like ``automagik-spark db clear``), delete every LangFlow
        flow and lay out ``~/spark`` again."""
        self.lay_out_home()
        import psycopg  # a dependency of the venv (SQLAlchemy 2.1's default driver)

        assert self.postgres
        with psycopg.connect(self.postgres.url, autocommit=True) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
            if tables:
                conn.execute("SET lock_timeout = '10s'")
                names = ", ".join(f'"{t}"' for t in tables)
                for attempt in range(5):
                    try:
                        conn.execute(f"TRUNCATE {names} CASCADE")
                        break
                    except psycopg.errors.LockNotAvailable:
                        if attempt == 4:
                            raise
        if self.langflow:
            self.langflow.delete_all_flows()

    def api_call(self, method: str, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        return http_json(method, self.api_url + path, body=body, headers=self.headers, **kw)

    def logs_tail(self) -> str:
        parts = []
        for name in ("api.log", "worker-stdout.log"):
            parts.append(f"--- {name} ---\n{_tail(self.logs / name)}")
        if self.langflow:
            parts.append(f"--- langflow.log ---\n{_tail(self.langflow.log)}")
        return "\n".join(parts)


# ------------------------------------------------------------------------------------------
# command line
# ------------------------------------------------------------------------------------------

def _print_env(stack: Stack) -> None:
    import shlex
    env = stack.shell_env()
    for key in sorted(env):
        if key.startswith(SPARK_ENV_PREFIXES) or key in ("PATH", "HOME", "COLUMNS"):
            print(f"export {key}={shlex.quote(env[key])}")


def main(argv: list[str] | None = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(description="Run the live Spark stack on 127.0.0.1.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("up", help="start the stack, print its environment, wait for Ctrl-C")
    run = sub.add_parser("run", help="start the stack, run a command in its env, stop")
    run.add_argument("command", nargs=argparse.REMAINDER)
    for p in sub.choices.values():
        p.add_argument("--no-worker", action="store_true", help="do not start the worker")
    args = parser.parse_args(argv)

    stack = Stack(with_worker=not args.no_worker)
    print(f"starting the live stack (logs in {stack.logs}) ...", file=sys.stderr, flush=True)
    stack.start()
    try:
        if args.cmd == "up":
            _print_env(stack)
            print(f"# Spark API {stack.api_url}, LangFlow {stack.langflow.version.get('version')}"
                  f" at {stack.langflow.url} ({stack.langflow.setup}); Ctrl-C stops everything",
                  flush=True)
            def _interrupt(*_: Any) -> None:
                raise KeyboardInterrupt

            signal.signal(signal.SIGTERM, _interrupt)
            signal.signal(signal.SIGINT, _interrupt)  # even when started in the background
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        if not command:
            parser.error("run needs a command")
        return subprocess.run(command, env=stack.shell_env()).returncode
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
