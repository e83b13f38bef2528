"""Test helpers: the repository paths, Node tool runners and Sphinx builds."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
SOURCE = REPO / "source"
NODE_MODULES = TESTS / "node_modules"
SPHINX_BUILD = [sys.executable, "-m", "sphinx"]
STRICT = ["-W", "--keep-going", "-n"]
os.environ["SPARK_DOCS_REPO"] = str(REPO)


def node_json(script: str, *args: str, stdin: str | None = None, timeout: int = 600):
    """Run one of tests/js/*.mjs with Mintlify's packages and return its JSON output."""
    assert (NODE_MODULES / "mint").is_dir(), "tests/node_modules is missing: run `make node`"
    env = {**os.environ, "HOME": str(TESTS / "node_modules" / ".home"),
           "MINTLIFY_TELEMETRY_DISABLED": "1", "DO_NOT_TRACK": "1"}
    proc = subprocess.run(["node", str(TESTS / "js" / script), *args], input=stdin,
                          capture_output=True, text=True, cwd=TESTS, env=env, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def sphinx_build(builder: str, srcdir: Path, outdir: Path, doctrees: Path, *extra: str,
                 confdir: Path = REPO, check: bool = True) -> subprocess.CompletedProcess:
    cmd = [*SPHINX_BUILD, "-b", builder, "-c", str(confdir), "-d", str(doctrees), *STRICT,
           *extra, str(srcdir), str(outdir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if check:
        assert proc.returncode == 0, proc.stderr[-5000:]
    return proc


class Site:
    """The whole site built once in both formats on one doctree cache."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.doctrees = root / "doctrees"
        self.html = root / "html"
        self.mdx = root / "mdx"

    def build(self) -> None:
        sphinx_build("html", SOURCE, self.html, self.doctrees, "-j", "auto")
        sphinx_build("mdx", SOURCE, self.mdx, self.doctrees, "-j", "auto")

    def pages(self) -> list[str]:
        return sorted(str(p.relative_to(SOURCE).with_suffix("")) for p in SOURCE.rglob("*.md"))





def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("_build"))
    return dst
