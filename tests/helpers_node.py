"""Long-lived Node processes for the tests that ask Mintlify's packages many questions: starting
Node and loading them costs 1-3 s a call, more than most answers take."""
from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import tempfile
import time

from support import NODE_MODULES, TESTS


class NodeLines:
    """tests/js/SCRIPT kept running: each call writes one JSON line to its stdin and returns the
    JSON of the next line it prints that starts with ``marker`` (other output is skipped)."""

    def __init__(self, script: str, marker: str = "") -> None:
        assert (NODE_MODULES / "mint").is_dir(), "tests/node_modules is missing: run `make node`"
        env = {**os.environ, "HOME": str(NODE_MODULES / ".home"),
               "MINTLIFY_TELEMETRY_DISABLED": "1", "DO_NOT_TRACK": "1"}
        self.script, self.marker, self.buffer = script, marker, b""
        self.stderr = tempfile.TemporaryFile("w+")  # a file, not a pipe: it never fills and blocks
        self.proc = subprocess.Popen(["node", str(TESTS / "js" / script)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr, cwd=TESTS, env=env)

    def __call__(self, request, timeout: float = 600):
        self.proc.stdin.write(json.dumps(request).encode() + b"\n")
        self.proc.stdin.flush()
        deadline = time.monotonic() + timeout
        while not (line := self._line(deadline)).startswith(self.marker):
            pass
        return json.loads(line[len(self.marker):])

    def _line(self, deadline: float) -> str:
        out = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            if not select.select([out], [], [], max(0, deadline - time.monotonic()))[0]:
                self.proc.kill()
                raise AssertionError(f"tests/js/{self.script} gave no answer in time")
            chunk = os.read(out, 1 << 16)
            if not chunk:
                self.stderr.seek(0)
                raise AssertionError(f"tests/js/{self.script} exited with {self.proc.wait()}: "
                                     f"{self.stderr.read()[-3000:]}")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)
        self.stderr.close()


_served: NodeLines | None = None


def node_json(script: str, *args: str):
    """What support.node_json returns for tests/js/SCRIPT ARGS, from one Node process for the
    whole session (tests/js/serve.mjs runs each script afresh there; its packages stay loaded)."""
    global _served
    if _served is None or _served.proc.poll() is not None:
        _served = NodeLines("serve.mjs", marker="@@serve ")
        atexit.register(_served.close)
    reply = _served({"script": script, "args": [str(arg) for arg in args]})
    assert "error" not in reply, f"tests/js/{script}: {reply['error'][-3000:]}"
    return reply["out"]
