"""The reverse proxy setup: Debian's nginx in front of LangFlow, on loopback.

Spark 0.3.7 sends a source's key as ``x-api-key`` on most calls but as ``Authorization: Bearer
<key>`` when it fetches a flow for a manual run; LangFlow accepts a key only as ``x-api-key``.
The proxy turns ``Authorization: Bearer <key>`` into ``x-api-key: <key>`` (and passes an
``x-api-key`` through), so LangFlow can keep its API key on. :data:`NGINX_CONF` is the whole
configuration, as the docs show it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from stack import LOOPBACK, Process, StackError, _tail, port_in_use, wait_for

#: the part a reader adds to their nginx (``http`` context), with UPSTREAM and PORT filled in
NGINX_SITE = """\
map $http_authorization $langflow_key {
    "~^Bearer\\s+(?<key>\\S+)$" $key;
    default $http_x_api_key;
}
server {
    listen 127.0.0.1:PORT;
    location / {
        proxy_pass http://127.0.0.1:UPSTREAM;
        proxy_set_header Authorization "";
        proxy_set_header x-api-key $langflow_key;
        proxy_set_header Host $host;
        proxy_buffering off;
        proxy_read_timeout 300s;
    }
}
"""


class NginxProxy:
    def __init__(self, upstream_port: int, port: int) -> None:
        self.upstream_port, self.port = upstream_port, port
        self.workdir = Path(tempfile.mkdtemp(prefix="nginx-"))
        self.workdir.chmod(0o755)  # nginx workers run as nobody
        self.process: Process | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def config(self) -> str:
        tmp = self.workdir
        site = NGINX_SITE.replace("UPSTREAM", str(self.upstream_port)).replace(
            "PORT", str(self.port))
        temp_paths = "".join(f"    {name}_temp_path {tmp / name};\n"
                             for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        return (f"daemon off;\nworker_processes 1;\npid {tmp / 'nginx.pid'};\n"
                f"error_log {tmp / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
                f"http {{\n    access_log off;\n{temp_paths}"
                + "".join("    " + line + "\n" for line in site.splitlines()) + "}\n")

    def start(self) -> "NginxProxy":
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise StackError("nginx is not installed; run tests/install-system-deps.sh as root")
        if port_in_use(self.port):
            raise StackError(f"port {self.port} is in use")
        conf = self.workdir / "nginx.conf"
        conf.write_text(self.config())
        self.process = Process("nginx", [binary, "-c", str(conf), "-p", str(self.workdir)],
                               env={"PATH": "/usr/sbin:/usr/bin:/bin"}, cwd=self.workdir,
                               log=self.workdir / "stdout.log")
        try:
            wait_for(lambda: port_in_use(self.port), 30, f"nginx on {LOOPBACK}:{self.port}",
                     alive=self.process.alive)
        except StackError as exc:
            log = _tail(self.workdir / "error.log")
            self.stop()
            raise StackError(f"{exc}\n--- error.log ---\n{log}") from None
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
        shutil.rmtree(self.workdir, ignore_errors=True)
