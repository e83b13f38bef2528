"""Build-speed benchmark of the docs toolchain (``make bench``; ``make bench-smoke``).

For each corpus (the real site and generated corpora of 50/200/800 pages) it times, with
``time.perf_counter`` around ``sphinx-build`` subprocesses:

* ``dummy``        fresh ``-b dummy``: the floor (read + post-transforms, no writer)
* ``html``         fresh ``-b html``
* ``html -j auto`` fresh ``-b html -j auto`` (next to ``html`` in each round, the order alternating)
* ``mdx+html``     ``-b mdx`` right after ``html`` on the html build's doctree cache
* ``html noop``    ``html`` again, nothing changed
* ``mdx``          fresh ``-b mdx`` (own doctree cache)
* ``mdx noop``     ``mdx`` again, nothing changed
* ``html edit``    ``html`` after one page was appended to
* ``mdx edit``     ``mdx`` after the same edit
* ``mdx -j auto``  fresh ``-b mdx -j auto`` (every other build runs ``-j 1``)
* ``peer``         fresh ``-b markdown`` of sphinx-markdown-builder (bench/requirements.txt)

"Fresh" means new empty output and doctree directories under bench/_work. Each figure is the
median of ``--runs`` runs (rounds are interleaved across corpora so that load from other
processes spreads over all of them) and is shown as a ratio to the same corpus' ``dummy``
floor measured in the same run. Then the targets are checked on the 200-page corpus, and the
html ones (fresh html against the floor, -j auto against -j 1) on the 800-page corpus too.

The real site is a snapshot of source/ copied into bench/_work/real/src at start (pages are
edited there, never in source/) and built with the project's conf.py (``-c .``).

Normal mode always exits 0 (a benchmark is not a test); ``--smoke`` (1 run, 50 pages, no real
site) exits 1 when a build fails.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "_work"
SITE = WORK / "site"  # sphinx-markdown-builder, pip --target (PYTHONPATH for the peer only)
PY = sys.executable
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402

STEPS = ("dummy", "html", "html -j auto", "mdx+html", "html noop", "mdx", "mdx noop",
         "html edit", "mdx edit", "mdx -j auto", "peer")
HTML_STEPS = ("html", "mdx+html", "html noop", "html edit")
#: skipped on the 800-page corpus unless --full, to keep `make bench` near 25 minutes: fresh
#: html and html -j auto run there (two targets), the rest is compared at 200 pages
BIG_SKIP = ("mdx+html", "html noop", "html edit", "mdx -j auto", "peer")
TIMEOUT = 1800
REAL_EDIT = "working/managing-sources.md"
LOADS: list[float] = []  # the 1-minute load average when each build started


@dataclass
class Corpus:
    name: str
    src: Path
    confdir: Path
    edit: Path  # the page appended to for the edit rebuilds
    skip: tuple[str, ...] = ()
    times: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)
    others: dict[str, list[float]] = field(default_factory=dict)  # CPUs busy with other work
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def work(self) -> Path:
        return WORK / "builds" / self.name


# -- running sphinx-build ------------------------------------------------------------------
def busy_cpu_seconds() -> float | None:
    """CPU seconds every process of the machine has used since boot (Linux /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def sphinx(corpus: Corpus, step: str, builder: str, doctrees: str, out: str, *,
           jobs: str = "1", fresh: bool = False, peer: bool = False) -> float | None:
    """Run one build; record wall and CPU time under ``step``. None when it failed."""
    dt, od = corpus.work / doctrees, corpus.work / out
    if fresh:
        for d in (dt, od):
            shutil.rmtree(d, ignore_errors=True)
    cmd = [PY, "-m", "sphinx", "-b", builder, "-c", str(corpus.confdir), "-d", str(dt),
           "-j", jobs, "-q", str(corpus.src), str(od)]
    env = dict(os.environ)
    if peer:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SITE), env.get("PYTHONPATH")]))
    log = WORK / "logs" / f"{corpus.name}-{step.replace(' ', '_').replace('+', '_after_')}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    LOADS.append(os.getloadavg()[0])
    before, busy = resource.getrusage(resource.RUSAGE_CHILDREN), busy_cpu_seconds()
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT)
        code, output = proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as exc:
        code, output = -1, f"timeout after {TIMEOUT}s\n{exc.stdout or ''}"
    wall = time.perf_counter() - start
    after, busy_after = resource.getrusage(resource.RUSAGE_CHILDREN), busy_cpu_seconds()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    log.write_text(" ".join(cmd) + "\n\n" + output, encoding="utf-8")
    if code != 0:
        corpus.failed[step] = f"exit {code}, see {log.relative_to(ROOT)}"
        tail = "\n".join(output.strip().splitlines()[-4:])
        print(f"    ! {corpus.name} {step}: build failed (exit {code}); {log.relative_to(ROOT)}\n"
              f"      {tail}", flush=True)
        return None
    corpus.times.setdefault(step, []).append(wall)
    corpus.cpu.setdefault(step, []).append(cpu)
    others = ""
    if busy is not None:  # what other processes took of the machine while this build ran
        share = max(0.0, (busy_after - busy - cpu) / wall)
        corpus.others.setdefault(step, []).append(share)
        others = f" {share:5.2f} CPUs busy elsewhere"
    print(f"    {corpus.name:>8} {step:<12} {wall:7.2f} s wall {cpu:7.2f} s cpu{others}",
          flush=True)
    return wall


