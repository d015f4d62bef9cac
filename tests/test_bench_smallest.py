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
    # the simulations' floor counts contexts; golive asks a few more (the backend's questions, and
    # the actions on "*" apart from those on ARNs), within the 1.25 x the minimum in all
    total, floor = sum(calls.values()) + simulations, sum(minimum.values()) + least
    assert total <= 1.25 * floor, f"{total} calls ({simulations} simulations), at least {floor} would do"
