"""The bounded thread pool golive reads regions in: the audit's prefetch (golive/prefetch.py) and
`golive init --from-account` (golive/ses/discovery.py), one thread per item, so that many regions
take about as long as the busiest one (SES answers each region's management calls at one a second);
and `at_once`, which starts calls to be waited for later (the embedded account's servers stopping
while the reports are written).

The pool adds no way around golive's access: every call a thread makes goes through the AwsAccess
it was given, its read-only guard, its recorder and its rate limits (golive/aws.py, golive/limits.py).
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

MAX_THREADS = 40  # SES is offered in 33 regions: a thread for each, and one for the region-less facts

T = TypeVar("T")
R = TypeVar("R")


def in_threads(work: Callable[[T], R], items: Iterable[T], stop: threading.Event | None = None) -> list[R]:
    """`work(item)` for every item, each in a thread of the pool; the results in the items' order.

    Where `work` raises, the exception of the first such item (in the items' order) is raised once
    every item has ended. An interruption (Ctrl-C, SIGTERM) sets `stop`, for the work to look at
    between its calls, starts no other item and is raised at once.
    """
    items = list(items)
    pool = concurrent.futures.ThreadPoolExecutor(max(1, min(MAX_THREADS, len(items))), thread_name_prefix="golive-read")
    try:
        futures = [pool.submit(work, item) for item in items]
        # short waits: a signal the kernel hands to a reading thread would not wake one long wait,
        # and Python runs its handler (Ctrl-C, SIGTERM) only in the main thread, once it wakes
        while concurrent.futures.wait(futures, timeout=0.1).not_done:
            pass
    except BaseException:
        if stop is not None:
            stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return [future.result() for future in futures]


def at_once(calls: Iterable[Callable[[], object]]) -> Callable[[], None]:
    """Start every call, each in a thread of its own; the `wait` returned returns once all have
    ended, and raises the first failure."""
    calls = list(calls)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(len(calls), 1), thread_name_prefix="golive-stop")
    started = [pool.submit(call) for call in calls]

    def wait() -> None:
        pool.shutdown()  # its threads too have ended when this returns
        for done in started:
            done.result()

    return wait
