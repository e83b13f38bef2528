"""Font Awesome icons as inline SVG, from the locally installed ``fontawesomefree`` package."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import fontawesomefree

SVG_ROOT = Path(fontawesomefree.__file__).parent / "static" / "fontawesomefree" / "svgs"
STYLES = ("solid", "regular", "brands")


@functools.cache
def icon_svg(name: str) -> str | None:
    """The SVG markup for a Mintlify/Font Awesome icon name, or None if the set lacks it."""
    for style in STYLES:
        path = SVG_ROOT / style / f"{name}.svg"
        if path.is_file():
            svg = path.read_text(encoding="utf-8")
            svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S).strip()  # drop the licence comment
            return svg.replace(
                "<svg ", '<svg class="spark-icon" aria-hidden="true" focusable="false" '
                'fill="currentColor" ', 1)
    return None
