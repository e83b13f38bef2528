"""The benchmark script works (smoke mode: one run of the 50-page corpus). Numbers are not
checked here: benchmarks are not timed tests; `make bench` reports them."""
from __future__ import annotations

import subprocess
import sys

from support import REPO


def test_bench_smoke_runs_every_build_once():
    proc = subprocess.run([sys.executable, "bench/run.py", "--smoke"], cwd=REPO,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    for row in ("dummy", "mdx", "html", "noop", "edit", "peer"):
        assert row in proc.stdout, row
