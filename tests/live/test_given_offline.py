"""``examples_given: synced NAME`` in a page's frontmatter reaches the live runner through the
manifest, and a wrong value fails the build at the page (no live stack needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

import runner

PAGE = """---
examples_given: {given}
---

# Page

```{{code-block}} bash
:run:
echo hi
```
"""


def _site(tmp_path: Path, given: str) -> Path:
    src = tmp_path / "src"
    (src / "flows").mkdir(parents=True)
    (src / "flows" / "echo.json").write_text("{}")
    (src / "page.md").write_text(PAGE.format(given=given))
    return src


def test_given_reaches_the_manifest(tmp_path: Path) -> None:
    src = _site(tmp_path, "synced echo")
    [page] = runner.load_manifest(runner.build_manifest(src, tmp_path / "build"), src)
    assert page.given == ["echo"]


@pytest.mark.parametrize("given", ["synced missing", "imported echo", "synced"])
def test_a_wrong_given_fails_the_build_at_the_page(tmp_path: Path, given: str) -> None:
    src = _site(tmp_path, given)
    with pytest.raises(runner.BuildError, match=r"page\.md:1: WARNING: examples_given"):
        runner.build_manifest(src, tmp_path / "build")
