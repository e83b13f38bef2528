"""Read the Docs, simulated on a clean clone of the repository (committed files only).

The jobs of .readthedocs.yaml run in RTD's order, each in a fresh shell at the clone's root with
RTD's variables set; a format without an override would run RTD's own command (below), in the
directory of conf.py. Python is this machine's .venv (checked to hold requirements.txt's pins,
which is what RTD's install step puts in its virtualenv); Node is this machine's.
Then the offline download is unpacked and read from disk: pages, links, search, diagrams.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml

from support import REPO

# What RTD runs for the html format when the config does not replace it (build.jobs.build.html).
RTD_DEFAULT_HTML = ("python -m sphinx -T -W --keep-going -b html -d _build/doctrees "
                    "-D language=en . $READTHEDOCS_OUTPUT/html")
STEPS = ["post_checkout", "pre_system_dependencies", "post_system_dependencies",
         "pre_create_environment", "post_create_environment", "pre_install", "post_install",
         "pre_build", "build", "post_build"]
FORMATS = ["html", "htmlzip", "pdf", "epub"]  # the order RTD builds them in
PROJECT = "automagik-spark"
CANONICAL = "https://spark-docs.example.org/en/stable/"  # any value: the site must take RTD's


def rtd_commands(config: dict) -> list[tuple[str, str, str]]:
    """(job, working directory relative to the clone, command), in the order RTD runs them."""
    assert "commands" not in config.get("build", {}), "build.commands is not simulated"
    jobs = config.get("build", {}).get("jobs", {})
    confdir = os.path.dirname(config["sphinx"]["configuration"]) or "."
    out = []
    for step in STEPS:
        if step != "build":
            out += [(step, ".", cmd) for cmd in jobs.get(step, [])]
            continue
        for fmt in FORMATS:
            if fmt != "html" and fmt not in config.get("formats", []):
                continue
            override = jobs.get("build", {}).get(fmt)
            if override:
                out += [(f"build.{fmt}", ".", cmd) for cmd in override]
            elif fmt == "html":
                out.append(("build.html (RTD's default)", confdir, RTD_DEFAULT_HTML))
            else:
                raise AssertionError(f"RTD's default {fmt} build is not simulated: override it")
    return out


def venv_matches_requirements(requirements: Path) -> list[str]:
    """Pins of requirements.txt that the running interpreter does not have installed."""
    wrong = []
    for line in requirements.read_text().splitlines():
        name, _, version = line.strip().partition("==")
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong.append(f"{name}=={version} (installed: {installed})")
    return wrong


def run_rtd(clone: Path, config: dict) -> tuple[Path, list[str]]:
    """Run the jobs; return $READTHEDOCS_OUTPUT and a log line per job (with its seconds)."""
    import time

    output = clone / "_readthedocs"
    env = {**os.environ, "READTHEDOCS": "True", "READTHEDOCS_OUTPUT": str(output),
           "READTHEDOCS_PROJECT": PROJECT, "READTHEDOCS_VERSION": "stable",
           "READTHEDOCS_LANGUAGE": "en", "READTHEDOCS_CANONICAL_URL": CANONICAL,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("SPARK_DOCS_REPO", None)
    log = []
    for job, cwd, command in rtd_commands(config):
        start = time.perf_counter()
        proc = subprocess.run(["sh", "-c", command], cwd=clone / cwd, env=env,
                              capture_output=True, text=True, timeout=900)
        log.append(f"{job}: {command} ({time.perf_counter() - start:.1f} s)")
        if proc.returncode != 0:
            raise AssertionError(f"{job} failed: {command}\n{proc.stderr[-4000:]}")
    return output, log


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rtd") / "checkout"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(path)], check=True)
    return path


@pytest.fixture(scope="module")
def rtd_build(clone) -> Path:
    config = yaml.safe_load((clone / ".readthedocs.yaml").read_text())
    assert venv_matches_requirements(clone / config["python"]["install"][0]["requirements"]) == []
    output, log = run_rtd(clone, config)
    print("\n".join(log))
    return output


def source_pages(clone: Path) -> list[str]:
    source = clone / "source"
    return sorted(p.relative_to(source).with_suffix(".html").as_posix()
                  for p in source.rglob("*.md") if not p.relative_to(source).parts[0].startswith("_"))


# -- the configuration ---------------------------------------------------------------------------
def test_every_format_rtd_builds_is_overridden_not_rtds_default(clone):
    config = yaml.safe_load((clone / ".readthedocs.yaml").read_text())
    jobs = rtd_commands(config)
    built = [job for job, _cwd, _cmd in jobs if job.startswith("build.")]
    assert "build.html" in built and "build.htmlzip" in built
    assert all("RTD's default" not in job for job in built)
    html = [cmd for job, _cwd, cmd in jobs if job == "build.html"]
    assert any(" -W " in f" {c} " and "$READTHEDOCS_OUTPUT/html" in c and " source " in c for c in html)


def test_without_the_override_rtd_runs_its_own_command_which_cannot_build(rtd_build, clone, tmp_path):
    """RTD's default command, run exactly as RTD does (in the conf.py directory, with that
    directory as the source), stops: the pages are in source/."""
    config = yaml.safe_load((clone / ".readthedocs.yaml").read_text())
    del config["build"]["jobs"]
    config["formats"] = []
    assert rtd_commands(config) == [("build.html (RTD's default)", ".", RTD_DEFAULT_HTML)]
    copy = tmp_path / "checkout"
    subprocess.run(["git", "clone", "--quiet", str(clone), str(copy)], check=True)
    # what post_install's npm ci leaves and conf.py reads (not all of node_modules: Sphinx
    # would read every README in it as a page of the "source")
    mermaid = Path("tools", "mermaid", "node_modules", "mermaid")
    for name in ("package.json", "dist/mermaid.min.js"):
        (copy / mermaid / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / mermaid / name).write_bytes((clone / mermaid / name).read_bytes())
    with pytest.raises(AssertionError, match="unable to load the master document"):
        run_rtd(copy, config)


def test_venv_check_catches_a_wrong_pin(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("Sphinx==0.0.1\npytest==" + metadata.version("pytest") + "\n")
    assert venv_matches_requirements(req) == [f"Sphinx==0.0.1 (installed: {metadata.version('Sphinx')})"]


# -- the hosted site -------------------------------------------------------------------------------
def test_the_whole_site_lands_in_readthedocs_output_html(rtd_build, clone):
    html = rtd_build / "html"
    pages = source_pages(clone)
    assert len(pages) >= 50
    missing = [p for p in pages if not (html / p).is_file()]
    assert missing == []
    for extra in ("search.html", "genindex.html", "404.html", "searchindex.js", "objects.inv",
                  "sitemap.xml", "llms.txt", "llms-full.txt", "_static/mermaid/mermaid.min.js"):
        assert (html / extra).is_file(), extra


def test_the_site_takes_its_urls_from_readthedocs(rtd_build):
    html = rtd_build / "html"
    sitemap = (html / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locs and all(loc.startswith(CANONICAL) for loc in locs)
    assert f'<link rel="canonical" href="{CANONICAL}quickstart.html"' in (html / "quickstart.html").read_text()
    assert f'href="{urlparse(CANONICAL).path}quickstart.html"' in (html / "404.html").read_text()
    assert f"]({CANONICAL}" in (html / "llms.txt").read_text()


# -- the offline download ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def offline(rtd_build, tmp_path_factory) -> Path:
    archives = list((rtd_build / "htmlzip").iterdir())
    assert [a.name for a in archives] == [f"{PROJECT}.zip"]  # RTD takes exactly one file
    target = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(archives[0]) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
        assert tops == {PROJECT}
        archive.extractall(target)
    return target / PROJECT


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") == "canonical"):
                self.refs.append(attrs[key])


def broken_links_on_disk(root: Path) -> list[str]:
    """Every relative href/src of every page resolves to a file, and its #fragment to an id."""
    parsed = {}

    def parse(path: Path) -> _Links:
        if path not in parsed:
            parser = _Links()
            parser.feed(path.read_text(encoding="utf-8"))
            parsed[path] = parser
        return parsed[path]

    broken = []
    for page in sorted(root.rglob("*.html")):
        for ref in parse(page).refs:
            url = urlparse(ref)
            if url.scheme or ref.startswith(("//", "mailto:")):
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(root)}: {ref}"
            if not target.is_file():
                broken.append(f"{where} (no file)")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in parse(target).ids:
                broken.append(f"{where} (no #{url.fragment})")
    return broken


