"""One long-lived Node process for the tests that ask Mintlify's parser many small questions."""
from __future__ import annotations

import json
import os
import select
import subprocess
import tempfile

from support import NODE_MODULES, TESTS


class NodeLines:
    """tests/js/SCRIPT kept running: each call writes one JSON line to its stdin and reads the one
    JSON line it answers. Starting Node with Mintlify's packages costs about a second, so a
    property test that asks once per example pays it once, not once per example."""

    def __init__(self, script: str) -> None:
        assert (NODE_MODULES / "mint").is_dir(), "tests/node_modules is missing: run `make node`"
        env = {**os.environ, "HOME": str(NODE_MODULES / ".home"),
               "MINTLIFY_TELEMETRY_DISABLED": "1", "DO_NOT_TRACK": "1"}
        self.script = script
        self.stderr = tempfile.TemporaryFile("w+")  # a file, not a pipe: it never fills and blocks
        self.proc = subprocess.Popen(["node", str(TESTS / "js" / script)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr, text=True,
                                     cwd=TESTS, env=env)

    def __call__(self, request, timeout: float = 600):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        # one line out per line in, so nothing is left buffered: the pipe says when it is ready
        if not select.select([self.proc.stdout], [], [], timeout)[0]:
            self.proc.kill()
            raise AssertionError(f"tests/js/{self.script} gave no answer in {timeout} s")
        line = self.proc.stdout.readline()
        if not line:
            self.stderr.seek(0)
            raise AssertionError(f"node exited with {self.proc.wait()}: {self.stderr.read()[-3000:]}")
        return json.loads(line)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.stderr.close()