def edit_page(path: Path, round_no: int) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"\n\nBenchmark edit {round_no}: one more paragraph.\n")


def one_round(corpus: Corpus, round_no: int, peer_ok: bool) -> None:
    run = lambda step, *a, **k: (step in corpus.skip  # noqa: E731
                                 or sphinx(corpus, step, *a, **k))
    run("dummy", "dummy", "dt-dummy", "out-dummy", fresh=True)
    parallel = lambda: run("html -j auto", "html", "dt-jhtml", "out-jhtml",  # noqa: E731
                           jobs="auto", fresh=True)
    if round_no % 2 == 0:  # -j 1 and -j auto take turns going first: load drift spreads evenly
        parallel()
    html_ok = run("html", "html", "dt-html", "out-html", fresh=True)
    if round_no % 2 == 1:
        parallel()
    if html_ok:
        run("mdx+html", "mdx", "dt-html", "out-mdx-shared", fresh=False)
        shutil.rmtree(corpus.work / "out-mdx-shared", ignore_errors=True)
        run("html noop", "html", "dt-html", "out-html")
    mdx_ok = run("mdx", "mdx", "dt-mdx", "out-mdx", fresh=True)
    if mdx_ok:
        run("mdx noop", "mdx", "dt-mdx", "out-mdx")
    edit_page(corpus.edit, round_no)
    time.sleep(0.01)  # make sure the mtime moves past the last build's outputs
    if html_ok:
        run("html edit", "html", "dt-html", "out-html")
    if mdx_ok:
        run("mdx edit", "mdx", "dt-mdx", "out-mdx")
    run("mdx -j auto", "mdx", "dt-jauto", "out-jauto", jobs="auto", fresh=True)
    if peer_ok:
        run("peer", "markdown", "dt-peer", "out-peer", fresh=True, peer=True)