def test_offline_download_holds_every_page(offline, clone):
    missing = [p for p in source_pages(clone) if not (offline / p).is_file()]
    assert missing == []
    assert (offline / "index.html").is_file() and not (offline / "404.html").exists()


def test_offline_download_links_resolve_on_disk(offline):
    assert broken_links_on_disk(offline) == []


def test_link_check_catches_a_broken_link_and_fragment(offline, tmp_path):
    page = tmp_path / "a.html"
    (tmp_path / "b.html").write_text('<h2 id="there">B</h2>')
    page.write_text('<a href="b.html#there">ok</a><a href="b.html#gone">x</a><a href="c.html">y</a>')
    assert broken_links_on_disk(tmp_path) == ["a.html: b.html#gone (no #gone)", "a.html: c.html (no file)"]


def test_offline_download_renders_diagrams_and_searches_from_disk(offline, clone, browser):
    """Opened from disk (file://, no server) in Chromium: every diagram of every page renders
    (counted against the mermaid directives of its source), and search lists results."""
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    import browser_checks as bc

    expected = bc.source_diagram_counts(clone / "source")
    assert expected, "no page with a diagram: nothing to check"
    url = bc.file_url(offline)
    context, guard = bc.new_context(browser, url, theme="light")
    tab, rendered = context.new_page(), {}
    for page in sorted(expected):
        tab.goto(url + page)
        bc.settle(tab)
        bc.reveal_deferred(tab)
        bc.assert_diagrams_drawn(tab)
        rendered[page] = tab.locator("pre.mermaid[data-processed=true] > svg").count()
    tab.goto(url + "search.html?q=schedule")
    results = tab.locator("#search-results ul.search li")
    results.first.wait_for(timeout=20_000)
    found = results.count()
    context.close()
    assert rendered == expected
    assert found >= 3
    guard.check()  # nothing fetched from a host, no console or page error
