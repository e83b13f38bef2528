"""Sphinx builder that writes Mintlify MDX pages and docs.json."""
from __future__ import annotations

from .builder import MdxBuilder, setup_builder
from .translator import MdxTranslator

__all__ = ["MdxBuilder", "MdxTranslator", "setup"]


def setup(app):
    setup_builder(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
