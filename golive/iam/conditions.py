"""The parts of a statement that need more than a glance: Condition operators, patterns and
policy variables, as golive's IAM engine (golive/iam/engine.py) reads them.

Each test answers True, False or None: None when it cannot tell (an operator it does not know,
a value it cannot read, a variable it cannot resolve). The engine's decision reads None as
"does not hold"; its pre-filter use (golive/iam/probing.py) reads it as "unsure".
"""

from __future__ import annotations

import ipaddress
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

# --- conditions ---------------------------------------------------------------------------


def condition_holds(
    operator_name: str, key: str, policy_values: Any, context: Context, variables: Context | None
) -> bool | None:
    """Whether one operator's test of one key holds for the request; None when it cannot tell."""
    qualifier, _, base = operator_name.rpartition(":")
    qualifier, base = qualifier.lower(), base.lower()
    if_exists = base.endswith("ifexists")
    base = base.removesuffix("ifexists")
    values = [text(value) for value in as_list(policy_values)]
    present = key in context
    if base == "null":
        return any(value.lower() == ("false" if present else "true") for value in values)
    comparison = _OPERATORS.get(base)
    if comparison is None or qualifier not in ("", "foranyvalue", "forallvalues"):
        return None  # AWS refuses such a policy, or knows an operator golive does not: it cannot tell
    request_value = context.get(key)
    if qualifier:
        items = (request_value,) if isinstance(request_value, str) else request_value or ()  # one value: a set of one
        if qualifier == "foranyvalue":
            return present and any_of(comparison.holds(item, values, variables) for item in items)
        # ForAllValues is vacuously true of an absent key: why AWS warns against it in an Allow.
        return not present or all_of(comparison.holds(item, values, variables) for item in items)
    if not present:
        # A negated operator is true of a key that is not there; IfExists makes any operator so.
        return if_exists or comparison.negated
    if not isinstance(request_value, str):
        return False  # a multivalued key needs ForAnyValue/ForAllValues; without one it never matches
    return comparison.holds(request_value, values, variables)


def any_of(results: Iterable[bool | None]) -> bool | None:
    """True if one result is; otherwise None if one cannot be told, else False."""
    found = list(results)
    return True if True in found else None if None in found else False


def all_of(results: Iterable[bool | None]) -> bool | None:
    """False if one result is; otherwise None if one cannot be told, else True."""
    found = list(results)
    return False if False in found else None if None in found else True


@dataclass(frozen=True)
class _Comparison:
    # compare(request value, one policy value, variables) -> the positive relation, or None
    # when a value cannot be read (not a number, unresolvable variable, ...).
    compare: Callable[[str, str, Context | None], bool | None]
    negated: bool = False

    def holds(self, request_value: str, policy_values: list[str], variables: Context | None) -> bool | None:
        matched = any_of(self.compare(request_value, value, variables) for value in policy_values)
        # "Not" operators hold when no listed value matches; a value that cannot be read leaves them untold.
        return (None if matched is None else not matched) if self.negated else matched


def _string(*, wildcards: bool = False, ignore_case: bool = False) -> Callable[[str, str, Context | None], bool | None]:
    return lambda actual, pattern, variables: glob(
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
) -> Callable[[str, str, Context | None], bool | None]:
    def compare(actual: str, expected: str, _variables: Context | None) -> bool | None:
        left, right = parse(actual), parse(expected)
        return None if left is None or right is None else relation(left, right)

    return compare


def _bool(actual: str, expected: str, _variables: Context | None) -> bool | None:
    if actual.lower() not in ("true", "false") or expected.lower() not in ("true", "false"):
        return None
    return actual.lower() == expected.lower()


def _ip(actual: str, expected: str, _variables: Context | None) -> bool | None:
    try:
        return ipaddress.ip_address(actual) in ipaddress.ip_network(expected, strict=False)
    except ValueError:
        return None


def _arn(actual: str, pattern: str, variables: Context | None) -> bool | None:
    # ArnLike/ArnEquals compare the six colon-separated parts one by one, so here, unlike
    # in the Resource element, a wildcard stays within its part.
    pattern_parts, actual_parts = pattern.split(":", 5), actual.split(":", 5)
    if len(pattern_parts) != 6 or len(actual_parts) != 6:
        return None
    results = [glob(part, value, variables) for part, value in zip(pattern_parts, actual_parts, strict=True)]
    return None if None in results else all(results)


def _binary(actual: str, expected: str, _variables: Context | None) -> bool | None:
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

_WILDCARDS_AND_VARIABLES = re.compile(r"\$\{[^}]*\}|[*?]")
_WILDCARDS_SPLIT = re.compile(r"([*?])")


def glob(
    pattern: str, value: str, variables: Context | None, *, wildcards: bool = True, ignore_case: bool = False
) -> bool | None:
    """Match ``value`` against an IAM pattern; None when one of its policy variables cannot be resolved.

    ``variables`` is the request context when policy variables are in force, else None.
    """
    if variables is None or "${" not in pattern:
        return _compiled(pattern, wildcards, ignore_case).fullmatch(value) is not None
    regex: list[str] = []
    position = 0
    for token in _WILDCARDS_AND_VARIABLES.finditer(pattern):
        regex.append(re.escape(pattern[position : token.start()]))
        position = token.end()
        if token.group() in ("*", "?"):
            regex.append(_wildcard(token.group(), wildcards))
            continue
        resolved = variables.resolve(token.group()[2:-1])
        if resolved is None:
            return None
        regex.append(re.escape(resolved))
    regex.append(re.escape(pattern[position:]))
    return re.fullmatch("".join(regex), value, _flags(ignore_case)) is not None


# A policy's few patterns are matched against every probe (thousands of identities per region):
# a pattern without variables is translated once.
@lru_cache(maxsize=4096)
def _compiled(pattern: str, wildcards: bool, ignore_case: bool) -> re.Pattern[str]:
    parts = (
        _wildcard(part, wildcards) if part in ("*", "?") else re.escape(part)
        for part in _WILDCARDS_SPLIT.split(pattern)
    )
    return re.compile("".join(parts), _flags(ignore_case))


def _wildcard(token: str, wildcards: bool) -> str:
    return {"*": ".*", "?": "."}[token] if wildcards else re.escape(token)


def _flags(ignore_case: bool) -> int:
    return re.DOTALL | (re.IGNORECASE if ignore_case else 0)


class Context:
    """The request context, keys compared case-insensitively as AWS does."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        # A str (or another JSON scalar) is a single-valued key; a sequence is a multivalued one.
        self._values = {
            key.lower(): text(value) if isinstance(value, str | bool | int | float) else tuple(map(text, value))
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


def text(value: Any) -> str:
    # JSON true/false in a policy mean the strings "true"/"false", as AWS reads them.
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
