"""The LangFlow compatibility matrix of the docs (source/_data/langflow-compat.json), measured.

Every LangFlow release of ``langflow.RELEASES`` runs in both of LangFlow's setups (the session's
LangFlow is the newest release in the recommended setup; the others start here, side by side,
on free loopback ports), and the api-key one is measured a second time through the nginx proxy. The measured matrix must equal the committed one; when LangFlow or Spark
behaves differently the test fails with the difference and the command that rewrites the data.
"""

from __future__ import annotations

import difflib
import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

import compat
import langflow
from proxy import NginxProxy
from stack import free_port

pytestmark = pytest.mark.live
UPDATE = "SPARK_LIVE_UPDATE_COMPAT"


def test_langflow_compatibility_matrix(clean_stack) -> None:
    instances = {(langflow.NEWEST, "no-auth"): clean_stack.langflow}
    assert clean_stack.langflow.release == langflow.NEWEST
    assert clean_stack.langflow.setup == "no-auth"
    others = [langflow.LangFlow(release, setup, port=free_port())
              for release in langflow.RELEASES for setup in langflow.SETUPS
              if (release, setup) not in instances]
    proxies = []
    try:
        with ThreadPoolExecutor(len(others)) as pool:
            list(pool.map(lambda lf: lf.start(), others))
        instances.update({(lf.release, lf.setup): lf for lf in others})
        for lf in others:
            if lf.setup == "api-key":
                proxies.append(NginxProxy(lf.port, free_port()).start())
                instances[(lf.release, "api-key-proxy")] = compat.Proxied(lf, proxies[-1])
        measured = compat.dump(compat.measure(clean_stack, instances))
    finally:
        for server in proxies + others:
            server.stop()
    if os.environ.get(UPDATE):
        compat.DATA.parent.mkdir(parents=True, exist_ok=True)
        compat.DATA.write_text(measured, encoding="utf-8")
    committed = compat.DATA.read_text(encoding="utf-8") if compat.DATA.exists() else ""
    if measured != committed:
        diff = "".join(difflib.unified_diff(
            committed.splitlines(True), measured.splitlines(True),
            f"{compat.DATA.name} (committed)", f"{compat.DATA.name} (measured now)"))
        pytest.fail(f"LangFlow compatibility changed:\n{diff}\nIf the new results are right, "
                    f"rewrite the data and commit it:\n  {UPDATE}=1 .venv/bin/python -m pytest "
                    "tests/live/test_compat.py", pytrace=False)


def test_compat_data_renders_every_cell() -> None:
    """Every (release, setup, operation) of the committed data has a result."""
    data = json.loads(compat.DATA.read_text(encoding="utf-8"))
    assert set(data["releases"]) == set(langflow.RELEASES)
    for release, entry in data["releases"].items():
        assert list(entry["results"]) == list(compat.SETUP_NAMES), release
        for setup, results in entry["results"].items():
            assert list(results) == list(compat.OPERATIONS), (release, setup)
