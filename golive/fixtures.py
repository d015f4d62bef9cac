"""Fixtures the checks stand on: configuration, then session inventories, then one fact per test.

A check's fact is fetched in its fixture, during setup: if golive cannot see it, the test
ends as an error (could not see), never as a pass or a failure of the audited thing.
"""

from __future__ import annotations

from typing import Any

import pytest

from golive.aws import AwsAccess
from golive.config import Config
from golive.inventory.permissions import PermissionAnswer, PermissionInventory
from golive.stash import EVIDENCE, RUN


def record(request: pytest.FixtureRequest, name: str, facts: Any) -> None:
    """Keep a fact as the test's evidence: shown in the HTML report, JUnit properties and evidence.json."""
    request.node.stash.setdefault(EVIDENCE, {})[name] = facts


@pytest.fixture(scope="session")
def golive_config(pytestconfig: pytest.Config) -> Config:
    return pytestconfig.stash[RUN].config


@pytest.fixture(scope="session")
def aws(pytestconfig: pytest.Config) -> AwsAccess:
    return pytestconfig.stash[RUN].access


@pytest.fixture(scope="session")
def permissions(aws: AwsAccess, golive_config: Config) -> PermissionInventory:
    return PermissionInventory(aws, golive_config)


@pytest.fixture
def must_allow(request: pytest.FixtureRequest, permissions: PermissionInventory) -> PermissionAnswer:
    answer = permissions.answer(request.param)
    record(request, "permission", answer.evidence())
    if not answer.allowed:
        record(request, "remediation", answer.remediation)
    return answer


@pytest.fixture
def must_deny(request: pytest.FixtureRequest, permissions: PermissionInventory) -> PermissionAnswer:
    answer = permissions.answer(request.param)
    record(request, "permission", answer.evidence())
    return answer
