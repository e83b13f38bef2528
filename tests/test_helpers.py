"""The quick paths the tests take answer as the slow ones do: Sphinx in-process as sphinx-build,
the session's Node process (tests/js/serve.mjs) as each script run alone."""
from __future__ import annotations

import shutil

import pytest

import helpers_node
import support
from helpers_sphinx import sphinx_build

ROOT = support.TESTS / "roots" / "components"


def _site(tmp_path, name: str):
    """An MDX site with one page, NAME, that links to a missing page and holds a JS expression
    (which Mintlify parses, and check_pages flags: its text would be lost)."""
    (tmp_path / name / "spark").mkdir(parents=True)
    (tmp_path / name / "spark" / f"{name}.mdx").write_text(
        f"# Home\n\n[gone](/spark/{name}-missing) costs {{1 + 1}}.\n")
    return tmp_path / name


@pytest.mark.parametrize("script", ["broken_links.mjs", "check_pages.mjs"])
def test_served_scripts_answer_as_a_script_run_alone(tmp_path, script):
    first, second = _site(tmp_path, "first"), _site(tmp_path, "second")
    served = [helpers_node.node_json(script, str(site)) for site in (first, second)]
    alone = [support.node_json(script, str(site)) for site in (first, second)]
    assert served == alone
    assert served[0] != served[1]  # nothing of the first run is left in the second
    assert served[0] not in ([], {"pages": 1, "problems": {}})  # the sites are broken


def test_a_failing_served_script_fails_the_test_with_its_error(tmp_path):
    with pytest.raises(AssertionError, match="ENOENT"):
        helpers_node.node_json("check_pages.mjs", str(tmp_path / "nowhere"))
    assert helpers_node.node_json("check_pages.mjs", str(tmp_path)) == {"pages": 0, "problems": {}}


def test_in_process_build_warns_as_sphinx_build(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "conf.py", src / "conf.py")
    (src / "index.md").write_text("# Bad\n\n:::{mint-card} T\n:colour: red\nx\n:::\n\n"
                                  "{ref}`nolabel`\n")
    alone = support.sphinx_build("mdx", src, tmp_path / "a", tmp_path / "da", confdir=src,
                                 check=False)
    inside = sphinx_build("mdx", src, tmp_path / "b", tmp_path / "db", confdir=src, check=False)
    assert inside.returncode == alone.returncode
    assert inside.stderr.splitlines() == alone.stderr.splitlines()
    assert alone.returncode == 1 and len(alone.stderr.splitlines()) == 2, alone.stderr
    assert "index.md:4: " in alone.stderr and "index.md:8: " in alone.stderr


def test_in_process_build_undoes_what_conf_py_did_to_sys_path(tmp_path):
    import sys

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text("import sys\nsys.path.insert(0, %r)\nextensions = ['local_ext']\n"
                                 % str(src))
    (src / "local_ext.py").write_text("def setup(app):\n    return {'parallel_read_safe': True}\n")
    (src / "index.rst").write_text("Page\n====\n")
    sphinx_build("html", src, tmp_path / "out", tmp_path / "d", confdir=src)
    assert str(src) not in sys.path and "local_ext" not in sys.modules


def test_in_process_build_starts_clean_after_an_app_left_docutils_state(tmp_path):
    """An app made outside docutils_namespace() leaves its directives, roles and nodes registered
    for the whole session; a later in-process build must not warn that they already are."""
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "conf.py", src / "conf.py")
    (src / "index.md").write_text("# Page\n\nText.\n")
    Sphinx(src, src, tmp_path / "left", tmp_path / "dl", "html", status=None, warning=None).build()
    assert sphinx_build("mdx", src, tmp_path / "out", tmp_path / "d", confdir=src).stderr == ""
