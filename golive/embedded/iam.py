"""iam:SimulatePrincipalPolicy for moto, answered by golive's local engine.

moto does not implement the simulator. This response method reads the principal's
policies from moto's IAM backend in the shape GetAccountAuthorizationDetails gives them,
so the embedded simulator and the live fallback share one path into the engine, and it
answers with AWS's response shape (EvaluationResults, ResourceSpecificResults,
MatchedStatements with positions in the pretty-printed policy document).
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.responses import ActionResult
from moto.iam.exceptions import NotFoundException
from moto.iam.responses import IamResponse

from golive.iam.engine import Evaluation, Policy, Request, evaluate
from golive.iam.policies import UnknownPrincipal, as_list, principal_policies

_STRICTNESS = {"allowed": 0, "implicitDeny": 1, "explicitDeny": 2}


def authorization_details(backend: Any) -> dict[str, Any]:
    """moto's IAM state in the API shape of GetAccountAuthorizationDetails."""

    def attached(entity: Any) -> list[dict[str, str]]:
        return [{"PolicyName": p.name, "PolicyArn": arn} for arn, p in entity.managed_policies.items()]

    def inline(entity: Any) -> list[dict[str, str]]:
        return [{"PolicyName": name, "PolicyDocument": doc} for name, doc in entity.policies.items()]

    def boundary(entity: Any) -> dict[str, str]:
        arn = getattr(entity, "permissions_boundary_arn", None)
        return {"PermissionsBoundaryArn": arn} if arn else {}

    return {
        "UserDetailList": [
            {
                "Arn": u.arn,
                "UserPolicyList": inline(u),
                "AttachedManagedPolicies": attached(u),
                "GroupList": [g.name for g in backend.get_groups_for_user(u.name)],
                "PermissionsBoundary": boundary(u),
            }
            for u in backend.users.values()
        ],
        "RoleDetailList": [
            {
                "Arn": r.arn,
                "RolePolicyList": inline(r),
                "AttachedManagedPolicies": attached(r),
                "PermissionsBoundary": boundary(r),
            }
            for r in backend.roles.values()
        ],
        "GroupDetailList": [
            {"GroupName": g.name, "GroupPolicyList": inline(g), "AttachedManagedPolicies": attached(g)}
            for g in backend.groups.values()
        ],
        "Policies": [
            {
                "Arn": p.arn,
                "PolicyVersionList": [
                    {"Document": v.document, "IsDefaultVersion": v.is_default_version} for v in p.versions
                ],
            }
            for p in backend.managed_policies.values()
        ],
    }


def _context(entries: list[dict[str, Any]]) -> dict[str, Any]:
    context = {}
    for entry in entries:
        values = entry.get("ContextKeyValues", [])
        multi = entry.get("ContextKeyType", "string").endswith("List")
        context[entry["ContextKeyName"]] = values if multi else (values[0] if values else "")
    return context


def _position(policy: Policy, index: int) -> dict[str, dict[str, int]]:
    """Where statement `index` starts and ends in json.dumps(document, indent=4)."""
    statements = as_list(policy.document["Statement"])
    marker = "golive-statement-marker"
    marked = dict(policy.document, Statement=[marker if i == index else s for i, s in enumerate(statements)])
    lines = json.dumps(marked, indent=4).splitlines()
    start = next(n for n, line in enumerate(lines, 1) if marker in line)
    length = len(json.dumps(statements[index], indent=4).splitlines())
    column = len(lines[start - 1]) - len(lines[start - 1].lstrip()) + 1
    return {
        "StartPosition": {"Line": start, "Column": column},
        "EndPosition": {"Line": start + length - 1, "Column": column + 1},
    }


def _matched(evaluation: Evaluation, policies: list[Policy]) -> list[dict[str, Any]]:
    by_id = {(p.policy_id, p.policy_type): p for p in policies}
    matched = []
    for m in evaluation.matched:
        policy = by_id.get((m.policy_id, m.policy_type))
        position = _position(policy, m.index) if policy else {}
        matched.append({"SourcePolicyId": m.policy_id, "SourcePolicyType": m.policy_type, **position})
    return matched


def simulate_principal_policy(self: IamResponse) -> ActionResult:
    source = self._get_param("PolicySourceArn")
    actions = self._get_param("ActionNames", [])
    resources = self._get_param("ResourceArns", []) or ["*"]
    context = _context(self._get_param("ContextEntries", []))
    try:
        policies, boundary = principal_policies(authorization_details(self.backend), source)
    except UnknownPrincipal:
        raise NotFoundException(f"The user or role with ARN {source} cannot be found.") from None
    everything = policies + boundary
    results = []
    for action in actions:
        specific = []
        for resource in resources:
            evaluation = evaluate(Request(action, resource, context), policies, boundary)
            specific.append((resource, evaluation))
        worst = max((e for _, e in specific), key=lambda e: _STRICTNESS[e.decision])
        result = {
            "EvalActionName": action,
            "EvalResourceName": resources[0] if len(resources) == 1 else "*",
            "EvalDecision": worst.decision,
            "MatchedStatements": _matched(worst, everything),
            "MissingContextValues": list(worst.missing_context),
            "ResourceSpecificResults": [
                {
                    "EvalResourceName": resource,
                    "EvalResourceDecision": e.decision,
                    "MatchedStatements": _matched(e, everything),
                    "MissingContextValues": list(e.missing_context),
                }
                for resource, e in specific
            ],
        }
        if boundary:
            result["PermissionsBoundaryDecisionDetail"] = {
                "AllowedByPermissionsBoundary": bool(worst.allowed_by_boundary)
            }
        results.append(result)
    return ActionResult({"EvaluationResults": results, "IsTruncated": False})


def install() -> None:
    IamResponse.simulate_principal_policy = simulate_principal_policy
