"""Environment-matrix cases: one per variable a check looks at, named by the variable.

The cases come from the config alone (each declared variable with a rule gets its checks), so
the suite an environment expects is known before AWS is opened, whatever the source: the values
are read later, by the env inventory. A check whose variable turns out not to be set, or not to
have its form, passes saying so ("not set (optional)", "not compared"): the presence or the form
check reports that defect, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from golive.config import Config
from golive.env.matrix import Variable

REGION_RULE = "region-in-config"
PLACED_RULES = ("postgres-url-in-region", "secret-arn-in-region")  # values that name a region
STATIC_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


@dataclass(frozen=True)
class VariableCase:
    variable: Variable

    @property
    def id(self) -> str:
        return self.variable.name


def _of(config: Config, *rules: str) -> list[VariableCase]:
    return [VariableCase(v) for v in config.env_variables if v.rule in rules]


def required(config: Config) -> list[VariableCase]:
    return [VariableCase(v) for v in config.env_variables if v.required]


def with_form(config: Config) -> list[VariableCase]:
    return [VariableCase(v) for v in config.env_variables if v.rule or v.one_of]


def senders(config: Config) -> list[VariableCase]:
    return _of(config, "equals-ses-from-address")


def configuration_sets(config: Config) -> list[VariableCase]:
    return _of(config, "equals-ses-configuration-set")


def reply_to(config: Config) -> list[VariableCase]:
    return _of(config, "email")


def regions(config: Config) -> list[VariableCase]:
    return _of(config, REGION_RULE)


def placed(config: Config) -> list[VariableCase]:
    return _of(config, *PLACED_RULES)


def databases(config: Config) -> list[VariableCase]:
    """A database URL, with backend.rds_instance named: is it that instance?"""
    return _of(config, "postgres-url-in-region") if config.backend.rds_instance else []


def static_keys(config: Config) -> list[VariableCase]:
    """In production, the checklist prefers a role to keys in the service's environment."""
    if not config.production or not config.env_variables:
        return []
    return [VariableCase(Variable(STATIC_KEYS[0], secret=True))]
