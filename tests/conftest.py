"""Session fixtures: one full-site build in both formats."""
from __future__ import annotations

import json

import pytest

from support import Site


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    built = Site(tmp_path_factory.mktemp("site"))
    built.build()
    return built


@pytest.fixture(scope="session")
def docs_json(site) -> dict:
    return json.loads((site.mdx / "docs.json").read_text())
