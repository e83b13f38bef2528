"""Session fixture for the live suite: one real Spark 0.3.7 stack on 127.0.0.1."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import stack as live  # noqa: E402


@pytest.fixture(scope="session")
def live_stack():
    """PostgreSQL role+db, Redis, real LangFlow, Spark API and worker; torn down at
    the end of the session (every process is stopped by PID / process group)."""
    def _interrupt(*_):
        raise KeyboardInterrupt  # so a SIGTERM'd run still tears the stack down

    previous = signal.signal(signal.SIGTERM, _interrupt)
    spark = live.Stack()  # waits for any other live stack on this machine (fixed ports)
    try:
        try:
            spark.start()
        except live.StackError as exc:
            pytest.fail(f"the live Spark stack did not start:\n{exc}", pytrace=False)
        yield spark
    finally:
        try:
            spark.stop()
        finally:
            signal.signal(signal.SIGTERM, previous)


@pytest.fixture
def clean_stack(live_stack):
    """The live stack with every Spark table emptied and the LangFlow request log cleared."""
    live_stack.reset()
    return live_stack
