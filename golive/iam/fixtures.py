"""IAM facts: one permission decision per principal, region and action, and the
least-privilege facts per principal."""

from __future__ import annotations

from typing import Any

import pytest

from golive.aws import AwsAccess
from golive.config import Config
from golive.fixtures import Fact, recorded
from golive.iam import cases, least_privilege, senders
from golive.iam.inventory import READS as SIMULATION
from golive.iam.inventory import PermissionAnswer, PermissionInventory, Weighing
from golive.iam.principals import READS as AUTHORIZATION_DETAILS
from golive.iam.principals import Principals
from golive.iam.probing import Prober
from golive.ses import cases as ses_cases
from golive.stash import RUN

__all__ = ["FACTS", "READS", "permissions", "principals", "probes"]
READS = {**SIMULATION, **AUTHORIZATION_DETAILS}


@pytest.fixture(scope="session")
def principals(pytestconfig: pytest.Config, aws: AwsAccess) -> Principals:
    # the run confirms the caller's account before any check runs, so the caller is known here
    return Principals(aws, pytestconfig.stash[RUN].caller.arn)


@pytest.fixture(scope="session")
def permissions(aws: AwsAccess, golive_config: Config, principals: Principals) -> PermissionInventory:
    return PermissionInventory(aws, golive_config, principals)


@pytest.fixture(scope="session")
def probes(permissions: PermissionInventory, principals: Principals) -> Prober:
    return Prober(permissions, principals)


def _allow_evidence(answer: PermissionAnswer, _: Any) -> dict[str, Any]:
    """A missing permission records the least-privilege policy that would grant it."""
    return {"permission": answer.evidence(), **({} if answer.allowed else {"remediation": answer.remediation})}


def _weighing(case: cases.PrincipalCase, permissions: PermissionInventory) -> Weighing:
    return permissions.weighing(case.principal)


def _answer(case: cases.PermissionCase, permissions: PermissionInventory) -> PermissionAnswer:
    return permissions.answer(case)


SCOPE = ("golive_config", "probes")
FACTS = (
    Fact(
        "must_allow",
        lambda config: cases.permission_cases(config, "allow"),
        ("permissions",),
        _answer,
        _allow_evidence,
    ),
    Fact(
        "must_deny",
        lambda config: cases.permission_cases(config, "deny"),
        ("permissions",),
        _answer,
        recorded("permission"),
    ),
    Fact(
        "sender_scope",
        cases.senders,
        (*SCOPE, "ses_inventory"),
        least_privilege.sender_scope,
        recorded("sender_scope"),
    ),
    Fact(
        "other_senders",
        ses_cases.sender,
        ("golive_config", "principals", "permissions"),
        senders.other_senders,
        recorded("other_senders"),
    ),
    Fact("weighing", cases.weighed_principals, ("permissions",), _weighing, recorded("weighing")),
    Fact("region_scope", cases.send_actions_anywhere, SCOPE, least_privilege.region_scope, recorded("region_scope")),
    Fact("policy_review", cases.principals, ("principals",), least_privilege.policy_review, recorded("policy_review")),
    Fact(
        "access_keys",
        cases.production_principals,
        ("principals",),
        least_privilege.access_keys,
        recorded("access_keys"),
    ),
)
