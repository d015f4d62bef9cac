"""AWS calls grow with regions (and identities/100), never with checks: in the shipped worlds every
read but IAM's simulator is one call per region (or one per run for global ones), and the
simulator's count is held where it is, so a regression in calls fails here, not in a bench."""

from __future__ import annotations

import pytest

from golive.iam.probing import PRE_FILTER, SAMPLE, SAMPLED

GLOBAL = {"sts:GetCallerIdentity", "iam:GetAccountAuthorizationDetails"}
# measured; docs/simulations.md says where each comes from (bench/run.py prices the larger worlds)
SIMULATIONS = {"demo": 11, "demo-two-regions": 16, "seed-permissions": 4}
SEND_AS_ANOTHER = "checks/test_iam_least_privilege.py::test_sending_as_another_sender_is_denied"


@pytest.mark.parametrize("env", ["demo", "seed-permissions"])
def test_each_read_is_one_call_per_region(workspace, env):
    result = workspace.verify(env)
    regions = len(result.evidence["metadata"]["Regions"].split(", "))
    calls = dict(result.evidence["aws_calls"])
    calls.pop("iam:SimulatePrincipalPolicy")
    assert {op: n for op, n in calls.items() if op in GLOBAL} == dict.fromkeys(GLOBAL, 1)
    per_region = {op: n for op, n in calls.items() if op not in GLOBAL}
    assert per_region == dict.fromkeys(per_region, regions), "one call per region and read"


@pytest.mark.parametrize("env", sorted(SIMULATIONS))
def test_simulations_are_held_where_they_are(workspace, env):
    result = workspace.verify(env)
    assert result.evidence["aws_calls"]["iam:SimulatePrincipalPolicy"] == SIMULATIONS[env]


def _with_identities(count: int):
    def edit(data):
        identities = data["regions"]["ap-southeast-1"]["ses"]["identities"]
        identities.update({f"team-{n:03d}@bizassist.example": {} for n in range(count)})

    return edit


def test_simulations_do_not_grow_with_identities(workspace):
    simulations, probes = {}, {}
    for count in (3, 300):
        workspace.edit("scenarios/demo.yaml", _with_identities(count))
        result = workspace.verify("demo")
        assert result.exit_code == 0, result.output
        simulations[count] = result.evidence["aws_calls"]["iam:SimulatePrincipalPolicy"]
        probes[count] = result.evidence["checks"][f"{SEND_AS_ANOTHER}[api-ap-southeast-1-ses:SendEmail]"]["facts"]
    assert simulations[300] == simulations[3]
    scope = probes[300]["sender_scope"]
    requests = [sender for outcome in scope["probes"] for sender in outcome["requests"]]
    assert len(set(requests)) == len(requests) == 300 + 2, "every identity, and two addresses no identity holds"
    assert len(scope["probes"]) == 2, "one entry per way they were answered (pre-filter, sample), not per probe"
    assert scope["answered_by"] == {PRE_FILTER: 302 - SAMPLE, SAMPLED: SAMPLE}
