"""Environment-matrix facts for the checks: each variable of the service's environment, its form,
and what it must agree with. The env inventory holds the values (read with the config from a
dotenv file or the process, or from the deployed service's configuration); DNS answers the MX
question, the backend inventory the database's endpoint."""

from __future__ import annotations

import pytest

from golive.aws import AwsAccess
from golive.config import Config
from golive.env import cases, facts
from golive.env.inventory import READS, EnvInventory
from golive.fixtures import Fact, recorded

__all__ = ["FACTS", "READS", "env_inventory"]


@pytest.fixture(scope="session")
def env_inventory(aws: AwsAccess, golive_config: Config) -> EnvInventory:
    return EnvInventory(aws, golive_config)


MATRIX = ("env_inventory", "golive_config")
FACTS = (
    Fact("env_variable", cases.required, MATRIX, facts.presence, recorded("env_variable")),
    Fact("env_form", cases.with_form, MATRIX, facts.form, recorded("env_form")),
    Fact("env_sender", cases.senders, MATRIX, facts.sender, recorded("env_sender")),
    Fact(
        "env_configuration_set",
        cases.configuration_sets,
        MATRIX,
        facts.configuration_set,
        recorded("env_configuration_set"),
    ),
    Fact("env_reply_to", cases.reply_to, (*MATRIX, "dns_inventory"), facts.reply_to, recorded("env_reply_to")),
    Fact("env_static_keys", cases.static_keys, MATRIX, facts.static_keys, recorded("env_static_keys")),
    Fact("env_region", cases.regions, MATRIX, facts.region, recorded("env_region")),
    Fact("env_placement", cases.placed, MATRIX, facts.placement, recorded("env_placement")),
    Fact("env_database", cases.databases, (*MATRIX, "backend_inventory"), facts.database, recorded("env_database")),
)
