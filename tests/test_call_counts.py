"""AWS calls grow with regions (and identities/100), never with checks: in the shipped worlds every
read but IAM's simulator is one call per region (or one per run for global ones), and the
simulator's count is held where it is, so a regression in calls fails here, not in a bench."""

from __future__ import annotations

import pytest

GLOBAL = {"sts:GetCallerIdentity", "iam:GetAccountAuthorizationDetails"}
SIMULATIONS = {"demo": 40, "seed-permissions": 4}  # bench/run.py prices the larger worlds


@pytest.mark.parametrize("env", sorted(SIMULATIONS))
def test_each_read_is_one_call_per_region_and_simulations_do_not_grow(workspace, env):
    result = workspace.verify(env)
    regions = len(result.evidence["metadata"]["Regions"].split(", "))
    calls = dict(result.evidence["aws_calls"])
    assert calls.pop("iam:SimulatePrincipalPolicy") <= SIMULATIONS[env]
    assert {op: n for op, n in calls.items() if op in GLOBAL} == dict.fromkeys(GLOBAL, 1)
    per_region = {op: n for op, n in calls.items() if op not in GLOBAL}
    assert per_region == dict.fromkeys(per_region, regions), "one call per region and read"
