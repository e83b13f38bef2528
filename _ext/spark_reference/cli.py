"""``{cli-command} sources add``: the real click command, formatted by sphinx-click."""
from __future__ import annotations

import click
from docutils import nodes
from docutils.parsers.rst import Parser as RSTParser
from sphinx.util.docutils import SphinxDirective, new_document
from sphinx_click.ext import NESTED_NONE, _format_command, _get_help_record, nested

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
            if isinstance(node, nodes.literal_block):  # "automagik-spark … [OPTIONS]"
                node["example_synopsis"] = True  # a usage line, not an example to run
        return [container]




def _cell(text: str) -> str:
    """Plain text for a reStructuredText table cell."""
    for char in "\\*`|_":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split()) or "\\-"


def _type_label(option: click.Option) -> str:
    if option.is_flag:
        return "flag"
    if isinstance(option.type, click.Choice):
        return "one of " + ", ".join(str(c) for c in option.type.choices)
    return option.type.name


def _default_label(option: click.Option) -> str:
    default = option.to_info_dict().get("default")
    if option.is_flag:
        return "on" if default else "off"
    if default is None or default == "" or callable(default):
        return ""
    return ", ".join(map(str, default)) if isinstance(default, (list, tuple)) else str(default)


def options_table(app, ctx: click.Context, lines: list[str]) -> None:
    """sphinx-click-process-options: the options as one table (option, type, default, required,
    description), straight from the click definitions, in place of sphinx-click's list."""
    options = [p for p in ctx.command.params
               if isinstance(p, click.Option) and not getattr(p, "hidden", False)]
    if not options:
        return
    table = [".. list-table::", "   :header-rows: 1", "   :class: spark-cli-options", "",
             "   * - Option", "     - Type", "     - Default", "     - Required",
             "     - Description"]
    for option in options:
        default = _default_label(option)
        table += [f"   * - ``{_get_help_record(ctx, option)[0]}``",
                  f"     - {_cell(_type_label(option))}",
                  f"     - ``{default}``" if default else "     - \\-",
                  f"     - {'yes' if option.required else 'no'}",
                  f"     - {_cell(option.help or '')}"]
    lines[:] = table + [""]
