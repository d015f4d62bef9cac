"""A principal's policies, as IAM's GetAccountAuthorizationDetails reports them, for the local engine."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from golive.iam.engine import Policy


class UnknownPrincipal(LookupError):
    pass


def as_document(document: Any) -> dict:
    """IAM returns documents URL-encoded, botocore usually decodes them: accept either."""
    if isinstance(document, dict):
        return document
    text = document if document.lstrip().startswith("{") else unquote(document)
    return json.loads(text)


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
