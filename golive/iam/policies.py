"""A principal's policies, as IAM's GetAccountAuthorizationDetails reports them, for the local engine."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from golive.iam.engine import Policy, action_matches


class UnknownPrincipal(LookupError):
    pass


def as_document(document: Any) -> dict:
    """IAM returns documents URL-encoded, botocore usually decodes them: accept either."""
    if isinstance(document, dict):
        return document
    text = document if document.lstrip().startswith("{") else unquote(document)
    return json.loads(text)


def as_list(value: Any) -> list:
    """A policy element that may be one value or a list of them, as a list."""
    return value if isinstance(value, list) else [value]


def statements(policy: Policy) -> list[tuple[int, dict[str, Any]]]:
    """(index, statement) for each statement of a policy, whether Statement is a list or one object."""
    return list(enumerate(as_list(policy.document.get("Statement", []))))


def allow_statements(policy: Policy) -> list[tuple[int, dict[str, Any]]]:
    """(index, statement) for each Allow statement of a policy: the ones that grant."""
    return [(index, statement) for index, statement in statements(policy) if statement.get("Effect") == "Allow"]


SEND_ACTIONS = ("ses:SendEmail", "ses:SendRawEmail")  # the actions that send as an identity


def covers_send(statement: dict[str, Any]) -> bool:
    """Whether a statement's Action (or NotAction) covers either send action."""
    if "NotAction" in statement:
        return any(not any(action_matches(p, a) for p in as_list(statement["NotAction"])) for a in SEND_ACTIONS)
    return any(action_matches(p, a) for p in as_list(statement.get("Action", [])) for a in SEND_ACTIONS)


def resources_allowing(policies: list[Policy], action: str) -> tuple[str, ...]:
    """Every specific Resource of an Allow statement that covers `action` (by Action or NotAction).

    A must-not-allow action is asked about on these as well as on the service's own resources,
    so that a grant on some other identity or log group does not go unseen.
    """
    found: set[str] = set()
    for policy in policies:
        for _, statement in allow_statements(policy):
            if "Action" in statement:
                covers = any(action_matches(a, action) for a in as_list(statement["Action"]))
            else:
                covers = not any(action_matches(a, action) for a in as_list(statement.get("NotAction", [])))
            if covers:
                found.update(r for r in as_list(statement.get("Resource", [])) if r != "*")
    return tuple(sorted(found))


def principal_policies(details: dict[str, Any], principal_arn: str) -> tuple[list[Policy], list[Policy]]:
    """The identity policies and the permissions boundary of one user or role."""
    managed = {
        p["Arn"]: next(v["Document"] for v in p["PolicyVersionList"] if v.get("IsDefaultVersion"))
        for p in details.get("Policies", [])
    }

    def attached(entries: list[dict[str, str]]) -> list[Policy]:
        return [
            Policy(e["PolicyName"], _managed_type(e["PolicyArn"]), as_document(managed[e["PolicyArn"]]))
            for e in entries
            if e["PolicyArn"] in managed
        ]

    def inline(entries: list[dict[str, Any]], kind: str) -> list[Policy]:
        return [Policy(e["PolicyName"], kind, as_document(e["PolicyDocument"])) for e in entries]

    for kind, listing, inline_key in (
        ("user", "UserDetailList", "UserPolicyList"),
        ("role", "RoleDetailList", "RolePolicyList"),
    ):
        for entity in details.get(listing, []):
            if entity["Arn"] != principal_arn:
                continue
            policies = inline(entity.get(inline_key, []), kind) + attached(entity.get("AttachedManagedPolicies", []))
            groups = {g["GroupName"]: g for g in details.get("GroupDetailList", [])}
            for name in entity.get("GroupList", []):
                group = groups.get(name, {})
                policies += inline(group.get("GroupPolicyList", []), "group")
                policies += attached(group.get("AttachedManagedPolicies", []))
            boundary_arn = (entity.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
            boundary = []
            if boundary_arn:
                boundary = [
                    Policy(
                        boundary_arn.rsplit("/", 1)[-1], _managed_type(boundary_arn), as_document(managed[boundary_arn])
                    )
                ]
            return policies, boundary
    raise UnknownPrincipal(principal_arn)


def _managed_type(arn: str) -> str:
    return "aws-managed" if ":iam::aws:policy/" in arn else "user-managed"
