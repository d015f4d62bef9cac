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

import threading
from collections.abc import Iterable
from typing import Any

import pytest

from golive import areas
from golive.fixtures import Fact, selected
from golive.threads import in_threads

Read = tuple[Fact, Any, list[Any]]  # a fact, its case, the session fixtures its read is given


@pytest.fixture(scope="session", autouse=True)
def golive_prefetch(request: pytest.FixtureRequest) -> None:
    """Read the selected checks' facts, region by region in threads, before the first check runs."""
    groups = planned(request)
    if len(groups) > 1:  # one group gains nothing from a thread: its checks read it in turn
        read_concurrently(groups.values())


def planned(request: pytest.FixtureRequest) -> dict[str | None, list[Read]]:
    """Each fact the session's checks will ask for, once, grouped by its case's region (None:
    region-less), in the order the checks run."""
    facts, groups = areas.facts(), {}
    for name, case in selected(request.session, {name for name, fact in facts.items() if fact.prefetch}):
        fact = facts[name]
        needed = _session_fixtures(request, fact.needs)
        if needed is not None:
            region = getattr(case, "region", None) or None  # "": the regions not configured
            groups.setdefault(region, []).append((fact, case, needed))
    return groups


def _session_fixtures(request: pytest.FixtureRequest, names: tuple[str, ...]) -> list[Any] | None:
    # got here, in the main thread; None where one fails: pytest keeps that error, and raises it
    # again in the setup of each check that needs the fixture, where it is reported
    try:
        return [request.getfixturevalue(name) for name in names]
    except Exception:
        return None


def read_concurrently(groups: Iterable[list[Read]]) -> None:
    """Each group's reads in turn, in a thread of its own; Ctrl-C stops them at the next read."""
    stop = threading.Event()

    def read(group: list[Read]) -> None:
        for fact, case, needed in group:
            if stop.is_set():
                return
            try:
                fact.read(case, *needed)
            except Exception:  # a warm-up only: the check's setup reads it again and reports what it raises
                continue  # (a could-not-see the inventory keeps; anything else happens again there)

    in_threads(read, groups, stop)
