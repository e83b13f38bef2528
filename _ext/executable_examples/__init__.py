"""Marks for executable examples: ``:run:``, ``:expect:``, ``:timeout:``, ``:norun: REASON``,
``:serve: READY TEXT`` and ``:after-ctrl-c:`` on ``code-block``, and the manifest of every
example the live suite reads.

``:serve: TEXT`` marks a ``:run:`` block that starts a server in the foreground (the reader
opens a terminal for it): the live runner starts it in the background, waits until TEXT appears
in its output and goes on; at the end of the page, or before a later block marked
``:after-ctrl-c:``, it stops it with SIGINT, as the reader's Ctrl-C would, and checks it stopped.
``:after-ctrl-c: TEXT`` stops only the servers whose commands contain TEXT. ``:save-as: NAME``
marks a file the page tells the reader to save (a module a later block serves): the runner
writes it into the working directory at that point of the page.
A block that starts Spark's own API or worker says so with ``:hand-over: api`` (or ``worker``,
or both): the live stack stops its own right before that block and starts it again after the
page, so the page's ``api start`` or ``worker start`` runs literally.

``:stdin: "ANSWERS"`` on a ``:run:`` shell block answers its prompts, one line of ANSWERS per
prompt (write ``\n`` between them), typed on a terminal as a reader would
(``tests/live/typein.py``); on any other block it is a warning at file:line.

The live suite (tests/live) runs the blocks marked ``:run:`` against a real Spark and compares
their output with the following ``:expect:`` block. A shell or Python block that cannot run
there says why with ``:norun: needs systemd`` (the live report prints the reason). Readers see
neither mark: the options only become node attributes that no writer renders. A bad option
value (``:timeout: soon``) is a Sphinx error at the block's file and line.

During the build every code block of a page (directive or plain fence, and the request examples
an ``{api-endpoint}`` renders) is recorded in build order with its page, line, language, kind,
options and text; at the end of the build the records go to ``<doctreedir>/executable-examples
.json`` (``MANIFEST``). Records live in the environment per document (purged and merged like
any env data), so ``-j N`` builds and incremental builds give the same manifest.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.code import CodeBlock
from sphinx.util import logging

logger = logging.getLogger(__name__)

MANIFEST = "executable-examples.json"
SHELL_LANGS = {"bash", "sh", "shell", "console", "shell-session", "zsh"}
PYTHON_LANGS = {"python", "python3", "py", "pycon"}
PLAIN_LANGS = {"", "default", "none", "text", "plain"}
#: first words that make an unlabelled fence a shell block
SHELL_WORDS = {"automagik-spark", "curl", "pip", "pip3", "python", "python3", "export", "cd",
               "sudo", "docker", "git", "uv", "uvx", "systemctl", "celery", "npm", "make",
               "source", "psql", "redis-cli", "cat", "echo", "ls", "mkdir", "journalctl",
               "langflow", "ps", "kill", "tail", "openssl", "apt", "apt-get", "brew"}


#: the live stack's processes a block may take over (``:hand-over:``)
HAND_OVER = ("api", "worker")


def hand_over_option(argument: str | None) -> list[str]:
    words = (argument or "").split()
    if not words or any(w not in HAND_OVER for w in words) or len(set(words)) != len(words):
        raise ValueError(f"expected one or more of {' '.join(HAND_OVER)}, got {argument!r}")
    return words


#: the marks a code block may carry (each is stored on its literal_block as ``example_<name>``)
MARKS = {
    "run": directives.flag,
    "expect": directives.flag,
    "timeout": directives.positive_int,
    "norun": directives.unchanged_required,
    "stdin": directives.unchanged_required,
    "serve": directives.unchanged_required,
    "after-ctrl-c": lambda arg: (arg or "").strip() or True,
    "hand-over": hand_over_option,
    "save-as": directives.unchanged_required,
}


class MarkedCodeBlock(CodeBlock):
    option_spec = {**CodeBlock.option_spec, **MARKS}

    def run(self):
        result = super().run()
        for node in result:
            if not isinstance(node, nodes.literal_block):  # a :caption: wraps the block
                node = next(node.findall(nodes.literal_block), node)
            for name in MARKS:
                if name in self.options:
                    value = self.options[name]
                    node["example_" + name.replace("-", "_")] = True if value is None else value
        language = self.arguments[0] if self.arguments else ""
        if "stdin" in self.options and ("run" not in self.options or
                                        classify(language, "\n".join(self.content)) != "shell"):
            logger.warning(":stdin: answers the prompts of a :run: shell block; this block "
                           "is not one", location=self.get_location(), type="examples",
                           subtype="stdin")
        return result


def classify(language: str, text: str) -> str:
    """``shell``, ``python`` or ``other``; an unlabelled fence is shell when it reads as one."""
    language = (language or "").lower()
    if language in SHELL_LANGS:
        return "shell"
    if language in PYTHON_LANGS:
        return "python"
    if language in PLAIN_LANGS:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        if first.startswith("$ "):
            return "shell"
        word = re.split(r"[\s=]", first, maxsplit=1)[0]
        if word in SHELL_WORDS:
            return "shell"
    return "other"


#: the manifest keys a block has only when its mark is set
OPTIONAL = ("timeout", "norun", "stdin", "serve", "after_ctrl_c", "save_as", "hand_over", "api")


def record(app, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    path = Path(env.doc2path(docname)).relative_to(Path(app.srcdir)).as_posix()
    entries = []
    for node in doctree.findall(nodes.literal_block):
        text = node.astext()
        language = node.get("language", "") or ""
        entry = {
            "page": path, "line": _line(node), "language": language,
            "kind": "synopsis" if node.get("example_synopsis") else classify(language, text),
            "text": text,
            "run": bool(node.get("example_run")), "expect": bool(node.get("example_expect")),
        }
        for name in OPTIONAL:  # after_ctrl_c is True or a command's text; api is
            if node.get("example_" + name):  # {"operation": "POST /x", "expect": "201 ..."}
                entry[name] = node["example_" + name]
        entries.append(entry)
    env.executable_examples[docname] = entries


def _line(node: nodes.Element) -> int:
    """The 1-based line of the block's opening fence (or of the directive that made it)."""
    current = node
    while current is not None:
        if current.line:
            return current.line
        current = current.parent
    return 0


