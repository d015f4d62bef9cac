"""Environment-matrix cases: one per variable a check looks at, named by the variable.

A rule is checked where the value is there: a required variable that is missing fails its
presence check, and its form and cross-checks, which would only repeat that, have no case.
"""

from __future__ import annotations

from dataclasses import dataclass

from golive.config import Config
from golive.env import forms
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


def _present(config: Config, *rules: str) -> list[VariableCase]:
    """Variables the source holds; with `rules`, those of these rules whose value has its form
    (a malformed value fails its form check alone, not every cross-check too)."""
    matrix = config.env_matrix
    found = [VariableCase(v) for v in matrix.variables if matrix.value(v.name) is not None]
    if not rules:
        return found
    return [
        case
        for case in found
        if case.variable.rule in rules
        and forms.form_problem(case.variable.rule, matrix.values[case.variable.name]) is None
    ]


def required(config: Config) -> list[VariableCase]:
    return [VariableCase(v) for v in config.env_matrix.variables if v.required]


def with_form(config: Config) -> list[VariableCase]:
    return [case for case in _present(config) if case.variable.rule or case.variable.one_of]


def senders(config: Config) -> list[VariableCase]:
    return _present(config, "equals-ses-from-address")


def configuration_sets(config: Config) -> list[VariableCase]:
    return _present(config, "equals-ses-configuration-set")


def reply_to(config: Config) -> list[VariableCase]:
    return _present(config, "email")


def regions(config: Config) -> list[VariableCase]:
    return _present(config, REGION_RULE)


def placed(config: Config) -> list[VariableCase]:
    return _present(config, *PLACED_RULES)


def service_region(config: Config) -> tuple[str | None, str]:
    """The region the service runs in (its region variable, else the config's only region), and why.

    A region variable outside the config's regions fails its own check; the others then compare
    with the config's regions, so that one wrong variable is one failure."""
    matrix = config.env_matrix
    for variable in matrix.variables:
        value = matrix.value(variable.name)
        if variable.rule == REGION_RULE and value in config.regions:
            return value, f"{variable.name}={value}"
    if len(config.regions) == 1:
        return config.regions[0], f"the config's one region {config.regions[0]}"
    return None, "no region variable is set and the config has several regions"


def databases(config: Config) -> list[VariableCase]:
    """A database URL in the service's region, with backend.rds_instance named: is it that instance?
    (One in another region fails its placement check alone.)"""
    if not config.backend.rds_instance:
        return []
    region, _ = service_region(config)
    matrix = config.env_matrix
    return [
        case
        for case in _present(config, "postgres-url-in-region")
        if forms.database_region(matrix.values[case.variable.name])[0] in ((region,) if region else config.regions)
    ]


def static_keys(config: Config) -> list[VariableCase]:
    """In production, the checklist prefers a role to keys in the service's environment."""
    if not config.production or not config.env_matrix.variables:
        return []
    return [VariableCase(Variable(STATIC_KEYS[0], secret=True))]
