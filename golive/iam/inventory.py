"""Permission facts: what IAM decides for each principal, region and action.

Every answer comes from the simulator's question (iam:SimulatePrincipalPolicy): one call
per principal, region and request context answers all of that principal's actions, on the
union of their resources (docs/simulations.md). Where the
auditor may not simulate, the local engine answers from the policies IAM reports
(GetAccountAuthorizationDetails, read once per run). Nothing is ever tried for real.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from golive.aws import AwsAccess
from golive.config import Config, Principal
from golive.errors import CouldNotSee, could_not_see
from golive.iam import scope
from golive.iam.cases import PermissionCase
from golive.iam.engine import Evaluation, Request, evaluate
from golive.iam.policies import resources_allowing
from golive.iam.principals import Principals
from golive.iam.remediation import least_privilege_policy
from golive.memo import Memo

READS = {("iam", "SimulatePrincipalPolicy"): ("EvaluationResults",)}
LOCAL_ENGINE = "golive-local-engine"
# The policy layers of a decision (AWS's evaluation logic), by the words a fix names them with.
IDENTITY_POLICY, BOUNDARY, SCP = "identity policy", "permissions boundary", "organization SCP"
# What the local engine cannot weigh: it reads only the principal's own policies.
NOT_WEIGHED_LOCALLY = ("organization SCPs and RCPs", "resource-based policies", "session policies")


@dataclass(frozen=True)
class ResourceDecision:
    resource: str
    decision: str  # allowed | explicitDeny | implicitDeny
    statements: tuple[str, ...]  # the statements that decided, in words
    layer: str = IDENTITY_POLICY  # the layer that decided a denial: its fix is made there

    @property
    def allowed(self) -> bool:
        return self.decision == "allowed"

    def evidence(self) -> dict[str, Any]:
        found = {"resource": self.resource, "decision": self.decision, "statements": list(self.statements)}
        return found if self.allowed else {**found, "decided_by": self.layer}


def layer_of(result: dict[str, Any], specific: dict[str, Any]) -> str:
    """Which layer denied, as AWS's simulator reports it: an SCP outranks a boundary, which
    outranks the identity policies."""
    if (result.get("OrganizationsDecisionDetail") or {}).get("AllowedByOrganizations") is False:
        return SCP
    boundary = specific.get("PermissionsBoundaryDecisionDetail") or result.get("PermissionsBoundaryDecisionDetail")
    if (boundary or {}).get("AllowedByPermissionsBoundary") is False:
        return BOUNDARY
    return IDENTITY_POLICY


@dataclass(frozen=True)
class PermissionAnswer:
    case: PermissionCase
    principal_arn: str
    context: dict[str, str]
    decisions: tuple[ResourceDecision, ...]
    engine: str
    remediation: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def allowed(self) -> bool:
        """Allowed on every resource the service uses."""
        return all(d.allowed for d in self.decisions)

    @property
    def allowed_anywhere(self) -> bool:
        return any(d.allowed for d in self.decisions)

    def evidence(self) -> dict[str, Any]:
        return {
            "principal": self.case.principal.name,
            "principal_arn": self.principal_arn,
            "region": self.case.region,
            "action": self.case.action,
            "expected": self.case.expect,
            "context": self.context,
            "engine": self.engine,
            "decisions": [d.evidence() for d in self.decisions],
            **({"not_weighed": list(NOT_WEIGHED_LOCALLY)} if self.engine == LOCAL_ENGINE else {}),
        }

    def why_not_allowed(self) -> str:
        c = self.case
        lines = [f"{c.principal.name} ({self.principal_arn}) is not allowed {c.action} in {c.region}:"]
        for d in self.decisions:
            if d.decision == "explicitDeny":
                lines.append(f"  on {d.resource}: explicitly denied by {'; '.join(d.statements) or f'the {d.layer}'}")
            elif d.layer != IDENTITY_POLICY:
                lines.append(f"  on {d.resource}: the {d.layer} does not allow it (implicit deny)")
            elif d.decision == "implicitDeny":
                lines.append(f"  on {d.resource}: no statement allows it (implicit deny)")
        lines.append(f"  (asked with context {json.dumps(self.context)}; answered by {self.engine})")
        layers = {d.layer for d in self.decisions if not d.allowed}
        if SCP in layers:
            lines.append(
                f"Fix: an SCP of the organization denies {c.action} here; no policy attached to the principal can "
                "override it: ask the organization's administrators to allow it for this account and region."
            )
        elif BOUNDARY in layers:
            lines.append(
                f"Fix: the permissions boundary of {self.principal_arn} does not allow {c.action}: add it to the "
                "boundary policy (or remove the boundary's Deny named above); a policy attached to the principal "
                "cannot widen its boundary."
            )
            if self.remediation is not None:
                lines.append("Where its own policies do not allow it either, attach this least-privilege policy too:")
                lines.append(json.dumps(self.remediation, indent=2))
        elif self.remediation is not None:
            lines.append(
                f"Fix: attach this least-privilege policy to {self.principal_arn}, and remove any Deny named above:"
            )
            lines.append(json.dumps(self.remediation, indent=2))
        return "\n".join(lines)

    def why_allowed(self) -> str:
        c = self.case
        lines = [
            f"{c.principal.name} ({self.principal_arn}) is allowed {c.action} in {c.region}, which it must not be:"
        ]
        for d in self.decisions:
            if d.allowed:
                lines.append(f"  on {d.resource}: allowed by {'; '.join(d.statements) or 'a statement'}")
        lines.append(f"  (answered by {self.engine})")
        lines.append(
            f"Fix: remove {c.action} from the statements named above (narrow wildcards such as "
            f"'{c.action.split(':')[0]}:*'), or add an explicit Deny for it to the principal's policies."
        )
        return "\n".join(lines)


@dataclass(frozen=True)
class Weighing:
    """Who answered a principal's permission questions: AWS's simulator weighs every policy layer,
    golive's local engine only the principal's own policies and boundary."""

    principal: Principal
    principal_arn: str
    engines: dict[str, str]  # "region action" -> the engine that answered

    @property
    def by_local_engine(self) -> list[str]:
        return sorted(question for question, engine in self.engines.items() if engine == LOCAL_ENGINE)

    def evidence(self) -> dict[str, Any]:
        local = self.by_local_engine
        return {
            "principal": self.principal.name,
            "principal_arn": self.principal_arn,
            "answered_by": dict(sorted(self.engines.items())),
            **({"not_weighed": list(NOT_WEIGHED_LOCALLY)} if local else {}),
        }

    def why_local(self) -> str:
        local = self.by_local_engine
        return (
            f"{len(local)} of {len(self.engines)} permission questions about {self.principal.name} "
            f"({self.principal_arn}) were answered by golive's local engine, not by AWS's simulator, because the "
            f"auditor may not call iam:SimulatePrincipalPolicy: {', '.join(local)}.\n"
            f"The local engine could not weigh {', '.join(NOT_WEIGHED_LOCALLY)}: a denial there would not be seen.\n"
            f"Fix: allow the auditor iam:SimulatePrincipalPolicy on {self.principal_arn} (`golive auditor-policy` "
            "prints the policy that does), or set aws.simulator: aws to make AWS's answer required."
        )


class PermissionInventory:
    """Session-scoped: answers every permission question of the run with as few calls as possible.

    Questions with the same principal and request context share one simulation call.
    """

    def __init__(self, access: AwsAccess, config: Config, principals: Principals) -> None:
        self._access = access
        self._config = config
        self._principals = principals
        self._mode = config.aws.simulator
        self._cached = Memo()

    def answer(self, case: PermissionCase) -> PermissionAnswer:
        return self._answers(case.principal, case.region)[case.action]

    def weighing(self, principal: Principal) -> Weighing:
        """Which engine answered each of the principal's permission questions, in every region."""
        engines = {
            f"{region} {action}": answer.engine
            for region in self._config.regions
            for action, answer in self._answers(principal, region).items()
        }
        return Weighing(principal, self._principals.arn(principal), engines)

    def _answers(self, principal: Principal, region: str) -> dict[str, PermissionAnswer]:
        return self._cached(("answers", principal.name, region), lambda: self._ask(principal, region))

    def principal_arn(self, principal: Principal) -> str:
        return self._principals.arn(principal)

    @property
    def answers_locally(self) -> bool:
        """aws.simulator: local: the local engine answers every question, AWS's simulator none."""
        return self._mode == "local"

    def decide(
        self, principal: Principal, actions: tuple[str, ...], resources: tuple[str, ...], context: dict[str, str]
    ) -> tuple[dict[str, tuple[ResourceDecision, ...]], str]:
        """Decisions for each action on each resource in one request context, and the engine that gave them."""
        return self.decide_as(self._principals.arn(principal), actions, resources, context)

    def decide_as(
        self, arn: str, actions: tuple[str, ...], resources: tuple[str, ...], context: dict[str, str]
    ) -> tuple[dict[str, tuple[ResourceDecision, ...]], str]:
        """`decide` for any user or role of the account, configured or not: one simulation call."""
        key = ("decided", arn, actions, resources, tuple(sorted(context.items())))
        return self._cached(key, lambda: self._decide(arn, actions, resources, context))

    def _decide(
        self, arn: str, actions: tuple[str, ...], resources: tuple[str, ...], context: dict[str, str]
    ) -> tuple[dict[str, tuple[ResourceDecision, ...]], str]:
        if self._mode != "local":
            try:
                return self._simulate(list(actions), list(resources), context, arn), self._access.simulator_label
            except CouldNotSee as exc:
                if self._mode == "aws" or not exc.access_denied:
                    raise
        return self._evaluate_locally(actions, resources, context, arn), LOCAL_ENGINE

    # --- the configured questions ----------------------------------------------------

    def _ask(self, principal: Principal, region: str) -> dict[str, PermissionAnswer]:
        """Questions with one request context share one simulation over the union of their resources,
        each action reading back its own; "*" stays apart, since among ARNs it would not mean 'any'."""
        arn = self._principals.arn(principal)
        actions = [(a, "allow") for a in principal.must_allow] + [(a, "deny") for a in principal.must_deny]
        groups: dict[tuple, list[tuple[str, str, tuple[str, ...]]]] = {}
        for action, expect in actions:
            resources = scope.resources(action, region, self._config, principal)
            if expect == "deny":
                resources += tuple(r for r in self._granted_resources(arn, action) if r not in resources)
            context = scope.context(action, region, self._config)
            groups.setdefault((tuple(sorted(context.items())), resources == ("*",)), []).append(
                (action, expect, resources)
            )
        fix = least_privilege_policy(principal, self._config) if principal.must_allow else None
        answers = {}
        for (context_items, _), group in groups.items():
            context = dict(context_items)
            union = tuple(dict.fromkeys(r for _, _, resources in group for r in resources))
            decided, engine = self.decide(principal, tuple(a for a, _, _ in group), union, context)
            for action, expect, resources in group:
                answers[action] = PermissionAnswer(
                    case=PermissionCase(principal, region, action, expect),  # type: ignore[arg-type]
                    principal_arn=arn,
                    context=context,
                    decisions=on_resources(decided[action], resources),
                    engine=engine,
                    remediation=fix,
                )
        return answers

    def _granted_resources(self, arn: str, action: str) -> tuple[str, ...]:
        """Resources the principal's own Allow statements name for `action`; () if IAM cannot be read."""
        try:
            policies, _ = self._principals.policies(arn)
        except CouldNotSee:
            # the simulator may still answer for the service's own resources; the policy
            # hygiene checks report the missing read as could-not-see
            return ()
        return resources_allowing(policies, action)

    # --- the engines -------------------------------------------------------------------

    def _simulate(
        self, actions: list[str], resources: list[str], context: dict[str, str], arn: str
    ) -> dict[str, tuple[ResourceDecision, ...]]:
        iam = self._access.client("iam")
        entries = [
            {"ContextKeyName": k, "ContextKeyValues": [v], "ContextKeyType": "string"}
            for k, v in sorted(context.items())
        ]
        params: dict[str, Any] = {"PolicySourceArn": arn, "ActionNames": actions, "ContextEntries": entries}
        if resources != ["*"]:
            params["ResourceArns"] = resources
        results = []
        with could_not_see("iam:SimulatePrincipalPolicy", f"simulate {arn}"):
            for page in iam.get_paginator("simulate_principal_policy").paginate(**params):
                results.extend(page["EvaluationResults"])
        decided: dict[str, tuple[ResourceDecision, ...]] = {}
        for result in results:
            specific = result.get("ResourceSpecificResults") or [
                {
                    "EvalResourceName": result.get("EvalResourceName", "*"),
                    "EvalResourceDecision": result["EvalDecision"],
                    "MatchedStatements": result.get("MatchedStatements", []),
                }
            ]
            decided[result["EvalActionName"]] = tuple(
                ResourceDecision(
                    resource=r["EvalResourceName"],
                    decision=r["EvalResourceDecision"],
                    statements=tuple(_describe_matched(m) for m in r.get("MatchedStatements", [])),
                    layer=layer_of(result, r),
                )
                for r in specific
            )
        return decided

    def _evaluate_locally(
        self, actions: tuple[str, ...], resources: tuple[str, ...], context: dict[str, str], arn: str
    ) -> dict[str, tuple[ResourceDecision, ...]]:
        policies, boundary = self._principals.policies(arn)
        return {
            action: tuple(
                local_decision(resource, evaluate(Request(action, resource, context), policies, boundary))
                for resource in resources
            )
            for action in actions
        }


