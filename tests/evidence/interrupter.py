"""A pytest plugin for the verdict tests: sends this process a signal as the Nth check starts,
so an interruption lands mid-run deterministically (GOLIVE_TEST_SIGNAL=INT:5), or as golive has
started (its embedded account running, its report folder made) but before the session (INT:configure)."""

from __future__ import annotations

import os
import signal

import pytest

_SIGNAL, _, _AT = os.environ.get("GOLIVE_TEST_SIGNAL", "INT:1").partition(":")
_started = 0


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if _AT == "configure":
        os.kill(os.getpid(), getattr(signal, f"SIG{_SIGNAL}"))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    global _started
    _started += 1
    if _AT.isdigit() and _started == int(_AT):
        os.kill(os.getpid(), getattr(signal, f"SIG{_SIGNAL}"))
