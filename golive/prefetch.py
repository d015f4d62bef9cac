"""The regions read at once: before the first check, every fact the selected checks will ask
for is read, one thread per region, so that an audit of many regions takes about as long as
its busiest one (SES answers each region's management calls at one a second).

Nothing new is read: each thread asks the session's inventories for exactly the facts its
region's selected checks name, as their setup would, and the inventories keep every answer
(golive/memo.py), could-not-see included. A check then finds its fact already read, or reads
it itself: a `--gate dkim` run reads the DKIM attributes and never the account. Region-less
facts (a domain's DMARC, a principal's policies) have a thread of their own. Every call still
passes the read-only guard, the recorder and the rate limits (golive/aws.py, golive/limits.py).
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Iterable
from typing import Any

import pytest

from golive import areas
from golive.fixtures import Fact

MAX_THREADS = 32  # more than the regions SES is offered in: one thread each, and one for the rest

Read = tuple[Fact, Any, list[Any]]  # a fact, its case, the session fixtures its read is given


@pytest.fixture(scope="session", autouse=True)
def golive_prefetch(request: pytest.FixtureRequest) -> None:
    """Read the selected checks' facts, region by region in threads, before the first check runs."""
    groups = by_region(_planned(request.session.items), _fixtures(request))
    if len(groups) > 1:  # one group gains nothing from a thread: its checks read it in turn
        read_concurrently(groups.values())


def _planned(items: Iterable[pytest.Item]) -> list[tuple[Fact, Any]]:
    """Each (fact, case) the items will ask for, once, in the order they run."""
    facts, planned = areas.facts(), {}
    for item in items:
        for name, case in getattr(getattr(item, "callspec", None), "params", {}).items():
            fact = facts.get(name)
            if fact is not None and fact.prefetch:
                planned.setdefault((name, getattr(case, "id", repr(case))), (fact, case))
    return list(planned.values())


def _fixtures(request: pytest.FixtureRequest) -> Any:
    """The session fixtures a fact's read is given, got in the main thread; None where one fails:
    the checks that need it report that failure themselves."""
    got: dict[str, Any] = {}

    def needs(fact: Fact) -> list[Any] | None:
        for name in fact.needs:
            if name not in got:
                try:
                    got[name] = request.getfixturevalue(name)
                except Exception:  # noqa: BLE001 - pytest keeps the fixture's error for each test that needs it
                    got[name] = None
            if got[name] is None:
                return None
        return [got[name] for name in fact.needs]

    return needs


def by_region(planned: list[tuple[Fact, Any]], needs: Any) -> dict[str | None, list[Read]]:
    """The reads grouped by the case's region (None: region-less)."""
    groups: dict[str | None, list[Read]] = {}
    for fact, case in planned:
        needed = needs(fact)
        if needed is not None:
            region = getattr(case, "region", None)
            groups.setdefault(region if isinstance(region, str) and region else None, []).append((fact, case, needed))
    return groups


def read_concurrently(groups: Iterable[list[Read]]) -> None:
    """Each group's reads in turn, in a thread of its own; Ctrl-C stops them at the next read."""
    groups = list(groups)
    stop = threading.Event()

    def read(group: list[Read]) -> None:
        for fact, case, needed in group:
            if stop.is_set():
                return
            try:
                fact.read(case, *needed)
            except Exception:  # noqa: BLE001, S112 - a warm-up only: the check reads it again and reports it
                continue  # (a could-not-see is kept by the inventory; anything else is raised again there)

    pool = concurrent.futures.ThreadPoolExecutor(min(MAX_THREADS, len(groups)), thread_name_prefix="golive-read")
    try:
        concurrent.futures.wait([pool.submit(read, group) for group in groups])
    except BaseException:
        stop.set()  # an interruption: no region starts another read, and the run ends INTERRUPTED
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
