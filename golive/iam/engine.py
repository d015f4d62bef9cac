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
values listed for one key are ORed. What this engine knowingly leaves out (SCPs,
resource policies, session policies, ...) is listed in docs/iam-engine.md; a
differential test holds it to @cloud-copilot/iam-simulate.

Pure standard library on purpose: it must run where boto3 has nothing to say.
"""

from __future__ import annotations

import ipaddress
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

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


def evaluate(request: Request, policies: Sequence[Policy], boundary: Sequence[Policy] = ()) -> Evaluation:
    """Decide ``request`` against identity ``policies`` and an optional permissions ``boundary``.

    ``policies`` are every identity policy of the principal (inline, managed, its groups');
    ``boundary`` is its permissions boundary, empty when it has none.
    """
    context = _Context(request.context)
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
    return service.lower() == wanted_service.lower() and _glob(name, wanted_name, None, ignore_case=True) is True


# --- statements ---------------------------------------------------------------------------


@dataclass
class _Matches:
    allows: list[MatchedStatement] = field(default_factory=list)
    denies: list[MatchedStatement] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _match_policies(request: Request, context: _Context, policies: Sequence[Policy]) -> _Matches:
    found = _Matches()
    for policy in policies:
        # Policy variables exist only in the 2012-10-17 language; in older documents
        # "${aws:username}" is literal text.
        variables = context if policy.document.get("Version") == "2012-10-17" else None
        for index, statement in enumerate(_as_list(policy.document.get("Statement"))):
            if not (
                _action_applies(statement, request.action) and _resource_applies(statement, request.resource, variables)
            ):
                continue
            conditions = statement.get("Condition") or {}
            found.missing += [key for keys in conditions.values() for key in keys if key not in context]
            if not all(
                _condition_holds(op, key, values, context, variables)
                for op, keys in conditions.items()
                for key, values in keys.items()
            ):
                continue
            matched = MatchedStatement(
                policy.policy_id, policy.policy_type, index, statement.get("Sid"), statement.get("Effect", "")
            )
            if matched.effect == "Deny":
                found.denies.append(matched)
            elif matched.effect == "Allow":
                found.allows.append(matched)
    return found


def _action_applies(statement: Mapping, action: str) -> bool:
    if "NotAction" in statement:
        return not any(action_matches(pattern, action) for pattern in _as_list(statement["NotAction"]))
    return any(action_matches(pattern, action) for pattern in _as_list(statement.get("Action")))


def _resource_applies(statement: Mapping, resource: str, variables: _Context | None) -> bool:
    # Case-sensitive, over the whole ARN: a "*" may run across colons (``arn:aws:ses:*`` covers
    # every SES ARN), as AWS documents for a "*" ending a segment.
    if "NotResource" in statement:
        # A pattern whose variable cannot be resolved proves nothing about the resource,
        # so it keeps the statement from applying either way (AWS: the statement is invalid).
        return all(_glob(pattern, resource, variables) is False for pattern in _as_list(statement["NotResource"]))
    return any(_glob(pattern, resource, variables) is True for pattern in _as_list(statement.get("Resource")))


# --- conditions ---------------------------------------------------------------------------


def _condition_holds(
    operator_name: str, key: str, policy_values: Any, context: _Context, variables: _Context | None
) -> bool:
    qualifier, _, base = operator_name.rpartition(":")
    qualifier, base = qualifier.lower(), base.lower()
    if_exists = base.endswith("ifexists")
    base = base.removesuffix("ifexists")
    values = [_text(value) for value in _as_list(policy_values)]
    present = key in context
    if base == "null":
        return any(value.lower() == ("false" if present else "true") for value in values)
    comparison = _OPERATORS.get(base)
    if comparison is None or qualifier not in ("", "foranyvalue", "forallvalues"):
        return False  # AWS refuses such a policy; here the statement simply never applies
    request_value = context.get(key)
    if qualifier:
        items = (request_value,) if isinstance(request_value, str) else request_value or ()  # one value: a set of one
        if qualifier == "foranyvalue":
            return present and any(comparison.holds(item, values, variables) for item in items)
        # ForAllValues is vacuously true of an absent key: why AWS warns against it in an Allow.
        return not present or all(comparison.holds(item, values, variables) for item in items)
    if not present:
        # A negated operator is true of a key that is not there; IfExists makes any operator so.
        return if_exists or comparison.negated
    if not isinstance(request_value, str):
        return False  # a multivalued key needs ForAnyValue/ForAllValues; without one it never matches
    return comparison.holds(request_value, values, variables)


@dataclass(frozen=True)
class _Comparison:
    # compare(request value, one policy value, variables) -> the positive relation, or None
    # when a value cannot be read (not a number, unresolvable variable, ...).
    compare: Callable[[str, str, _Context | None], bool | None]
    negated: bool = False

    def holds(self, request_value: str, policy_values: list[str], variables: _Context | None) -> bool:
        results = [self.compare(request_value, value, variables) for value in policy_values]
        if self.negated:
            # "Not" operators hold when no listed value matches; an unreadable value never lets them hold.
            return all(result is False for result in results)
        return any(result is True for result in results)


def _string(
    *, wildcards: bool = False, ignore_case: bool = False
) -> Callable[[str, str, _Context | None], bool | None]:
    return lambda actual, pattern, variables: _glob(
        pattern, actual, variables, wildcards=wildcards, ignore_case=ignore_case
    )


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)


def _number(text: str) -> float | None:
    return float(text) if _NUMBER.fullmatch(text) else None


def _date(text: str) -> datetime | None:
    try:
        if text.isascii() and text.isdigit():  # AWS accepts epoch seconds as well as ISO 8601
            return datetime.fromtimestamp(int(text), UTC)
        parsed = datetime.fromisoformat(text)
    except (ValueError, OverflowError, OSError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _ordered(
    parse: Callable[[str], Any], relation: Callable[[Any, Any], bool]
) -> Callable[[str, str, _Context | None], bool | None]:
    def compare(actual: str, expected: str, _variables: _Context | None) -> bool | None:
        left, right = parse(actual), parse(expected)
        return None if left is None or right is None else relation(left, right)

    return compare


def _bool(actual: str, expected: str, _variables: _Context | None) -> bool | None:
    if actual.lower() not in ("true", "false") or expected.lower() not in ("true", "false"):
        return None
    return actual.lower() == expected.lower()


def _ip(actual: str, expected: str, _variables: _Context | None) -> bool | None:
    try:
        return ipaddress.ip_address(actual) in ipaddress.ip_network(expected, strict=False)
    except ValueError:
        return None


def _arn(actual: str, pattern: str, variables: _Context | None) -> bool | None:
    # ArnLike/ArnEquals compare the six colon-separated parts one by one, so here, unlike
    # in the Resource element, a wildcard stays within its part.
    pattern_parts, actual_parts = pattern.split(":", 5), actual.split(":", 5)
    if len(pattern_parts) != 6 or len(actual_parts) != 6:
        return None
    results = [_glob(part, value, variables) for part, value in zip(pattern_parts, actual_parts, strict=True)]
    return None if None in results else all(results)


def _binary(actual: str, expected: str, _variables: _Context | None) -> bool | None:
    return actual == expected  # both sides are base64 text; equal text is equal bytes


_OPERATORS: dict[str, _Comparison] = {
    "stringequals": _Comparison(_string()),
    "stringnotequals": _Comparison(_string(), negated=True),
    "stringequalsignorecase": _Comparison(_string(ignore_case=True)),
    "stringnotequalsignorecase": _Comparison(_string(ignore_case=True), negated=True),
    "stringlike": _Comparison(_string(wildcards=True)),
    "stringnotlike": _Comparison(_string(wildcards=True), negated=True),
    "numericequals": _Comparison(_ordered(_number, operator.eq)),
    "numericnotequals": _Comparison(_ordered(_number, operator.eq), negated=True),
    "numericlessthan": _Comparison(_ordered(_number, operator.lt)),
    "numericlessthanequals": _Comparison(_ordered(_number, operator.le)),
    "numericgreaterthan": _Comparison(_ordered(_number, operator.gt)),
    "numericgreaterthanequals": _Comparison(_ordered(_number, operator.ge)),
    "dateequals": _Comparison(_ordered(_date, operator.eq)),
    "datenotequals": _Comparison(_ordered(_date, operator.eq), negated=True),
    "datelessthan": _Comparison(_ordered(_date, operator.lt)),
    "datelessthanequals": _Comparison(_ordered(_date, operator.le)),
    "dategreaterthan": _Comparison(_ordered(_date, operator.gt)),
    "dategreaterthanequals": _Comparison(_ordered(_date, operator.ge)),
    "bool": _Comparison(_bool),
    "binaryequals": _Comparison(_binary),
    "ipaddress": _Comparison(_ip),
    "notipaddress": _Comparison(_ip, negated=True),
    "arnequals": _Comparison(_arn),
    "arnlike": _Comparison(_arn),
    "arnnotequals": _Comparison(_arn, negated=True),
    "arnnotlike": _Comparison(_arn, negated=True),
}


# --- patterns, variables and values -------------------------------------------------------

_WILDCARDS = re.compile(r"[*?]")
_WILDCARDS_AND_VARIABLES = re.compile(r"\$\{[^}]*\}|[*?]")


def _glob(
    pattern: str, value: str, variables: _Context | None, *, wildcards: bool = True, ignore_case: bool = False
) -> bool | None:
    """Match ``value`` against an IAM pattern; None when one of its policy variables cannot be resolved.

    ``variables`` is the request context when policy variables are in force, else None.
    """
    regex: list[str] = []
    position = 0
    for token in (_WILDCARDS if variables is None else _WILDCARDS_AND_VARIABLES).finditer(pattern):
        regex.append(re.escape(pattern[position : token.start()]))
        position = token.end()
        if token.group() in ("*", "?"):
            regex.append({"*": ".*", "?": "."}[token.group()] if wildcards else re.escape(token.group()))
            continue
        resolved = variables.resolve(token.group()[2:-1]) if variables is not None else None
        if resolved is None:
            return None
        regex.append(re.escape(resolved))
    regex.append(re.escape(pattern[position:]))
    return re.fullmatch("".join(regex), value, re.DOTALL | (re.IGNORECASE if ignore_case else 0)) is not None


class _Context:
    """The request context, keys compared case-insensitively as AWS does."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        # A str (or another JSON scalar) is a single-valued key; a sequence is a multivalued one.
        self._values = {
            key.lower(): _text(value) if isinstance(value, str | bool | int | float) else tuple(map(_text, value))
            for key, value in values.items()
        }

    def __contains__(self, key: str) -> bool:
        return key.lower() in self._values

    def get(self, key: str) -> str | tuple[str, ...] | None:
        return self._values.get(key.lower())

    def resolve(self, variable: str) -> str | None:
        """The text of ``${variable}``: ``${*}``, ``${?}`` and ``${$}`` escape a literal
        character; ``${key, 'default'}`` falls back to the default; a missing or
        multivalued key resolves to None."""
        variable = variable.strip()
        if variable in ("*", "?", "$"):
            return variable
        name, _, default = variable.partition(",")
        value = self.get(name.strip())
        if isinstance(value, str):
            return value
        default = default.strip()
        if len(default) >= 2 and default[0] == default[-1] == "'":
            return default[1:-1].replace("''", "'")
        return None


def _text(value: Any) -> str:
    # JSON true/false in a policy mean the strings "true"/"false", as AWS reads them.
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
