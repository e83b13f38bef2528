"""`make livehtml`: sphinx-autobuild, every rebuild run by Sphinx inside a fork of this process.

sphinx-autobuild starts `python -m sphinx` for each edit: a fresh interpreter imports Sphinx, our
extensions and Spark's CLI (which the cli/ pages read), then tears them down again, which is most
of an edit's wait. Here the first build runs in this process, and since sphinx-autobuild already
runs each rebuild in a forked worker, every later build starts with all of that imported and only
reads and writes what changed. Code under _ext/ is imported once: restart after editing it.
Arguments are sphinx-autobuild's."""
from __future__ import annotations

import sys

from sphinx.cmd.build import build_main
from sphinx_autobuild import __main__ as autobuild
from sphinx_autobuild.build import Builder
from sphinx_autobuild.utils import show_command, show_message


class InProcessBuilder(Builder):
    def __init__(self, sphinx_args, *, pre_build_commands, post_build_commands, **kwargs):
        if pre_build_commands or post_build_commands:
            sys.exit("tools/livehtml.py: --pre-build and --post-build are not supported")
        super().__init__(sphinx_args, pre_build_commands=[], post_build_commands=[], **kwargs)

    def __call__(self, *, changed_paths):
        if changed_paths:
            show_message(f"Detected changes ({', '.join(map(str, changed_paths[:5]))})")
        show_command(["sphinx-build", *self.sphinx_args])
        if status := build_main(self.sphinx_args):
            print(f"Sphinx exited with exit code {status}: still serving the last build")
        if not changed_paths and "spark_reference.loader" in sys.modules:  # the first build
            # Spark's CLI, which spark_reference reads only when a cli/ page changes (its import
            # takes ~1.5 s): imported once, after the conf.py that sets the environment it reads
            sys.modules["spark_reference.loader"].cli_group()
        show_message(f"Serving on {self.uri}")


if __name__ == "__main__":
    autobuild.Builder = InProcessBuilder  # main() makes its builder from this module attribute
    autobuild.main(sys.argv[1:])
