"""`make livehtml` (tools/livehtml.py): an edit is rebuilt strict and served; a bad edit is reported
and the last build stays served."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

from support import REPO, TESTS


def _wait_for(log, pattern: str, count: int, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text()
        if len(re.findall(pattern, text)) >= count:
            return text
        time.sleep(0.1)
    raise AssertionError(f"no {count}x {pattern!r} in {timeout} s:\n{log.read_text()[-3000:]}")


def test_an_edit_is_rebuilt_and_served_and_a_bad_one_reported(tmp_path):
    src = shutil.copytree(TESTS / "roots" / "components", tmp_path / "src")
    log = tmp_path / "livehtml.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, str(REPO / "tools" / "livehtml.py"), "-b", "html", "-c", str(src),
             "-d", str(tmp_path / "doctrees"), "-W", "--keep-going", "-n", "-j", "1",
             "--port", "0", str(src), str(tmp_path / "html")],
            stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"})
    try:
        started = _wait_for(log, "Waiting to detect", 1)
        url = re.search(r"Serving on (http://[\d.]+:\d+)", started)[1]
        time.sleep(1)  # the watcher starts with the server, after this line
        page = src / "markdown.md"
        page.write_text(page.read_text() + "\nA sentence added while serving.\n")
        _wait_for(log, r"Serving on", 2)
        served = urllib.request.urlopen(f"{url}/markdown.html", timeout=30).read().decode()
        assert "A sentence added while serving." in served
        page.write_text(page.read_text() + "\n:::{mint-card} T\n:colour: red\nx\n:::\n")
        text = _wait_for(log, r"Serving on", 3)
        assert re.search(r"markdown\.md:\d+: WARNING: .*colour", text), text[-3000:]
        assert "Sphinx exited with exit code 1" in text
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
