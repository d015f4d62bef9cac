"""The one caching idiom of golive's inventories: each fact is read once, on first use, and
kept for every check that asks.

A could-not-see is kept too: the auditor is not asked again for each test that needs the
fact, and every such test reports the same failure.

Regions are read in threads at the start of a run (golive/prefetch.py), so two threads may
ask for the same fact at once: the first reads it, the second waits for that answer rather
than asking AWS again. Each key has its own lock, so reads of different facts (another
region's, say) never wait for each other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from golive.errors import CouldNotSee

T = TypeVar("T")


class Memo:
    """Thread-safe: one read per key, however many threads ask; a read may ask for other keys."""

    def __init__(self) -> None:
        self._found: dict[Hashable, Any] = {}
        self._reading: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()  # guards the two dicts only, never held during a read

    def __call__(self, key: Hashable, read: Callable[[], T]) -> T:
        with self._lock:
            reading = self._reading.setdefault(key, threading.Lock())
        # Deadlock-free as long as reads nest without cycles (a region's attributes ask for its
        # identity list, never the other way round); a cycle would recurse forever in one thread too.
        with reading:
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
