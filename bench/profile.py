"""Profile one fresh build with cProfile and print where the time goes.

    .venv/bin/python bench/profile.py                 # fresh mdx, 200-page corpus
    .venv/bin/python bench/profile.py --corpus real   # fresh mdx, snapshot of source/
    .venv/bin/python bench/profile.py --builder html --corpus 50
    .venv/bin/python bench/profile.py --timers        # no profiler: per-transform/handler time
    .venv/bin/python bench/profile.py --builder html --jobs auto   # the main process of -j auto

Writes bench/_work/prof/<builder>-<corpus>.prof (open it with ``python -m pstats`` or snakeviz)
and prints: the build phases, the top functions by own time, by cumulative time, and every
function of our _ext/ that costs more than 0.5% of the build. Times are inflated by the profiler
(about 2x); compare shares, not seconds. ``--timers`` instead builds in-process without the
profiler and times every docutils/Sphinx transform (read and post) and every event handler, with
process_time (CPU seconds, robust to load from other processes). With ``--jobs auto`` cProfile
sees the main process only: what it does serially (merging the readers' environments, resolving
every doctree, the search index) and how long it waits for its forked workers (``time.sleep`` in
``sphinx/util/parallel.py:join``).
"""
from __future__ import annotations

import argparse
import io
import pstats
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "_work"
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402

PHASES = (
    ("read (parse + transforms)", "sphinx/builders/__init__.py", "read"),
    ("  MyST parse incl. directives", "myst_parser/parsers/sphinx_.py", "parse"),
    ("  docutils/Sphinx transforms", "sphinx/transforms/__init__.py", "apply_transforms"),
    ("  pickling doctrees", "sphinx/builders/__init__.py", "write_doctree"),
    ("write (resolve + write_doc)", "sphinx/builders/__init__.py", "write"),
    ("  get_and_resolve_doctree", "sphinx/environment/__init__.py", "get_and_resolve_doctree"),
    ("  post-transforms", "sphinx/environment/__init__.py", "apply_post_transforms"),
    ("  write_doc (translator)", "mdx_builder/builder.py", "write_doc"),
    ("  write_doc (html)", "sphinx/builders/html/__init__.py", "write_doc"),
    ("  furo navigation tree", "furo/__init__.py", "_compute_navigation_tree"),
    ("  furo_navcache (ours)", "furo_navcache/__init__.py", "_after_furo"),
    ("  waiting for -j workers", "sphinx/util/parallel.py", "join"),
    ("finish", "sphinx/builders/__init__.py", "finish"),
)


def cumulative(stats: pstats.Stats, path: str, func: str) -> float:
    total = 0.0
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        if name == func and filename.endswith(path):
            total = max(total, ct)  # the outermost entry; recursion is already folded
    return total


