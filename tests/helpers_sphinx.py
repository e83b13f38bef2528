"""Sphinx builds inside the test process: what ``sphinx-build -W --keep-going -n`` does, without
starting an interpreter and importing Sphinx, docutils and our extensions for every small build
(about 0.5 s each, most of tests/test_components.py's time). Same call as support.sphinx_build."""
from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.testing.util import _clean_up_global_state
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace, patch_docutils

from support import REPO


@dataclass
class Build:
    returncode: int  # sphinx-build's: 0, or 1 when a warning was raised (-W)
    stderr: str  # the warnings, one "file:line: WARNING: message [type]" a line


def sphinx_build(builder: str, srcdir: Path, outdir: Path, doctrees: Path, *extra: str,
                 confdir: Path = REPO, check: bool = True) -> Build:
    """``sphinx-build -b builder -c confdir -d doctrees -W --keep-going -n [-j N]``."""
    jobs = 1
    if extra:
        if len(extra) != 2 or extra[0] != "-j":
            raise ValueError(f"only -j N is supported in-process, not {extra}")
        jobs = int(extra[1])
    nocolor()  # as sphinx-build writing to a file or pipe: plain "file:line: WARNING: ..." lines
    # docutils' directives, roles and nodes are global: start from none, as sphinx-build does,
    # whatever an app made elsewhere in the session left (Sphinx's own test fixtures do this)
    _clean_up_global_state()
    warnings, path, modules = io.StringIO(), sys.path[:], set(sys.modules)
    try:
        with patch_docutils(confdir), docutils_namespace():
            app = Sphinx(srcdir, confdir, outdir, doctrees, builder, status=None,
                         warning=warnings, confoverrides={"nitpicky": True},
                         warningiserror=True, parallel=jobs)
            app.build()
    finally:  # what a conf.py put on sys.path, and the modules it imported from there, go
        sys.path[:] = path
        for name in set(sys.modules) - modules:
            if Path(getattr(sys.modules[name], "__file__", None) or "/").is_relative_to(confdir):
                del sys.modules[name]
    result = Build(app.statuscode, warnings.getvalue())
    if check:
        assert result.returncode == 0, result.stderr[-5000:]
    return result
