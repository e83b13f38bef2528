"""``{cli-command} sources add``: the real click command, formatted by sphinx-click."""
from __future__ import annotations

import click
from docutils import nodes
from docutils.parsers.rst import Parser as RSTParser
from sphinx.util.docutils import SphinxDirective, new_document
from sphinx_click.ext import NESTED_NONE, _format_command, nested

from .loader import CLI_MODULE, cli_group, package_files

PROG = "automagik-spark"


def find_command(path: list[str]):
    """The click context chain for a command path under the root group, or a helpful error."""
    ctx = click.Context(cli_group(), info_name=PROG)
    for name in path:
        group = ctx.command
        sub = group.commands.get(name) if isinstance(group, click.Group) else None
        if sub is None:
            known = ", ".join(sorted(getattr(group, "commands", {}))) or "none"
            raise LookupError(f"{ctx.command_path} has no command {name!r} (it has: {known})")
        ctx = click.Context(sub, info_name=name, parent=ctx)
    return ctx


class CliCommand(SphinxDirective):
    """Render one command of ``automagik-spark`` from the installed package."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"nested": nested}

    def run(self) -> list[nodes.Node]:
        for path in package_files(CLI_MODULE, "cli"):
            self.env.note_dependency(str(path))
        try:
            ctx = find_command(self.arguments[0].split())
        except LookupError as exc:
            raise self.error(f"cli-command: {exc}") from None
        ctx.meta["sphinx-click-env"] = self.env
        rst = "\n".join(_format_command(ctx, self.options.get("nested", NESTED_NONE), None))
        # sphinx-click writes reStructuredText; parse it as such, even inside a MyST page
        document = new_document(self.get_source_info()[0], self.state.document.settings)
        document.reporter = self.state.document.reporter
        RSTParser().parse(rst, document)
        container = nodes.container(classes=["spark-cli-reference"])
        self.set_source_info(container)
        container.extend(document.children)
        for node in container.findall():  # don't drag the scratch document into the pickle
            node.document = self.state.document
        return [container]


