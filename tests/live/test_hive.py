"""Automagik Hive against Spark 0.3.7's Hive adapter (source/_data/hive-compat.json), measured.

Hive runs on a free loopback port from its lockfile; we call every path Spark's adapter uses
and the listing paths Hive itself serves, and register Hive as a Spark source. The result must
equal the committed data, which integrations/hive-setup renders; a change fails with a diff.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

import hive
from stack import free_port

pytestmark = pytest.mark.live
DATA = Path(__file__).resolve().parents[2] / "source" / "_data" / "hive-compat.json"
UPDATE = "SPARK_LIVE_UPDATE_COMPAT"


def measure(stack, server: hive.Hive) -> dict:
    status, src = stack.api_call("POST", "/api/v1/sources/", {
        "name": "hive", "source_type": "automagik-hive", "url": server.url, "api_key": "any"})
    if status == 201:
        added = "works" if src.get("status") == "active" else f"saved as {src.get('status')}"
    else:
        added = f"HTTP {status}"
    from importlib.metadata import version
    return {
        "spark": version("automagik-spark"),
        "hive": hive.RELEASE,
        "spark_calls": {path: server.status(path) for path in hive.SPARK_CALLS},
        "hive_paths": {path: server.status(path) for path in hive.HIVE_PATHS},
        "add_source": added,
    }


def test_hive_against_sparks_adapter(clean_stack) -> None:
    server = hive.Hive(free_port())
    try:
        server.start()
        measured = json.dumps(measure(clean_stack, server), indent=2) + "\n"
    finally:
        server.stop()
    if os.environ.get(UPDATE):
        DATA.parent.mkdir(parents=True, exist_ok=True)
        DATA.write_text(measured, encoding="utf-8")
    committed = DATA.read_text(encoding="utf-8") if DATA.exists() else ""
    if measured != committed:
        diff = "".join(difflib.unified_diff(committed.splitlines(True),
                                            measured.splitlines(True),
                                            f"{DATA.name} (committed)", f"{DATA.name} (measured)"))
        pytest.fail(f"Hive compatibility changed:\n{diff}\nIf right, rewrite and commit it:\n"
                    f"  {UPDATE}=1 .venv/bin/python -m pytest tests/live/test_hive.py",
                    pytrace=False)
