"""golive's local IAM policy engine: the answer iam:SimulatePrincipalPolicy would give.

Where AWS's simulator is not there (moto does not implement it; an auditor may read
policies but not simulate), golive decides a principal's permissions here, from its
identity policies and an optional permissions boundary, following AWS's documented
evaluation logic:

1. An explicit Deny in any identity policy or in the boundary wins: ``explicitDeny``.
2. Otherwise the request is ``allowed`` when an identity statement allows it and,
   if a boundary is given, a boundary statement allows it too.
3. Anything else is ``implicitDeny``.

A statement applies when its Action (or NotAction), Resource (or NotResource) and every
Condition match the request. Within a Condition, operators and keys are ANDed and the
values listed for one key are ORed (the Condition operators, patterns and policy variables are
in golive/iam/conditions.py). What this engine knowingly leaves out (SCPs,
resource policies, session policies, ...) is listed in docs/iam-engine.md; a
differential test holds it to @cloud-copilot/iam-simulate.

Pure standard library on purpose: it must run where boto3 has nothing to say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from golive.iam.conditions import Context, all_of, any_of, as_list, condition_holds, glob

Decision = Literal["allowed", "explicitDeny", "implicitDeny"]


@dataclass(frozen=True)
class Policy:
    policy_id: str  # e.g. "SESDomainManagement" or "inline:app-policy"; AWS's SourcePolicyId
    policy_type: str  # AWS's SourcePolicyType: user | group | role | aws-managed | user-managed
    document: Mapping  # the parsed JSON policy document


@dataclass(frozen=True)
class Request:
    action: str  # "ses:SendEmail"
    # An ARN, or "*" for actions that take no resource. It is text, not a pattern: a "*"
    # request is covered only by statements whose Resource is "*".
    resource: str = "*"
    # Condition keys -> value. A str is a single-valued key; a sequence of str is a
    # multivalued key (ses:Recipients, aws:TagKeys). Keys are looked up case-insensitively.
    context: Mapping[str, str | Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class MatchedStatement:
    policy_id: str
    policy_type: str
    index: int  # 0-based position of the statement in its policy
    sid: str | None
    effect: str  # "Allow" | "Deny"


@dataclass(frozen=True)
class Evaluation:
    decision: Decision
    # allowed: the identity statements that allow; explicitDeny: every denying statement
    # (identity and boundary); implicitDeny: nothing matched, so nothing to name.
    matched: tuple[MatchedStatement, ...]
    # Condition keys of statements whose action and resource match, absent from the context:
    # the keys a caller should supply before trusting an implicitDeny.
    missing_context: tuple[str, ...]
    allowed_by_boundary: bool | None  # None when no boundary was given
    # How each statement of the policies, then of the boundary, met the request: "off" (its action
    # or resource does not match), "unmet" (a condition does not hold), "on" (it applies), or
    # "unsure" (an operator it does not know, a value it cannot read, a variable it cannot
    # resolve: decided as if it did not apply).
    states: tuple[str, ...] = ()
    undecided: tuple[MatchedStatement, ...] = ()  # the "unsure" statements

    @property
    def sure_denial(self) -> bool:
        """Denied however the undecided statements read: an explicit Deny, or no Allow left untold."""
        return self.decision == "explicitDeny" or (
            self.decision == "implicitDeny" and all(s.effect != "Allow" for s in self.undecided)
        )


def evaluate(request: Request, policies: Sequence[Policy], boundary: Sequence[Policy] = ()) -> Evaluation:
    """Decide ``request`` against identity ``policies`` and an optional permissions ``boundary``.

    ``policies`` are every identity policy of the principal (inline, managed, its groups');
    ``boundary`` is its permissions boundary, empty when it has none.
    """
    context = Context(request.context)
    identity = _match_policies(request, context, policies)
    bounds = _match_policies(request, context, boundary)
    decision: Decision = "implicitDeny"
    matched: list[MatchedStatement] = []
    if identity.denies or bounds.denies:
        decision, matched = "explicitDeny", identity.denies + bounds.denies
    elif identity.allows and (bounds.allows or not boundary):
        decision, matched = "allowed", identity.allows
    missing = {key.lower(): key for key in identity.missing + bounds.missing}
    return Evaluation(
        decision=decision,
        matched=tuple(matched),
        missing_context=tuple(sorted(missing.values(), key=str.lower)),
        allowed_by_boundary=(bool(bounds.allows) and not bounds.denies) if boundary else None,
        states=tuple(identity.states + bounds.states),
        undecided=tuple(identity.undecided + bounds.undecided),
    )


def action_matches(pattern: str, action: str) -> bool:
    """Whether an Action pattern (``ses:Get*``, ``ses:Send?mail``, ``*``) covers ``action``.

    The service prefix must be equal and the name may use ``*`` and ``?``; AWS compares
    both case-insensitively (``SES:getsendquota`` is ``ses:GetSendQuota``).
    """
    if pattern == "*":
        return True
    service, _, name = pattern.partition(":")
    wanted_service, _, wanted_name = action.partition(":")
    return service.lower() == wanted_service.lower() and glob(name, wanted_name, None, ignore_case=True) is True


# --- statements ---------------------------------------------------------------------------


@dataclass
class _Matches:
    allows: list[MatchedStatement] = field(default_factory=list)
    denies: list[MatchedStatement] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    undecided: list[MatchedStatement] = field(default_factory=list)


def _match_policies(request: Request, context: Context, policies: Sequence[Policy]) -> _Matches:
    found = _Matches()
    for policy in policies:
        # Policy variables exist only in the 2012-10-17 language; in older documents
        # "${aws:username}" is literal text.
        variables = context if policy.document.get("Version") == "2012-10-17" else None
        for index, statement in enumerate(as_list(policy.document.get("Statement"))):
            matched = MatchedStatement(
                policy.policy_id, policy.policy_type, index, statement.get("Sid"), statement.get("Effect", "")
            )
            state = _state(statement, request, context, variables, found.missing)
            found.states.append(state)
            if state == "unsure":
                found.undecided.append(matched)
            elif state == "on" and matched.effect == "Deny":
                found.denies.append(matched)
            elif state == "on" and matched.effect == "Allow":
                found.allows.append(matched)
    return found


def _state(statement: Mapping, request: Request, context: Context, variables: Context | None, missing: list) -> str:
    """How the statement meets the request (see Evaluation.states); adds the keys it tests that the
    request lacks to `missing` when its action and resource match."""
    on_resource = _resource_applies(statement, request.resource, variables)
    if not _action_applies(statement, request.action) or on_resource is False:
        return "off"
    conditions = statement.get("Condition") or {}
    if on_resource:
        missing += [key for keys in conditions.values() for key in keys if key not in context]
    held = all_of(
        condition_holds(op, key, values, context, variables)
        for op, keys in conditions.items()
        for key, values in keys.items()
    )
    if held is False:
        return "unmet"
    return "on" if held and on_resource else "unsure"


def _action_applies(statement: Mapping, action: str) -> bool:
    if "NotAction" in statement:
        return not any(action_matches(pattern, action) for pattern in as_list(statement["NotAction"]))
    return any(action_matches(pattern, action) for pattern in as_list(statement.get("Action")))


def _resource_applies(statement: Mapping, resource: str, variables: Context | None) -> bool | None:
    # Case-sensitive, over the whole ARN: a "*" may run across colons (``arn:aws:ses:*`` covers
    # every SES ARN), as AWS documents for a "*" ending a segment. None: a pattern's variable
    # cannot be resolved, so the statement may or may not cover the resource (AWS: it "might be
    # invalid"); the decision reads it as not covering.
    if "NotResource" in statement:
        excluded = any_of(glob(pattern, resource, variables) for pattern in as_list(statement["NotResource"]))
        return None if excluded is None else not excluded
    return any_of(glob(pattern, resource, variables) for pattern in as_list(statement.get("Resource")))
