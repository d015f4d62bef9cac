"""The one caching idiom of golive's inventories: each fact is read once, on first use, and
kept for every check that asks.

A could-not-see is kept too: the auditor is not asked again for each test that needs the
fact, and every such test reports the same failure.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from golive.errors import CouldNotSee

T = TypeVar("T")


class Memo:
    """Thread-safe; a read may ask the memo for other keys (the lock is re-entrant)."""

    def __init__(self) -> None:
        self._found: dict[Hashable, Any] = {}
        self._lock = threading.RLock()

    def __call__(self, key: Hashable, read: Callable[[], T]) -> T:
        with self._lock:
            if key not in self._found:
                try:
                    self._found[key] = read()
                except CouldNotSee as exc:
                    self._found[key] = exc
            found = self._found[key]
        if isinstance(found, CouldNotSee):
            # a fresh exception each time: a re-raised one would grow its traceback with every test
            raise CouldNotSee(str(found), found.permission, found.access_denied)
        return found