def local_decision(resource: str, result: Evaluation) -> ResourceDecision:
    """The local engine's evaluation in the simulator's words."""
    statements = tuple(
        f"policy '{m.policy_id}' ({m.policy_type}) statement #{m.index + 1}" + (f" (Sid {m.sid})" if m.sid else "")
        for m in result.matched
    )
    layer = BOUNDARY if result.allowed_by_boundary is False else IDENTITY_POLICY
    return ResourceDecision(resource, result.decision, statements, layer)


def on_resources(decisions: tuple[ResourceDecision, ...], resources: tuple[str, ...]) -> tuple[ResourceDecision, ...]:
    """The decisions on `resources`, in their order, from an answer about more resources."""
    by_resource = {d.resource: d for d in decisions}
    missing = [r for r in resources if r not in by_resource]
    if missing:
        raise CouldNotSee(f"the simulator's answer names no decision on {', '.join(missing)}", permission=None)
    return tuple(by_resource[r] for r in resources)


def _describe_matched(matched: dict[str, Any]) -> str:
    start = matched.get("StartPosition") or {}
    where = f" statement at line {start['Line']}" if "Line" in start else ""
    return f"policy '{matched.get('SourcePolicyId', '?')}' ({matched.get('SourcePolicyType', '?')}){where}"
