"""What IAM knows about actions: their names, resource ARN formats and condition keys.

The facts come from policy_sentry's copy of AWS's Service Authorization Reference, a
maintained catalogue, so that golive never keeps a list of its own that goes stale.
"""

from __future__ import annotations

import difflib
from functools import cache

from policy_sentry.querying.actions import get_action_data, get_actions_for_service

from golive.iam.engine import action_matches


@cache
def actions_of(service: str) -> tuple[str, ...]:
    return tuple(get_actions_for_service(service.lower()))


def is_known(action: str) -> bool:
    """True if `action` (wildcards allowed) names at least one real IAM action."""
    service, _, _ = action.partition(":")
    return any(action_matches(action, known) for known in actions_of(service))


def suggest(action: str) -> list[str]:
    """Real actions whose names are closest to a misspelt or invented one."""
    service, _, _ = action.partition(":")
    known = {a.lower(): a for a in actions_of(service)}
    return [known[m] for m in difflib.get_close_matches(action.lower(), list(known), n=3, cutoff=0.6)]


@cache
def _entries(action: str) -> tuple[dict, ...]:
    service, _, name = action.partition(":")
    return tuple(get_action_data(service.lower(), name).get(service.lower(), ()))


def resource_formats(action: str) -> tuple[str, ...]:
    """ARN formats the action can be scoped to; empty when it only takes Resource "*"."""
    return tuple(e["resource_arn_format"] for e in _entries(action) if e["resource_arn_format"] != "*")


def condition_keys(action: str) -> frozenset[str]:
    return frozenset(k for e in _entries(action) for k in e["condition_keys"])


def access_level(action: str) -> str | None:
    """IAM's access level of the action: Read, List, Write, Permissions management or Tagging."""
    entries = _entries(action)
    return entries[0]["access_level"] if entries else None
