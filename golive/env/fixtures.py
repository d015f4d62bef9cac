"""Environment-matrix facts for the checks: each variable of the service's environment, its form,
and what it must agree with. The matrix was read with the config; DNS answers the MX question."""

from __future__ import annotations

from golive.env import cases, facts
from golive.fixtures import Fact, recorded

__all__ = ["FACTS", "READS"]
READS: dict[tuple[str, str], tuple[str, ...]] = {}  # no AWS call of its own

CONFIG = ("golive_config",)
FACTS = (
    Fact("env_variable", cases.required, CONFIG, facts.presence, recorded("env_variable")),
    Fact("env_form", cases.with_form, CONFIG, facts.form, recorded("env_form")),
    Fact("env_sender", cases.senders, CONFIG, facts.sender, recorded("env_sender")),
    Fact(
        "env_configuration_set",
        cases.configuration_sets,
        CONFIG,
        facts.configuration_set,
        recorded("env_configuration_set"),
    ),
    Fact("env_reply_to", cases.reply_to, (*CONFIG, "dns_inventory"), facts.reply_to, recorded("env_reply_to")),
    Fact("env_static_keys", cases.static_keys, CONFIG, facts.static_keys, recorded("env_static_keys")),
    Fact("env_region", cases.regions, CONFIG, facts.region, recorded("env_region")),
    Fact("env_placement", cases.placed, CONFIG, facts.placement, recorded("env_placement")),
    Fact("env_database", cases.databases, (*CONFIG, "backend_inventory"), facts.database, recorded("env_database")),
)
