"""A permission decision names the layer that decided it, and its fix is made in that layer."""

from __future__ import annotations

import pytest

from golive.config import Principal
from golive.iam.cases import PermissionCase
from golive.iam.inventory import (
    BOUNDARY,
    IDENTITY_POLICY,
    LOCAL_ENGINE,
    SCP,
    PermissionAnswer,
    ResourceDecision,
    layer_of,
)

API = Principal("api", "arn:aws:iam::123456789012:role/api", ("ses:SendEmail",), (), {}, False)
DENIED = {"EvalDecision": "implicitDeny"}


@pytest.mark.parametrize(
    ("result", "specific", "layer"),
    [
        ({**DENIED, "OrganizationsDecisionDetail": {"AllowedByOrganizations": False}}, {}, SCP),
        (
            {**DENIED, "OrganizationsDecisionDetail": {"AllowedByOrganizations": False}},
            {"PermissionsBoundaryDecisionDetail": {"AllowedByPermissionsBoundary": False}},
            SCP,
        ),
        (DENIED, {"PermissionsBoundaryDecisionDetail": {"AllowedByPermissionsBoundary": False}}, BOUNDARY),
        ({**DENIED, "PermissionsBoundaryDecisionDetail": {"AllowedByPermissionsBoundary": False}}, {}, BOUNDARY),
        ({**DENIED, "OrganizationsDecisionDetail": {"AllowedByOrganizations": True}}, {}, IDENTITY_POLICY),
        (DENIED, {}, IDENTITY_POLICY),
    ],
    ids=["scp", "scp-over-boundary", "boundary-per-resource", "boundary", "org-allows", "identity"],
)
def test_the_simulators_answer_names_the_layer(result, specific, layer):
    assert layer_of(result, specific) == layer


def _answer(layer: str, engine: str = "aws-iam-simulator") -> PermissionAnswer:
    decision = ResourceDecision("arn:aws:ses:us-east-1:123456789012:identity/x.example", "implicitDeny", (), layer)
    case = PermissionCase(API, "us-east-1", "ses:SendEmail", "allow")
    return PermissionAnswer(case, API.arn, {}, (decision,), engine, remediation={"Version": "2012-10-17"})


def test_an_scp_denial_is_fixed_in_the_organization_not_by_attaching_a_policy():
    message = _answer(SCP).why_not_allowed()
    assert "the organization SCP does not allow it" in message
    assert "an SCP of the organization denies ses:SendEmail" in message
    assert "attach this least-privilege policy" not in message


def test_a_boundary_denial_is_fixed_in_the_boundary():
    message = _answer(BOUNDARY).why_not_allowed()
    assert "Fix: the permissions boundary of arn:aws:iam::123456789012:role/api does not allow ses:SendEmail" in message


def test_an_identity_policy_denial_offers_the_least_privilege_policy():
    message = _answer(IDENTITY_POLICY).why_not_allowed()
    assert "no statement allows it (implicit deny)" in message
    assert "Fix: attach this least-privilege policy" in message


def test_the_local_engine_says_which_layers_it_could_not_weigh():
    assert "not_weighed" not in _answer(IDENTITY_POLICY).evidence()
    evidence = _answer(IDENTITY_POLICY, LOCAL_ENGINE).evidence()
    assert evidence["not_weighed"] == ["organization SCPs and RCPs", "resource-based policies", "session policies"]
    assert evidence["decisions"][0]["decided_by"] == IDENTITY_POLICY
