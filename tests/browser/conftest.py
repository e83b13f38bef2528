"""Harness of the browser suite: one strict HTML build per session, served on 127.0.0.1 by a
thread, and one Debian Chromium (pip playwright, never `playwright install`) for the session
with a fresh context per test. Any request to another host, console error or page error in a
test's contexts fails that test.

Run: `.venv/bin/pytest tests/browser -q`.
SPARK_BROWSER_PREBUILT=<dir with a built html site> skips the build (for iterating on tests
only; the suite proper always builds its own copy with -W).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser_checks as bc  # noqa: E402

_GUARDS = pytest.StashKey[list]()
record_time = bc.record_time


@pytest.fixture(scope="session")
def html_site(tmp_path_factory) -> Path:
    prebuilt = os.environ.get("SPARK_BROWSER_PREBUILT")
    if prebuilt:
        html = Path(prebuilt).resolve()
        bc.JOBS["vnu"] = bc.Background(_timed, "Nu Html Checker (every page, in the background)",
                                       bc.run_vnu, html)
        return html
    root = tmp_path_factory.mktemp("browser-site")
    start = time.perf_counter()
    proc = bc.sphinx_build(bc.SOURCE, root / "html", root / "doctrees")
    record_time("sphinx-build -W (site)", time.perf_counter() - start)
    if proc.returncode != 0:
        pytest.fail("sphinx-build -W of source/ failed:\n" + proc.stderr[-6000:], pytrace=False)
    html = root / "html"
    # the Nu Html Checker needs only the files: it runs while the browser tests do
    bc.JOBS["vnu"] = bc.Background(_timed, "Nu Html Checker (every page, in the background)",
                                bc.run_vnu, html)
    return html


@pytest.fixture(scope="session")
def base_url(html_site) -> str:
    with bc.SiteServer(html_site) as server:
        bc.JOBS["links"] = bc.Background(_timed, "linkinator --check-fragments (every page, "
                                      "in the background)", bc.broken_links, server.base_url,
                                      html_site)
        yield server.base_url
        bc.JOBS["links"].wait()  # the server must outlive the crawl



def _timed(name, fn, *args):
    start = time.perf_counter()
    try:
        return fn(*args)
    finally:
        record_time(name, time.perf_counter() - start)


@pytest.fixture(scope="session")
def components(html_site) -> dict[str, list[str]]:
    return bc.component_index(html_site)


@pytest.fixture
def open_context(request, browser, base_url):
    """Factory: a fresh guarded context (theme='light'|'dark' stored as furo stores it)."""
    opened = []
    request.node.stash[_GUARDS] = []

    def factory(theme: str | None = "light", **options):
        context, guard = bc.new_context(browser, base_url, theme=theme, **options)
        opened.append(context)
        request.node.stash[_GUARDS].append(guard)
        return context

    yield factory
    for context in opened:
        context.close()


@pytest.fixture
def page(open_context):
    return open_context().new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After the test body: fail the test if any of its pages left the machine or erred."""
    result = yield
    for guard in item.stash.get(_GUARDS, []):
        guard.check()
    return result


@pytest.fixture
def timed():
    """Context manager recording a named duration for the end-of-session timing table."""
    class _Timer:
        def __init__(self, name):
            self.name = name

        def __enter__(self):
            self.start = time.perf_counter()

        def __exit__(self, *exc):
            record_time(self.name, time.perf_counter() - self.start)

    return _Timer


class _CpuMeter:
    """Samples the CPU time of every descendant process (Chromium's renderers come and go
    with each context), so the summary can say what the suite costs apart from the load
    other work puts on a shared machine."""

    def __init__(self):
        import threading
        self.seen: dict[tuple[int, float], float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="cpu-meter", daemon=True)

    def _run(self):
        import psutil
        me = psutil.Process()
        while not self.stop.wait(0.25):
            for child in me.children(recursive=True):
                try:
                    with child.oneshot():
                        self.seen[(child.pid, child.create_time())] = sum(child.cpu_times()[:2])
                except psutil.Error:
                    pass

    def total(self) -> float:
        own = os.times()
        return own.user + own.system + sum(self.seen.values())


_CPU = _CpuMeter()


@pytest.fixture(scope="session", autouse=True)
def _cpu_meter():
    try:
        import psutil  # noqa: F401
    except ImportError:
        return
    if not _CPU.thread.is_alive():
        _CPU.thread.start()


def pytest_terminal_summary(terminalreporter):
    if bc.TIMINGS:
        terminalreporter.section("browser suite timings")
        for name, seconds in bc.TIMINGS.items():
            terminalreporter.write_line(f"{seconds:7.2f} s  {name}")
        # CPU seconds spent (pytest, sphinx, java, node, Chromium): on a shared machine the
        # wall times above grow with the load, this number hardly does
        _CPU.stop.set()
        if _CPU.seen:
            terminalreporter.write_line(
                f"{_CPU.total():7.2f} s  CPU time of the session and its child processes "
                f"({os.cpu_count()} cores; load average now {os.getloadavg()[0]:.1f})")
