"""Test helpers: the repository paths, Node tool runners and Sphinx builds."""
from __future__ import annotations

import hashlib
import json
import os
import re
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


# Shows every deprecation warning (Python hides PendingDeprecationWarning and most
# DeprecationWarnings), so a build's stderr says whether our code uses a deprecated API.
SHOW_DEPRECATIONS = {"PYTHONWARNINGS": "default::DeprecationWarning,default::PendingDeprecationWarning"}
_PY_WARNING = re.compile(r"^(?P<file>\S+\.py):(?P<line>\d+): (?P<kind>\w*Warning): (?P<msg>.*)$",
                         re.M)


def sphinx_build(builder: str, srcdir: Path, outdir: Path, doctrees: Path, *extra: str,
                 confdir: Path = REPO, check: bool = True,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    cmd = [*SPHINX_BUILD, "-b", builder, "-c", str(confdir), "-d", str(doctrees), *STRICT,
           "--no-color", *extra, str(srcdir), str(outdir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, **(env or {})})
    if check:
        assert proc.returncode == 0, proc.stderr[-5000:]
    return proc


# What an incremental build cannot see change: our extensions, the configuration, templates,
# pinned tools and the data files pages read (Sphinx itself tracks the .md pages).
TOOLCHAIN = ["_ext", "conf.py", "_templates", "requirements.txt", "tests/package-lock.json",
             "tools/mermaid/package-lock.json", "source"]


def toolchain_stamp() -> str:
    digest = hashlib.sha256()
    for entry in TOOLCHAIN:
        path = REPO / entry
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts and file.suffix != ".md":
                digest.update(file.relative_to(REPO).as_posix().encode() + b"\0")
                digest.update(file.read_bytes())
    return digest.hexdigest()


def deprecations_in_our_code(stderr: str) -> list[str]:
    """The deprecation warnings in a build's stderr (built with SHOW_DEPRECATIONS) that our
    code raised: any file outside site-packages (third-party ones are not ours to fix)."""
    return [m.group(0) for m in _PY_WARNING.finditer(stderr)
            if "Deprecation" in m.group("kind") and "site-packages" not in m.group("file")]


class Site:
    """The whole site built once in both formats on one doctree cache."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.doctrees = root / "doctrees"
        self.html = root / "html"
        self.mdx = root / "mdx"

    def build(self, keep: bool = False) -> None:
        """keep=True (`make test-fast`): build incrementally on what an earlier run left in
        root. That is thrown away when the toolchain changed or a build failed, so what is kept
        always comes from a clean -W build: a warning on a page is reported again as long as
        the page is unchanged only because the page was never kept with one. `make test`
        always builds from scratch."""
        stamp = self.root / "TOOLCHAIN"
        current = toolchain_stamp() if keep else ""
        if keep and not (stamp.is_file() and stamp.read_text() == current):
            shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            self.stderr = "".join(
                sphinx_build(builder, SOURCE, out, self.doctrees, "-j", "auto",
                             env=SHOW_DEPRECATIONS).stderr
                for builder, out in (("html", self.html), ("mdx", self.mdx)))
        except BaseException:
            if keep:
                shutil.rmtree(self.root, ignore_errors=True)
            raise
        if keep:
            stamp.write_text(current)

    def pages(self) -> list[str]:
        return sorted(str(p.relative_to(SOURCE).with_suffix("")) for p in SOURCE.rglob("*.md"))





def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("_build"))
    return dst
