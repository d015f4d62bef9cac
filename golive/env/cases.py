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


def static_keys(config: Config) -> list[VariableCase]:
    """In production, the checklist prefers a role to keys in the service's environment."""
    if not config.production or not config.env_matrix.variables:
        return []
    return [VariableCase(Variable(STATIC_KEYS[0], secret=True))]