def init_env(app, env, docnames) -> None:
    if not hasattr(env, "executable_examples"):
        env.executable_examples = {}


def purge(app, env, docname) -> None:
    getattr(env, "executable_examples", {}).pop(docname, None)


def merge(app, env, docnames, other) -> None:
    env.executable_examples.update({d: other.executable_examples[d] for d in docnames
                                    if d in other.executable_examples})


def given(app, docname: str) -> list[str]:
    """The state a page's examples start from, from its frontmatter: ``examples_given:
    synced NAME`` means the flow ``flows/NAME.json`` is imported into LangFlow, a source is
    registered and the flow is synced, as the setup pages teach (readers see a link there)."""
    value = app.env.metadata.get(docname, {}).get("examples_given")
    if not value:
        return []
    words = str(value).split()
    flow = Path(app.srcdir) / "flows" / f"{words[-1]}.json"
    if len(words) != 2 or words[0] != "synced" or not flow.is_file():
        logger.warning("examples_given: expected 'synced NAME' with flows/NAME.json, got %r",
                       value, location=(docname, 1), type="examples", subtype="given")
        return []
    return [words[1]]


def write_manifest(app, exception) -> None:
    if exception is not None:
        return
    data = getattr(app.env, "executable_examples", {})
    manifest = {
        "srcdir": ".",
        "pages": [{"docname": d, "blocks": data[d], "given": given(app, d)}
                  for d in sorted(data) if data[d]],
    }
    target = Path(app.doctreedir) / MANIFEST
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(target)


def setup(app):
    app.add_directive("code-block", MarkedCodeBlock, override=True)
    app.add_directive("code", MarkedCodeBlock, override=True)
    app.add_directive("sourcecode", MarkedCodeBlock, override=True)
    app.connect("env-before-read-docs", init_env)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("doctree-read", record)
    app.connect("build-finished", write_manifest)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 2}
