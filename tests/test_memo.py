"""The inventories' memo under threads: one read per key however many threads ask at once, a
could-not-see kept for each of them, and a slow read that holds up no other key."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from golive.errors import CouldNotSee
from golive.memo import Memo

THREADS = 8


def _at_once(memo: Memo, key: str, read) -> list:
    """`memo(key, read)` from THREADS threads released together; each thread's answer or exception."""
    start = threading.Barrier(THREADS)

    def ask() -> object:
        start.wait()
        try:
            return memo(key, read)
        except CouldNotSee as exc:
            return exc

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(lambda _: ask(), range(THREADS)))


def test_threads_asking_at_once_share_one_read():
    memo, reads = Memo(), []
    answers = _at_once(memo, "identities", lambda: reads.append(1) or threading.Event().wait(0.2) or "found")
    assert len(reads) == 1
    assert answers == ["found"] * THREADS


def test_a_could_not_see_is_read_once_and_raised_for_every_thread():
    memo, reads = Memo(), []

    def denied() -> None:
        reads.append(1)
        threading.Event().wait(0.2)
        raise CouldNotSee("could not list the SES identities", "ses:ListIdentities", access_denied=True)

    answers = _at_once(memo, "identities", denied)
    assert len(reads) == 1
    assert all(isinstance(a, CouldNotSee) and a.permission == "ses:ListIdentities" for a in answers)
    assert len({id(a) for a in answers}) == THREADS, "a fresh exception for each: no shared traceback"
    with pytest.raises(CouldNotSee, match="could not list"):
        memo("identities", lambda: "never asked again")


def test_a_slow_read_holds_up_no_other_key():
    memo, release = Memo(), threading.Event()
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(memo, "us-east-1", lambda: release.wait(5) and "east")
        assert memo("us-west-2", lambda: "west") == "west"  # answered while the other read waits
        assert not slow.done()
        release.set()
        assert slow.result() == "east"


def test_a_read_may_ask_for_other_keys():
    memo = Memo()
    assert memo("attributes", lambda: [*memo("identities", lambda: ["a.example"]), "dkim"]) == ["a.example", "dkim"]
    assert memo("identities", lambda: "not read again") == ["a.example"]


def test_an_error_that_is_not_a_could_not_see_is_not_kept():
    memo, reads = Memo(), []

    def broken() -> str:
        reads.append(1)
        if len(reads) == 1:
            raise KeyError("Identities")
        return "found"

    with pytest.raises(KeyError):
        memo("identities", broken)
    assert memo("identities", broken) == "found"
