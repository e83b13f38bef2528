"""Walks the component registry: every component builds in both targets (its MDX through
Mintlify's parser and renderer), every option reaches its Mintlify prop, and every bad option,
title or nesting is an error at file:line."""
from __future__ import annotations

import re
import shutil

import pytest

from helpers_node import node_json
from helpers_sphinx import sphinx_build
from support import TESTS

from mintlify_components import directives as d
from mintlify_components.registry import COMPONENTS, BY_NAME

ROOT = TESTS / "roots" / "components"
BLOCKS = [spec for spec in COMPONENTS if spec.kind != "role"]
ROLES = {"badge": "{badge}`beta`", "tooltip": "{tooltip}`API <the HTTP interface>`",
         "icon": "{icon}`rocket`"}
#: a good value for an option, by option name first, then by converter
GOOD = {"icon": "rocket", "href": "https://example.com/x", "color": '"#16A34A"'}
GOOD_BY_CONVERTER = {d.flag: "", d.cols: "3", d.text: "some-text", d.optional_text: "some-text"}
#: a value each converter rejects (an optional text takes anything: no bad value)
BAD_BY_CONVERTER = {d.flag: "yes", d.cols: "9", d.hex_color: "red", d.text: ""}
ARGUMENT = {d.location_and_name: "query limit", d.field_name: "field_name"}


def _site(tmp_path, pages: dict[str, str]):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "conf.py", src / "conf.py")
    for name, text in pages.items():
        (src / f"{name}.md").write_text(text)
    (src / "index.md").write_text("# Index\n\n```{toctree}\n:hidden:\n" + "\n".join(pages) + "\n```\n")
    return src


def _fenced(name: str, title: str, inner: str) -> str:
    fence = ":" * max([3] + [len(f) + 1 for f in re.findall(r"^(:{3,})", inner, re.M)])
    return f"{fence}{{{name}}} {title}".rstrip() + f"\n{inner}{fence}\n"


def _directive(spec, options: str = "", body: str = "Body text.\n", title: str | None = None,
               stray: str = "", wrap: bool = True) -> str:
    """The component with its child (a container) and inside its parent (a child)."""
    if title is None:
        title = ARGUMENT.get(spec.argument, "Title") if spec.title == "required" else ""
    inner = _directive(BY_NAME[spec.children[0]], body=body, wrap=False) if spec.children else body
    text = _fenced(spec.name, title, options + stray + inner)
    return _fenced(spec.parents[0], "", text) if spec.parents and wrap else text


def _good_options(spec) -> str:
    lines = []
    for name, option in spec.options.items():
        value = GOOD.get(name, GOOD_BY_CONVERTER.get(option.convert))
        assert value is not None, f"no good value for {spec.name} :{name}: (add one to GOOD)"
        lines.append(f":{name}: {value}".rstrip())
    return "".join(line + "\n" for line in lines)


def test_every_component_builds_in_both_targets_with_every_option(tmp_path):
    pages = {spec.tagname: f"# {spec.jsx}\n\n" + _directive(spec, _good_options(spec))
             for spec in BLOCKS}
    pages.update({name: f"# {name}\n\nText with {role}.\n" for name, role in ROLES.items()})
    assert sorted(ROLES) == sorted(s.name for s in COMPONENTS if s.kind == "role")
    src = _site(tmp_path, pages)
    for builder in ("mdx", "html"):
        sphinx_build(builder, src, tmp_path / builder, tmp_path / "d", confdir=src)
    for spec in COMPONENTS:
        mdx = (tmp_path / "mdx" / "spark" / f"{spec.tagname}.mdx").read_text()
        tag = re.search(rf"<{spec.jsx}\b([^>]*)>", mdx)
        assert tag, f"{spec.name}: no <{spec.jsx}> in\n{mdx}"
        for name, option in spec.options.items():
            assert re.search(rf"\b{option.prop}\b", tag[1]), f"{spec.name} :{name}: not in {tag[0]}"
        html = (tmp_path / "html" / f"{spec.tagname}.html").read_text()
        body = html[html.index('role="main"'):]
        assert "{" + spec.name not in body, f"{spec.name} left as source text in HTML"
        assert ("Body text." if spec.kind != "role" else "Text with") in body
    report = node_json("check_pages.mjs", str(tmp_path / "mdx"))
    assert report["pages"] == len(COMPONENTS) + 1 and report["problems"] == {}


