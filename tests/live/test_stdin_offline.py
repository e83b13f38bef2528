"""``:stdin: "ANSWERS"``: a ``:run:`` shell block whose prompts the runner answers on a
terminal, as a reader types (``typein.py``). No live stack needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import runner

#: an interactive command: bash's ``read -p`` prompts only on a terminal
ASK = 'read -r -p "Name: " name && read -r -p "Colour [blue]: " colour && echo "Hi $name, ${colour:-blue}"'

PAGE = """# Page

```{{code-block}} bash
:run:
:stdin: "Ada\\ngreen"
{command}
```

```{{code-block}} text
:expect:
{expect}
```
"""


def _page(tmp_path: Path, text: str) -> runner.Page:
    src = tmp_path / "src"
    src.mkdir()
    (src / "p.md").write_text(text)
    return runner.load_manifest(runner.build_manifest(src, tmp_path / "build"), src)[0]


def _typein(answers: str, command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(runner.TYPE_IN), answers, "bash", "-c", command],
                          capture_output=True, text=True, timeout=30)


def test_typein_answers_each_prompt_with_the_echo_a_terminal_shows() -> None:
    done = _typein("Ada\ngreen", ASK)
    assert done.returncode == 0, done
    lines = [runner.normalise_line(line) for line in done.stdout.splitlines()]
    assert lines == ["Name: Ada", "Colour [blue]: green", "Hi Ada, green"]


def test_typein_sends_end_of_file_when_the_answers_run_out() -> None:
    done = _typein("Ada", ASK)  # the second prompt gets Ctrl-D: read fails, no hang
    assert done.returncode == 1
    assert "Hi" not in done.stdout


def test_a_stdin_block_runs_with_its_answers_and_meets_its_expect(tmp_path: Path) -> None:
    page = _page(tmp_path, PAGE.format(command=ASK,
                                       expect="Name: Ada\nColour [blue]: green\nHi Ada, green"))
    [example], problems = runner.examples_of(page)
    assert problems == [] and example.stdin == "Ada\ngreen"
    result = runner.run_page(page)
    assert result.ok, result.report()


def test_a_stdin_block_with_other_output_fails(tmp_path: Path) -> None:
    page = _page(tmp_path, PAGE.format(command=ASK, expect="Hi Ada, blue"))
    result = runner.run_page(page)
    assert not result.ok
    assert "Hi Ada, blue" in result.report()


@pytest.mark.parametrize("block", [
    '```{code-block} bash\n:stdin: "Ada"\necho no run\n```',          # without :run:
    '```{code-block} python\n:run:\n:stdin: "Ada"\nprint(input())\n```',  # not a shell block
])
def test_stdin_on_a_block_that_cannot_take_it_fails_the_build_at_its_line(
        tmp_path: Path, block: str) -> None:
    with pytest.raises(runner.BuildError, match=r"p\.md:3: WARNING: :stdin: answers"):
        _page(tmp_path, f"# Page\n\n{block}\n")
