"""The bench's smallest world (bench/worlds.py), audited: every read but the simulator's is
exactly bench/minimum.py's count, so a regression in calls fails here and not in a bench that
nobody runs. Times are the bench's business, never asserted."""

from __future__ import annotations

from bench.minimum import SIMULATION, minimum_calls
from bench.run import BASE
from bench.worlds import write_world
from golive.aws import ses_regions


def test_the_smallest_world_costs_its_minimum_calls(workspace):
    result = workspace.verify(write_world(BASE, workspace.config_dir))
    assert result.exit_code == 0, result.output  # GO: every check ran to the end
    calls = dict(result.evidence["aws_calls"])
    minimum = minimum_calls(BASE, len(ses_regions()))
    simulations, least = calls.pop(SIMULATION), minimum.pop(SIMULATION)
    assert calls == minimum, "every read but the simulator's, exactly its minimum"
    # Today the sender check simulates once for each other identity of the region, and a region's
    # questions without a sender (the backend's resources, must_allow, must_deny) take five calls
    # where one context would do: issue 13 ends both, and this bound becomes 1.25 x the minimum.
    others = BASE.principals * BASE.regions * (BASE.identities - 1)
    ungrouped = BASE.principals * BASE.regions * 4
    assert simulations <= least + others + ungrouped, f"{simulations} simulations, at least {least} would do"
