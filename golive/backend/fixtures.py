"""Backend facts for the checks: the session inventory, and every fact a check asks for, each
with its cases and the evidence it records."""

from __future__ import annotations

import pytest

from golive.aws import AwsAccess
from golive.backend import access, cases
from golive.backend.facts import SecretRegion
from golive.backend.inventory import READS, BackendInventory
from golive.fixtures import Fact, recorded

__all__ = ["FACTS", "READS", "backend_inventory"]


@pytest.fixture(scope="session")
def backend_inventory(aws: AwsAccess) -> BackendInventory:
    return BackendInventory(aws)


INVENTORY = ("backend_inventory",)
FACTS = (
    Fact(
        "rds_instance",
        cases.rds_instance,
        INVENTORY,
        lambda case, backend: backend.db_instance(case.region, case.name),
        recorded("rds_instance"),
    ),
    Fact(
        "rds_iam_auth_required",
        lambda config: cases.iam_auth(config, "required"),
        INVENTORY,
        lambda case, backend: backend.db_instance(case.region, case.name),
        recorded("rds_instance"),
    ),
    Fact(
        "rds_iam_auth_advised",
        lambda config: cases.iam_auth(config, "advisory"),
        INVENTORY,
        lambda case, backend: backend.db_instance(case.region, case.name),
        recorded("rds_instance"),
    ),
    Fact(
        "db_connect",
        cases.db_connect,
        ("golive_config", "permissions", "backend_inventory"),
        access.db_connect,
        recorded("permission"),
    ),
    Fact(
        "secret", cases.secrets, INVENTORY, lambda case, backend: backend.secret(case.arn), recorded("secretsmanager")
    ),
    Fact(
        "secret_region",
        cases.secrets,
        ("golive_config",),
        lambda case, config: SecretRegion(case.arn, case.region, config.regions),
        recorded("secretsmanager_region"),
    ),
    Fact("secret_read", cases.secret_reads, ("permissions",), access.secret_read, recorded("permission")),
    Fact(
        "log_group",
        cases.log_group,
        INVENTORY,
        lambda case, backend: backend.log_group(case.region, case.name),
        recorded("log_group"),
    ),
    Fact(
        "log_write",
        cases.log_writes,
        ("golive_config", "permissions"),
        lambda case, config, permissions: access.log_write(case, config, permissions),
        recorded("permission"),
    ),
)