def bad_cases() -> dict[str, tuple[str, str, str, bool]]:
    """Case -> (page body, a word of the error, the text on the line the error names, whether
    that line sits in another directive's content)."""
    cases = {}
    for spec in BLOCKS:
        top = f"{{{spec.name}}}"
        inside = bool(spec.parents)
        cases[f"{spec.name}-unknown-option"] = (
            _directive(spec, ":no-such-option: x\n"), "no-such-option", ":no-such-option:", inside)
        empty = _fenced(spec.name, "Title" if spec.title == "required" else "", "")
        if spec.parents:
            empty = _fenced(spec.parents[0], "", empty)
        cases[f"{spec.name}-empty"] = (empty, "is empty", top, inside)
        for name, option in spec.options.items():
            if option.convert is d.optional_text:
                continue
            assert option.convert in BAD_BY_CONVERTER, f"no bad value for {spec.name} :{name}:"
            value = BAD_BY_CONVERTER[option.convert]
            cases[f"{spec.name}-{name}-bad"] = (
                _directive(spec, f":{name}: {value}".rstrip() + "\n"), name, f":{name}:", inside)
        if spec.title == "required":
            cases[f"{spec.name}-no-title"] = (_directive(spec, title=" "), "needs a title", top,
                                              inside)
        elif spec.kind == "block":  # a callout's first line is its text (MyST, as for a note)
            cases[f"{spec.name}-title"] = (_directive(spec, title="Stray"), "takes no title", top,
                                           inside)
        if spec.parents:
            cases[f"{spec.name}-outside"] = (_directive(spec, wrap=False),
                                             f"{spec.name} outside {spec.parents[0]}", top, False)
        if spec.children:
            cases[f"{spec.name}-stray-child"] = (
                _directive(spec, stray="A stray paragraph.\n\n"),
                f"{spec.name} may only hold {spec.children[0]}", "A stray paragraph.", False)
        for outer in spec.not_within:
            cases[f"{spec.name}-in-{outer}"] = (
                _fenced(outer, "Outer", _directive(spec)), f"{spec.name} nested in {outer}",
                f"{top} Title", True)
    return cases


@pytest.mark.parametrize("builder", ["mdx", "html"])
def test_every_bad_option_title_and_nesting_is_an_error_at_file_and_line(tmp_path, builder):
    cases = bad_cases()
    assert len(cases) > 60
    pages = {f"bad-{i}": "# Bad\n\nIntro.\n\n" + case[0] for i, case in enumerate(cases.values())}
    src = _site(tmp_path, pages)
    proc = sphinx_build(builder, src, tmp_path / "out", tmp_path / "d", confdir=src, check=False)
    assert proc.returncode != 0
    missing = []
    for (case, (_, word, marker, inside)), page in zip(cases.items(), pages):
        lines = pages[page].splitlines()
        # MyST 5.2 reports what sits in another directive's content one line late (its
        # directive line mapping, executablebooks/MyST-Parser#1175): expect that line there
        line = next(i for i, text in enumerate(lines, 1) if marker in text) + inside
        if not re.search(rf"{page}\.md:{line}: (ERROR|WARNING|CRITICAL): .*{re.escape(word)}",
                         proc.stderr):
            missing.append(f"{case}: no error with {word!r} at {page}.md:{line}")
    assert missing == [], "\n".join(missing) + "\n" + proc.stderr[-3000:]
