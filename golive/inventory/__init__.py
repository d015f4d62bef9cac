"""Inventories: session-scoped, batched fact-finders. Checks ask them; they ask AWS.

Each inventory module declares READ_PERMISSIONS, the calls it makes; the auditor
policy golive recommends (and the embedded auditor runs with) is built from them.
It also declares CASES: for each parametrized fact fixture, the function that lists its
cases from the config (each case has an `id` that reads as the fact checked).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from golive.config import Config
from golive.inventory import dns, least_privilege, permissions, principals, ses

INVENTORIES = (principals, permissions, least_privilege, ses, dns)


def auditor_policy() -> dict[str, Any]:
    actions = sorted({a for module in INVENTORIES for a in module.READ_PERMISSIONS})
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "GoliveReadOnlyAudit", "Effect": "Allow", "Action": actions, "Resource": "*"}],
    }


def parametrized_fixtures() -> frozenset[str]:
    return frozenset(name for module in INVENTORIES for name in module.CASES)


def cases_for(fixture: str, config: Config) -> Sequence[Any]:
    """The cases of a fact fixture, sorted by id so that runs list checks in a stable order."""
    for module in INVENTORIES:
        if fixture in module.CASES:
            return sorted(module.CASES[fixture](config), key=lambda case: case.id)
    raise KeyError(fixture)
