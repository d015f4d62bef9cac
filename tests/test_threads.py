"""The thread pool the regions are read in: every item at once, the results in the items' order,
and a failure raised only once every item has ended (the first item's, whatever ended first)."""

from __future__ import annotations

import threading

import pytest

from golive.threads import in_threads


def test_every_item_runs_at_once_and_the_results_keep_the_items_order():
    together = threading.Barrier(4, timeout=10)  # one after another, the first item would wait forever

    def work(item: str) -> str:
        together.wait()
        return item.upper()

    assert in_threads(work, ["d", "c", "b", "a"]) == ["D", "C", "B", "A"]


def test_the_first_item_s_failure_is_raised_once_every_item_has_ended():
    ended, third_failed = [], threading.Event()

    def work(item: int) -> int:
        if item == 3:
            third_failed.set()
            raise LookupError("3")
        if item == 1:
            third_failed.wait(10)  # the later item fails first
            ended.append(item)
            raise ValueError("1")
        ended.append(item)
        return item

    with pytest.raises(ValueError, match="1"):
        in_threads(work, [0, 1, 2, 3, 4])
    assert sorted(ended) == [0, 1, 2, 4]