def report(prof: Path, top: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(str(prof), stream=out)
    total = stats.total_tt
    print(f"profile {prof.relative_to(ROOT)}: {total:.2f} s under cProfile\n", file=out)
    print("phases (cumulative):", file=out)
    for label, path, func in PHASES:
        value = cumulative(stats, path, func)
        if value:
            print(f"  {label:<32} {value:7.2f} s  {100 * value / total:5.1f}%", file=out)
    print(file=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    print(f"our extensions (_ext/), cumulative >= 0.5% of {total:.1f} s:", file=out)
    rows = [(ct, tt, nc, f"{Path(f).parent.name}/{Path(f).name}:{line}({name})")
            for (f, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items()
            if "/_ext/" in f and ct >= 0.005 * total]
    for ct, tt, nc, where in sorted(rows, reverse=True):
        print(f"  {ct:7.2f} s cum {tt:6.2f} s own {nc:8d} calls  {where}", file=out)
    return out.getvalue()


def timed_build(argv: list[str]) -> str:
    """Build in this process with timers on transforms, event handlers and build phases."""
    import docutils.transforms
    from sphinx.builders import Builder
    from sphinx.cmd.build import build_main
    from sphinx.events import EventManager

    cost: dict[tuple[str, str], float] = defaultdict(float)
    calls: dict[tuple[str, str], int] = defaultdict(int)
    phase = ["startup"]

    def apply_transforms(self) -> None:  # docutils' loop, with a timer around each transform
        self.document.reporter.attach_observer(self.document.note_transform_message)
        while self.transforms:
            if not self.sorted:
                self.transforms.sort(reverse=True)
                self.sorted = True
            priority, cls, pending, kwargs = self.transforms.pop()
            start = time.process_time()
            cls(self.document, startnode=pending).apply(**kwargs)
            key = (phase[0], f"transform {cls.__module__}.{cls.__qualname__}")
            cost[key] += time.process_time() - start
            calls[key] += 1
            self.applied.append((priority, cls, pending, kwargs))
        self.document.reporter.detach_observer(self.document.note_transform_message)

    connect = EventManager.connect

    def timed_connect(self, name, callback, priority):
        label = f"event {name}: {getattr(callback, '__module__', '?')}." \
                f"{getattr(callback, '__qualname__', repr(callback))}"

        def handler(*args, **kwargs):
            start = time.process_time()
            try:
                return callback(*args, **kwargs)
            finally:
                cost[(phase[0], label)] += time.process_time() - start
                calls[(phase[0], label)] += 1
        return connect(self, name, handler, priority)

    def in_phase(name, method):
        def wrapper(self, *args, **kwargs):
            outer, phase[0] = phase[0], name
            start = time.process_time()
            try:
                return method(self, *args, **kwargs)
            finally:
                cost[(name, "(whole phase)")] += time.process_time() - start
                calls[(name, "(whole phase)")] += 1
                phase[0] = outer
        return wrapper

    docutils.transforms.Transformer.apply_transforms = apply_transforms
    EventManager.connect = timed_connect
    Builder.read = in_phase("read", Builder.read)
    Builder.write = in_phase("write", Builder.write)
    Builder.finish = in_phase("finish", Builder.finish)
    start, wall = time.process_time(), time.perf_counter()
    code = build_main(argv)
    total, wall = time.process_time() - start, time.perf_counter() - wall
    if code:
        raise SystemExit(f"build failed (exit {code})")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = usage.ru_utime + usage.ru_stime
    out = [f"in-process build: {total:.2f} s CPU, {wall:.2f} s wall (no profiler); CPU time of "
           "items >= 0.3% of the build", ""]
    if workers:  # -j: the phases below are the main process's own (serial) work
        out[-1:] = [f"main process {total:.2f} s CPU (serial: the phases below), forked -j "
                    f"workers {workers:.2f} s CPU", ""]
    for name in ("startup", "read", "write", "finish"):
        rows = sorted(((v, k[1]) for k, v in cost.items() if k[0] == name), reverse=True)
        out.append(f"[{name}]")
        for value, label in rows:
            if value >= 0.003 * total:
                out.append(f"  {value:7.3f} s {100 * value / total:5.1f}% "
                           f"{calls[(name, label)]:6d}x  {label}")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="200", help="'real' or a generated size (200)")
    parser.add_argument("--builder", default="mdx")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--jobs", default="1", help="sphinx-build -j (cProfile: main process only)")
    parser.add_argument("--timers", action="store_true",
                        help="no cProfile: time transforms and event handlers in-process")
    args = parser.parse_args()
    if args.corpus == "real":
        src = WORK / "real" / "src"
        shutil.rmtree(src, ignore_errors=True)
        shutil.copytree(ROOT / "source", src)
        confdir = ROOT
    else:
        src = confdir = generate(int(args.corpus), WORK / f"corpus-{args.corpus}")
    name = f"{args.builder}-{args.corpus}" + ("" if args.jobs == "1" else f"-j{args.jobs}")
    build = WORK / "prof" / name
    shutil.rmtree(build, ignore_errors=True)
    if args.timers:
        text = timed_build(["-q", "-j", args.jobs, "-b", args.builder, "-c", str(confdir),
                            "-d", str(build / "doctrees"), str(src), str(build / "out")])
        (WORK / "prof" / f"{name}-timers.txt").write_text(text, encoding="utf-8")
        print(text)
        return 0
    prof = WORK / "prof" / f"{name}.prof"
    prof.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "sphinx", "-q", "-j", args.jobs,
           "-b", args.builder, "-c", str(confdir), "-d", str(build / "doctrees"), str(src),
           str(build / "out")]
    proc = subprocess.run(cmd, cwd=ROOT)
    if proc.returncode != 0:
        print(f"build failed (exit {proc.returncode})", file=sys.stderr)
        return 1
    text = report(prof, args.top)
    (WORK / "prof" / f"{name}.txt").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
