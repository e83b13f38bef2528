"""Marks for executable examples: ``:run:``, ``:expect:``, ``:timeout:`` and ``:norun: REASON``
on ``code-block``.

The live suite (tests/live) runs the blocks marked ``:run:`` against a real Spark and compares
their output with the following ``:expect:`` block. A shell or Python block that cannot run
there says why with ``:norun: needs systemd`` (the live report prints the reason). Readers see neither mark: the options only
become node attributes that no writer renders.
"""
from __future__ import annotations

from docutils.parsers.rst import directives
from sphinx.directives.code import CodeBlock


class MarkedCodeBlock(CodeBlock):
    option_spec = {
        **CodeBlock.option_spec,
        "run": directives.flag,
        "expect": directives.flag,
        "timeout": directives.positive_int,
        "norun": directives.unchanged_required,
    }

    def run(self):
        result = super().run()
        for name in ("run", "expect"):
            if name in self.options:
                for node in result:
                    node[f"example_{name}"] = True
        if "norun" in self.options:
            for node in result:
                node["example_norun"] = self.options["norun"]
        return result


def setup(app):
    app.add_directive("code-block", MarkedCodeBlock, override=True)
    app.add_directive("code", MarkedCodeBlock, override=True)
    app.add_directive("sourcecode", MarkedCodeBlock, override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
