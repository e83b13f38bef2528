"""No deprecated API in our code: the site's builds run with every deprecation warning shown,
and none may come from our extensions or conf.py (third-party ones, e.g. myst-parser's use of
MystReferenceResolver.app, are theirs to fix; pyproject.toml filters only those in-process)."""
from __future__ import annotations

import textwrap

from support import SHOW_DEPRECATIONS, deprecations_in_our_code, sphinx_build


def test_our_code_uses_no_deprecated_api(site):
    assert deprecations_in_our_code(site.stderr) == []


def test_a_deprecated_call_in_an_extension_is_caught(tmp_path):
    (tmp_path / "legacy_ext.py").write_text(textwrap.dedent('''
        import warnings

        def setup(app):
            warnings.warn("old API", PendingDeprecationWarning, stacklevel=1)
            return {"parallel_read_safe": True}
    '''))
    (tmp_path / "conf.py").write_text("import sys\nsys.path.insert(0, %r)\n"
                                      "extensions = ['legacy_ext']\n" % str(tmp_path))
    (tmp_path / "index.rst").write_text("Title\n=====\n\nText.\n")
    proc = sphinx_build("html", tmp_path, tmp_path / "out", tmp_path / "d", confdir=tmp_path,
                        env=SHOW_DEPRECATIONS)
    found = deprecations_in_our_code(proc.stderr)
    assert len(found) == 1 and "legacy_ext.py" in found[0] and "old API" in found[0], \
        proc.stderr[-2000:]


def test_a_deprecation_warning_in_a_test_is_an_error(request):
    """In-process (Sphinx run inside a test), pyproject.toml turns them into errors."""
    rules = request.config.getini("filterwarnings")
    assert {"error::DeprecationWarning", "error::PendingDeprecationWarning"} <= set(rules)
    assert all(rule.startswith("error") or "myst_parser" in rule for rule in rules), rules
