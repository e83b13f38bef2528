"""Session fixtures: one full-site build in both formats."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from support import REPO, Site

# The tests read what their tools write to a pipe as plain text, as those tools write it when
# nothing forces colour. A CI runner that exports FORCE_COLOR colours sphinx-build's warnings
# (and Node's, the product's) but not the in-process build's, so exact comparisons failed there.
os.environ.pop("FORCE_COLOR", None)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    # `make test-fast` keeps the site between runs (SPARK_TEST_SITE=_build/test-site):
    # an unchanged site is then checked in seconds. Otherwise a fresh build in a temp dir.
    kept = os.environ.get("SPARK_TEST_SITE")
    built = Site(REPO / kept if kept else tmp_path_factory.mktemp("site"))
    built.build(keep=bool(kept))
    return built


# Left out by `make test-fast` (-m "not slow"), run by `make test`: the checks that build the
# whole site again (serial vs parallel, incremental, suite merges, Read the Docs, the benchmark)
# or drive Mintlify's Node pipeline over every page. Each costs 10-60 s on two cores.
SLOW = {
    "tests/test_site.py": {"test_parallel_build_is_byte_identical",
                           "test_incremental_rebuilds_write_only_what_changed",
                           "test_every_page_parses_and_renders_with_mintlify",
                           "test_no_broken_internal_links_or_anchors",
                           "test_suite_merge_fails_on_a_clashing_redirect_other_colours_or_no_tabs",
                           "test_suite_merge_replaces_an_old_spark_tab_in_place",
                           "test_suite_merge_keeps_every_tab_and_takes_the_whole_spark_navigation"},
    "tests/test_bench_smoke.py": {"test_bench_smoke_runs_every_build_once"},
    "tests/test_escape.py": {"test_text_survives_mintlify_parser"},
    "tests/test_helpers.py": {"test_served_scripts_answer_as_a_script_run_alone"},  # Node per call
    "tests/test_hosts.py": {"test_every_old_mintlify_url_resolves"},
    "tests/test_livehtml.py": {"*"},  # a server that waits for its file watcher
    "tests/test_rtd.py": {"*"},
}


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselect: every collected test is seen
def pytest_collection_modifyitems(config, items):
    seen: dict[str, set[str]] = {}
    for item in items:
        path, _, name = item.nodeid.partition("::")
        name = name.split("[")[0]
        seen.setdefault(path, set()).add(name)
        if name in SLOW.get(path, ()) or "*" in SLOW.get(path, ()):
            item.add_marker(pytest.mark.slow)
    # a renamed test must not silently leave the slow list (and so run in test-fast)
    stale = [f"{path}::{name}" for path, names in SLOW.items() if path in seen
             for name in names - seen[path] - {"*"}]
    if stale and not any("::" in arg for arg in config.args):
        raise pytest.UsageError(f"tests/conftest.py SLOW names tests that do not exist: {stale}")


@pytest.fixture(scope="session")
def docs_json(site) -> dict:
    return json.loads((site.mdx / "docs.json").read_text())


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium per session, shared by the browser suite and the Read the
    Docs download test (Playwright's sync API allows one running instance per thread)."""
    from support import TESTS

    sys.path.insert(0, str(TESTS / "browser"))
    import browser_checks as bc
    from playwright.sync_api import sync_playwright

    if not Path(bc.CHROMIUM).exists():
        pytest.fail(f"{bc.CHROMIUM} is missing: apt-get install chromium", pytrace=False)
    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=bc.CHROMIUM, headless=True,
                                      args=bc.CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        pw.stop()
