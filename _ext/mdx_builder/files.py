"""Writing output files only when they change (incremental builds keep their mtimes)."""
from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.util.osutil import ensuredir


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` unless the file already holds it; True when written."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    ensuredir(path.parent)
    path.write_text(text, encoding="utf-8")
    return True


def copy_if_changed(source: Path, target: Path) -> bool:
    if target.is_file():
        s, t = source.stat(), target.stat()
        if s.st_size == t.st_size and s.st_mtime <= t.st_mtime:
            return False
    ensuredir(target.parent)
    shutil.copy2(source, target)
    return True