# -- setup -------------------------------------------------------------------------------------
def ensure_peer() -> bool:
    """Install the pinned peer into bench/_work/site (once); False when that is impossible."""
    pin = (BENCH / "requirements.txt").read_text(encoding="utf-8")
    version = re.search(r"^sphinx-markdown-builder==(\S+)", pin, re.M)[1]
    if list(SITE.glob(f"sphinx_markdown_builder-{version}.dist-info")):
        return True
    shutil.rmtree(SITE, ignore_errors=True)
    print(f"installing sphinx-markdown-builder {version} into {SITE.relative_to(ROOT)} ...",
          flush=True)
    proc = subprocess.run([PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           "--no-deps", "--target", str(SITE), "-r",
                           str(BENCH / "requirements.txt")],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        print(f"  peer not installed (pip exit {proc.returncode}); its rows are skipped:\n"
              + proc.stdout[-1500:], flush=True)
        return False
    return True


def real_corpus() -> Corpus:
    """Snapshot source/ so that edits and other engineers' saves do not touch the timing."""
    dest = WORK / "real" / "src"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(ROOT / "source", dest)
    edit = dest / REAL_EDIT
    if not edit.is_file():
        edit = next(p for p in sorted(dest.rglob("*.md")) if p.name != "index.md")
    return Corpus("real", dest, ROOT, edit)


def generated_corpus(pages: int, big_skip: bool) -> Corpus:
    src = generate(pages, WORK / f"corpus-{pages}")
    edit = sorted(src.glob("s04/page-*.md"))[0]
    return Corpus(str(pages), src, src, edit, skip=BIG_SKIP if big_skip else ())


def machine() -> dict[str, str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = subprocess.run(
        [PY, "-c", "import sphinx, docutils, myst_parser, sphinx_design, furo;"
                   "print(sphinx.__version__, docutils.__version__, myst_parser.__version__,"
                   "sphinx_design.__version__, furo.__version__)"],
        capture_output=True, text=True).stdout.split()
    names = ("Sphinx", "docutils", "myst-parser", "sphinx-design", "furo")
    info = {"nproc": str(os.cpu_count()), "CPU": cpu,
            "Python": platform.python_version(), "load (1/5/15 min)": " ".join(
                f"{x:.2f}" for x in os.getloadavg())}
    info.update(dict(zip(names, versions)))
    return info


# -- report ------------------------------------------------------------------------------------
def med(values: list[float] | None) -> float | None:
    return statistics.median(values) if values else None


def cell(corpus: Corpus, step: str, cpu: bool = False) -> str:
    values = (corpus.cpu if cpu else corpus.times).get(step)
    if not values:
        if step in corpus.failed:
            return "FAILED"
        return "skipped" if step in corpus.skip else "n/a"
    value = med(values)
    base = med((corpus.cpu if cpu else corpus.times).get("dummy"))
    if step == "dummy" or not base:
        return f"{value:.2f} s"
    return f"{value:.2f} s ({value / base:.2f}x)"


def table(corpora: list[Corpus], cpu: bool = False) -> str:
    head = ["build"] + [c.name if c.name == "real" else f"{c.name} pages" for c in corpora]
    rows = [[step] + [cell(c, step, cpu) for c in corpora] for step in STEPS]
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    fmt = lambda r: "| " + " | ".join(v.ljust(w) for v, w in zip(r, widths)) + " |"  # noqa: E731
    return "\n".join([fmt(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
                     + [fmt(r) for r in rows])


def targets(by_name: dict[str, Corpus]) -> list[str]:
    c = by_name.get("200")
    if c is None:
        return ["(targets are checked on the 200-page corpus, which was not built)"]
    big = by_name.get("800")
    checks = [  # label, (corpus, step), (corpus, base step), limit
        ("fresh mdx <= 1.25 x dummy floor", (c, "mdx"), (c, "dummy"), 1.25),
        ("mdx after html <= 0.5 x fresh html", (c, "mdx+html"), (c, "html"), 0.5),
        ("fresh mdx <= 1.0 x peer fresh markdown", (c, "mdx"), (c, "peer"), 1.0),
        ("html no-op <= 0.15 x fresh html", (c, "html noop"), (c, "html"), 0.15),
        ("mdx no-op <= 0.15 x fresh mdx", (c, "mdx noop"), (c, "mdx"), 0.15),
        ("html one-page edit <= 0.25 x fresh html", (c, "html edit"), (c, "html"), 0.25),
        ("mdx one-page edit <= 0.25 x fresh mdx", (c, "mdx edit"), (c, "mdx"), 0.25),
        ("fresh mdx 200 -> 800 pages <= 4.4 x the time", (big, "mdx"), (c, "mdx"), 4.4),
        ("fresh html <= 2.5 x dummy floor at 800 pages", (big, "html"), (big, "dummy"), 2.5),
    ]
    lines = []
    for label, (vc, vs), (bc, bs), limit in checks:
        value = med(vc.times.get(vs)) if vc else None
        base = med(bc.times.get(bs)) if bc else None
        if value is None or not base:
            lines.append(f"SKIP {label}: not measured")
            continue
        ratio = value / base
        verdict = "PASS" if ratio <= limit else "FAIL"
        cpu_v, cpu_b = med(vc.cpu.get(vs)), med(bc.cpu.get(bs))
        cpu_ratio = cpu_v / cpu_b
        lines.append(f"{verdict} {label}: {value:.2f} s / {base:.2f} s = {ratio:.2f}x "
                     f"(cpu {cpu_ratio:.2f}x: {'pass' if cpu_ratio <= limit else 'fail'})")
    for corpus in (c, big):  # a wall-time target: -j auto spends more CPU by design
        label = f"html -j auto >= 30% faster than -j 1 at {corpus.name if corpus else 800} pages"
        pairs = list(zip(corpus.times.get("html -j auto", []), corpus.times.get("html", []))) \
            if corpus else []
        if not pairs:
            lines.append(f"SKIP {label}: not measured")
            continue
        # each round ran the two back to back: the median of the rounds' own ratios
        ratio = statistics.median(p / s for p, s in pairs)
        cpu = med(corpus.cpu["html -j auto"]) / med(corpus.cpu["html"])
        others = med(corpus.others.get("html -j auto"))
        busy = f"; other processes kept {others:.1f} of {os.cpu_count()} CPUs busy meanwhile" \
            if others is not None else ""
        lines.append(f"{'PASS' if ratio <= 0.7 else 'FAIL'} {label}: "
                     f"{med([p for p, _ in pairs]):.2f} s vs {med([s for _, s in pairs]):.2f} s, "
                     f"median ratio of {len(pairs)} round(s) {ratio:.2f}x, limit 0.70x "
                     f"(cpu {cpu:.2f}x{busy})")
    return lines


# -- main --------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description="Build-speed benchmark (see bench/run.py).")
    parser.add_argument("--smoke", action="store_true",
                        help="1 run, 50 pages, no real site; exit 1 if a build fails")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median); default 3")
    parser.add_argument("--sizes", default="50,200,800", help="generated corpus sizes")
    parser.add_argument("--no-real", action="store_true", help="skip the real site")
    parser.add_argument("--full", action="store_true",
                        help="the whole matrix on the 800-page corpus too (mdx+html, html noop "
                             "and edit, mdx -j auto, peer)")
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.sizes, args.no_real = 1, "50", True
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(WORK / "builds", ignore_errors=True)
    shutil.rmtree(WORK / "logs", ignore_errors=True)

    info = machine()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    peer_ok = ensure_peer()
    corpora = [] if args.no_real else [real_corpus()]
    corpora += [generated_corpus(n, big_skip=n >= 800 and not args.full) for n in sizes]
    if not args.smoke:  # an untimed build first: file cache and bytecode warm for everyone
        warm = corpora[-1] if args.no_real else corpora[0]
        subprocess.run([PY, "-m", "sphinx", "-b", "dummy", "-q", "-c", str(warm.confdir),
                        "-d", str(WORK / "builds" / "warmup" / "dt"), str(warm.src),
                        str(WORK / "builds" / "warmup" / "out")], cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for round_no in range(1, args.runs + 1):
        print(f"round {round_no}/{args.runs} (at {time.perf_counter() - started:.0f} s)",
              flush=True)
        for corpus in corpora:
            one_round(corpus, round_no, peer_ok)

    by_name = {c.name: c for c in corpora}
    wall, cpu, verdicts = table(corpora), table(corpora, cpu=True), targets(by_name)
    elapsed = time.perf_counter() - started
    report = "\n".join([
        "",
        f"Median wall time of {args.runs} run(s), -j 1 unless noted; (Nx) = ratio to the "
        "same corpus' dummy floor:",
        wall, "",
        "Median CPU time (user+sys of sphinx-build and its workers; less sensitive to load "
        "from other processes):",
        cpu, "",
        "Targets (200-page corpus unless noted, wall-time medians):",
        *verdicts, "",
        f"benchmark took {elapsed:.0f} s; 1-minute load average at the builds' starts "
        f"{min(LOADS, default=0):.1f}-{max(LOADS, default=0):.1f} "
        f"(median {med(LOADS) or 0:.1f}) on {os.cpu_count()} CPUs",
    ])
    print(report, flush=True)
    failures = {c.name: c.failed for c in corpora if c.failed}
    for name, failed in failures.items():
        for step, why in failed.items():
            print(f"build failed: {name} {step}: {why}")
    (WORK / "results.json").write_text(json.dumps({
        "machine": info, "runs": args.runs, "elapsed_s": elapsed, "loads": LOADS,
        "corpora": {c.name: {"wall": c.times, "cpu": c.cpu, "others": c.others,
                             "failed": c.failed,
                             "skipped": list(c.skip)} for c in corpora},
        "targets": verdicts}, indent=2), encoding="utf-8")
    (WORK / "results.md").write_text(report + "\n", encoding="utf-8")
    if args.smoke and failures:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
