"""golive's IAM engine, one documented rule of AWS's policy evaluation per test.

The differential test (test_engine_differential.py) holds the engine to
@cloud-copilot/iam-simulate on many cases; these tests name the rules one by one, so a
regression says which rule broke.
"""

from __future__ import annotations

from typing import Any

import pytest

from golive.iam.engine import (
    Evaluation,
    MatchedStatement,
    Policy,
    Request,
    action_matches,
    evaluate,
)

ACCOUNT = "123456789012"
IDENTITY = f"arn:aws:ses:us-east-1:{ACCOUNT}:identity/example.com"
SEND = "ses:SendEmail"


def statement(effect: str = "Allow", action: Any = SEND, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, "Action": action, "Resource": resource, **extra}


def policy(*statements: dict[str, Any], policy_id: str = "app", version: str = "2012-10-17") -> Policy:
    return Policy(policy_id, "user", {"Version": version, "Statement": list(statements)})


def run(
    *statements: dict[str, Any],
    action: str = SEND,
    resource: str = IDENTITY,
    context: dict[str, Any] | None = None,
    boundary: tuple[dict[str, Any], ...] = (),
) -> Evaluation:
    bounds = [policy(*boundary, policy_id="boundary")] if boundary else []
    return evaluate(Request(action, resource, context or {}), [policy(*statements)], bounds)


def decision(*statements: dict[str, Any], **request: Any) -> str:
    return run(*statements, **request).decision


def allowed_when(condition: dict[str, Any], context: dict[str, Any]) -> bool:
    return decision(statement(Condition=condition), context=context) == "allowed"


# --- decisions -------------------------------------------------------------------------------


def test_explicit_deny_beats_allow() -> None:
    result = run(statement(Sid="AllowSend"), statement("Deny", Sid="NoSending"))
    assert result.decision == "explicitDeny"
    assert result.matched == (MatchedStatement("app", "user", 1, "NoSending", "Deny"),)


def test_allowed_names_every_allowing_statement() -> None:
    result = run(statement(Sid="One"), statement(action="ses:Send*"), statement(action="ses:Get*"))
    assert result.decision == "allowed"
    assert [(m.index, m.sid) for m in result.matched] == [(0, "One"), (1, None)]


def test_no_matching_statement_is_an_implicit_deny() -> None:
    result = run(statement(action="ses:GetAccount"))
    assert (result.decision, result.matched) == ("implicitDeny", ())


def test_no_policies_at_all_is_an_implicit_deny() -> None:
    assert evaluate(Request(SEND, IDENTITY), []).decision == "implicitDeny"


# --- actions ---------------------------------------------------------------------------------


def test_get_wildcard_allows_get_send_quota_only() -> None:
    assert decision(statement(action="ses:Get*"), action="ses:GetSendQuota", resource="*") == "allowed"
    assert decision(statement(action="ses:Get*"), action="ses:SendEmail", resource="*") == "implicitDeny"


@pytest.mark.parametrize("pattern", ["SES:GETSENDQUOTA", "ses:getsendquota", "Ses:Get*"])
def test_actions_match_case_insensitively(pattern: str) -> None:
    assert action_matches(pattern, "ses:GetSendQuota")


@pytest.mark.parametrize(
    ("pattern", "action", "matches"),
    [
        ("ses:Send?awEmail", "ses:SendRawEmail", True),
        ("ses:Send?awEmail", "ses:SendEmail", False),
        ("ses:*Email", "ses:SendEmail", True),
        ("ses:SendEmail*", "ses:SendEmail", True),  # * may match nothing
        ("ses:SendE?mail", "ses:SendEmail", False),  # ? must match one character
        ("ses:*", "sns:Publish", False),
        ("*", "sns:Publish", True),
        ("ses", "ses:SendEmail", False),
    ],
)
def test_action_wildcards(pattern: str, action: str, matches: bool) -> None:
    assert action_matches(pattern, action) is matches


def test_not_action_applies_to_every_other_action() -> None:
    everything_but_send = {"Effect": "Allow", "NotAction": ["ses:Send*"], "Resource": "*"}
    assert decision(everything_but_send, action="ses:GetAccount", resource="*") == "allowed"
    assert decision(everything_but_send, action="ses:SendRawEmail") == "implicitDeny"


@pytest.mark.parametrize(
    "document",
    [
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": SEND, "Resource": IDENTITY}},
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [SEND], "Resource": [IDENTITY]}]},
    ],
    ids=["statement-dict-action-string", "statement-list-action-list"],
)
def test_statement_and_action_may_be_one_or_a_list(document: dict[str, Any]) -> None:
    assert evaluate(Request(SEND, IDENTITY), [Policy("app", "user", document)]).decision == "allowed"


# --- resources -------------------------------------------------------------------------------


def test_resource_in_another_region_does_not_allow_in_this_one() -> None:
    west = f"arn:aws:ses:us-west-2:{ACCOUNT}:identity/*"
    assert decision(statement(resource=west)) == "implicitDeny"
    assert decision(statement(resource=west), resource=IDENTITY.replace("us-east-1", "us-west-2")) == "allowed"


@pytest.mark.parametrize(
    ("pattern", "arn", "matches"),
    [
        (f"arn:aws:ses:us-east-?:{ACCOUNT}:identity/*", IDENTITY, True),
        (f"arn:aws:ses:us-east-?:{ACCOUNT}:identity/*", IDENTITY.replace("us-east-1", "us-west-2"), False),
        (f"arn:aws:ses:*:{ACCOUNT}:identity/*.com", IDENTITY, True),
        (f"arn:aws:ses:*:{ACCOUNT}:identity/Example.com", IDENTITY, False),  # ARNs are case-sensitive
        ("arn:aws:ses:*", IDENTITY, True),  # a * ending a segment runs on across colons
        ("arn:aws:ses:*:identity/example.com", IDENTITY, True),
        (
            f"arn:aws:logs:*:{ACCOUNT}:log-group:app:*",
            f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:app:log-stream:a",
            True,
        ),
        (
            f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:db-??????",
            f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-AbC123",
            True,
        ),
        (
            f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:db-??????",
            f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-AbC12",
            False,
        ),
        ("*", "*", True),
        (f"arn:aws:ses:*:{ACCOUNT}:*", "*", False),  # a "*" request (no resource) is only covered by "*"
    ],
)
def test_resource_wildcards(pattern: str, arn: str, matches: bool) -> None:
    assert decision(statement(resource=pattern), resource=arn) == ("allowed" if matches else "implicitDeny")


def test_not_resource_applies_to_every_other_resource() -> None:
    not_example = {"Effect": "Deny", "Action": SEND, "NotResource": f"arn:aws:ses:*:{ACCOUNT}:identity/example.com"}
    other = IDENTITY.replace("example.com", "other.org")
    assert decision(statement(), not_example, resource=other) == "explicitDeny"
    assert decision(statement(), not_example) == "allowed"


# --- conditions ------------------------------------------------------------------------------

FROM = "ses:FromAddress"


@pytest.mark.parametrize(
    ("condition", "context", "allowed"),
    [
        ({"StringEquals": {FROM: "noreply@example.com"}}, {FROM: "noreply@example.com"}, True),
        ({"StringEquals": {FROM: "noreply@example.com"}}, {FROM: "NoReply@example.com"}, False),
        ({"StringEquals": {FROM: "*@example.com"}}, {FROM: "noreply@example.com"}, False),  # no wildcards
        ({"StringEqualsIgnoreCase": {FROM: "noreply@example.com"}}, {FROM: "NoReply@Example.com"}, True),
        ({"StringLike": {FROM: "*@example.com"}}, {FROM: "noreply@example.com"}, True),
        ({"StringLike": {FROM: "?@example.com"}}, {FROM: "noreply@example.com"}, False),
        ({"StringNotEquals": {FROM: "noreply@example.com"}}, {FROM: "other@example.com"}, True),
        ({"StringNotEquals": {FROM: ["a@example.com", "noreply@example.com"]}}, {FROM: "noreply@example.com"}, False),
        ({"StringNotLike": {FROM: "*@example.com"}}, {FROM: "x@other.org"}, True),
    ],
)
def test_string_operators(condition: dict[str, Any], context: dict[str, Any], allowed: bool) -> None:
    assert allowed_when(condition, context) is allowed


def test_values_of_one_key_are_ored_and_operators_are_anded() -> None:
    condition = {
        "StringEquals": {FROM: ["a@example.com", "b@example.com"]},
        "StringLike": {"aws:RequestedRegion": "us-*"},
    }
    assert allowed_when(condition, {FROM: "b@example.com", "aws:RequestedRegion": "us-east-1"})
    assert not allowed_when(condition, {FROM: "b@example.com", "aws:RequestedRegion": "eu-west-1"})


@pytest.mark.parametrize(
    "operator", ["StringEquals", "StringLike", "NumericLessThan", "Bool", "ArnLike", "ForAnyValue:StringLike"]
)
def test_missing_context_key_makes_a_condition_false(operator: str) -> None:
    assert not allowed_when({operator: {"aws:SomeKey": "*"}}, {})


@pytest.mark.parametrize(
    "operator", ["StringNotEquals", "StringNotLike", "ArnNotLike", "StringEqualsIfExists", "ForAllValues:StringEquals"]
)
def test_missing_context_key_makes_negated_ifexists_and_forallvalues_conditions_true(operator: str) -> None:
    assert allowed_when({operator: {"aws:SomeKey": "x"}}, {})


def test_if_exists_still_compares_a_present_key() -> None:
    assert not allowed_when({"StringEqualsIfExists": {FROM: "noreply@example.com"}}, {FROM: "x@example.com"})


@pytest.mark.parametrize(
    ("value", "present", "allowed"),
    [("true", False, True), ("true", True, False), ("false", True, True), (True, False, True)],
)
def test_null_tests_whether_a_key_is_absent(value: Any, present: bool, allowed: bool) -> None:
    assert allowed_when({"Null": {FROM: value}}, {FROM: "x@example.com"} if present else {}) is allowed


RECIPIENTS = "ses:Recipients"


@pytest.mark.parametrize(
    ("condition", "recipients", "allowed"),
    [
        ({"ForAnyValue:StringLike": {RECIPIENTS: "*@example.com"}}, ["x@other.org", "a@example.com"], True),
        ({"ForAnyValue:StringLike": {RECIPIENTS: "*@example.com"}}, ["x@other.org"], False),
        (
            {"ForAllValues:StringEquals": {RECIPIENTS: ["a@example.com", "b@example.com"]}},
            ["a@example.com", "b@example.com"],
            True,
        ),
        (
            {"ForAllValues:StringEquals": {RECIPIENTS: ["a@example.com", "b@example.com"]}},
            ["a@example.com", "x@other.org"],
            False,
        ),
        # A multivalued key needs a set operator: without one the condition never matches.
        ({"StringEquals": {RECIPIENTS: "a@example.com"}}, ["a@example.com"], False),
    ],
)
def test_set_operators_on_multivalued_keys(condition: dict[str, Any], recipients: list[str], allowed: bool) -> None:
    assert allowed_when(condition, {RECIPIENTS: recipients}) is allowed


@pytest.mark.parametrize(
    ("condition", "context", "allowed"),
    [
        ({"Bool": {"aws:SecureTransport": "true"}}, {"aws:SecureTransport": "true"}, True),
        ({"Bool": {"aws:SecureTransport": True}}, {"aws:SecureTransport": "TRUE"}, True),
        ({"Bool": {"aws:SecureTransport": "true"}}, {"aws:SecureTransport": "false"}, False),
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}, {"aws:MultiFactorAuthAge": "100"}, True),
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}, {"aws:MultiFactorAuthAge": "7200"}, False),
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}, {"aws:MultiFactorAuthAge": "3600"}, False),
        ({"NumericLessThanEquals": {"aws:MultiFactorAuthAge": 3600}}, {"aws:MultiFactorAuthAge": "3600.0"}, True),
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}, {"aws:MultiFactorAuthAge": "soon"}, False),
        ({"NumericNotEquals": {"aws:MultiFactorAuthAge": "x"}}, {"aws:MultiFactorAuthAge": "1"}, False),  # unreadable
        (
            {"DateGreaterThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}},
            {"aws:CurrentTime": "2025-06-30T12:00:00Z"},
            True,
        ),
        ({"DateGreaterThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}, {"aws:CurrentTime": "2024-12-31"}, False),
        ({"DateGreaterThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}, {"aws:CurrentTime": "2025-01-01"}, False),
        (
            {"DateLessThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}},
            {"aws:CurrentTime": "1700000000"},
            True,
        ),  # epoch seconds
        ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "203.0.113.9"}, True),
        ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "2001:db8::1"}, False),
        ({"IpAddress": {"aws:SourceIp": "2001:db8::/32"}}, {"aws:SourceIp": "2001:db8::1"}, True),
        ({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "192.0.2.1"}, True),
        (
            {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/app-*"}},
            {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/app-1"},
            True,
        ),
        # ArnLike compares ARN parts one by one, so its * does not run across a colon.
        (
            {"ArnLike": {"aws:PrincipalArn": "arn:aws:*:role/app-1"}},
            {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/app-1"},
            False,
        ),
        (
            {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::*:user/*"}},
            {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/app-1"},
            True,
        ),
        ({"StringEquals": {"aws:SecureTransport": True}}, {"aws:SecureTransport": "true"}, True),  # JSON true is "true"
        ({"StringFrobnicates": {"aws:PrincipalArn": "x"}}, {"aws:PrincipalArn": "x"}, False),  # unknown operator
    ],
)
def test_typed_operators(condition: dict[str, Any], context: dict[str, Any], allowed: bool) -> None:
    assert allowed_when(condition, context) is allowed


def test_context_keys_are_looked_up_case_insensitively() -> None:
    assert allowed_when({"StringEquals": {"ses:fromaddress": "a@example.com"}}, {"SES:FromAddress": "a@example.com"})


# --- policy variables ------------------------------------------------------------------------

OWN_IDENTITY = f"arn:aws:ses:*:{ACCOUNT}:identity/${{aws:username}}.example.com"


def test_policy_variable_in_a_resource_is_the_context_value() -> None:
    alice = IDENTITY.replace("example.com", "alice.example.com")
    assert decision(statement(resource=OWN_IDENTITY), resource=alice, context={"aws:username": "alice"}) == "allowed"
    assert decision(statement(resource=OWN_IDENTITY), resource=alice, context={"aws:username": "bob"}) == "implicitDeny"


def test_unresolvable_policy_variable_matches_nothing_unless_it_has_a_default() -> None:
    alice = IDENTITY.replace("example.com", "alice.example.com")
    with_default = OWN_IDENTITY.replace("${aws:username}", "${aws:username, 'alice'}")
    assert decision(statement(resource=OWN_IDENTITY), resource=alice) == "implicitDeny"
    assert decision(statement(resource=with_default), resource=alice) == "allowed"


def test_unresolvable_policy_variable_in_not_resource_keeps_the_statement_out() -> None:
    not_own = {"Effect": "Allow", "Action": SEND, "NotResource": OWN_IDENTITY}
    assert decision(not_own, context={"aws:username": "alice"}) == "allowed"
    assert decision(not_own) == "implicitDeny"


def test_policy_variable_in_a_condition_value() -> None:
    condition = {"StringLike": {FROM: "${aws:username}@*"}}
    assert allowed_when(condition, {FROM: "alice@example.com", "aws:username": "alice"})
    assert not allowed_when(condition, {FROM: "bob@example.com", "aws:username": "alice"})


def test_policy_variables_are_literal_text_in_2008_policies() -> None:
    old = policy(statement(Condition={"StringEquals": {FROM: "${aws:username}"}}), version="2008-10-17")
    request = Request(SEND, IDENTITY, {FROM: "${aws:username}", "aws:username": "alice"})
    assert evaluate(request, [old]).decision == "allowed"


# --- permissions boundary --------------------------------------------------------------------


def test_allowed_by_identity_but_not_by_boundary_is_an_implicit_deny() -> None:
    result = run(statement(), boundary=(statement(action="ses:Get*"),))
    assert (result.decision, result.allowed_by_boundary, result.matched) == ("implicitDeny", False, ())


def test_explicit_deny_in_the_boundary_is_an_explicit_deny() -> None:
    result = run(statement(), boundary=(statement(action="ses:*"), statement("Deny", Sid="NoSend")))
    assert result.decision == "explicitDeny"
    assert result.matched == (MatchedStatement("boundary", "user", 1, "NoSend", "Deny"),)
    assert result.allowed_by_boundary is False


def test_allowed_by_identity_and_boundary_is_allowed() -> None:
    result = run(statement(), boundary=(statement(action="ses:Send*"),))
    assert (result.decision, result.allowed_by_boundary) == ("allowed", True)
    assert [m.policy_id for m in result.matched] == ["app"]  # the identity statements allow; the boundary only limits


def test_boundary_alone_allows_nothing() -> None:
    result = run(statement(action="ses:GetAccount"), boundary=(statement(),))
    assert (result.decision, result.allowed_by_boundary) == ("implicitDeny", True)


def test_without_a_boundary_allowed_by_boundary_is_none() -> None:
    assert run(statement()).allowed_by_boundary is None


# --- missing context -------------------------------------------------------------------------


def test_missing_context_names_absent_keys_of_statements_that_match_action_and_resource() -> None:
    result = run(
        statement(Condition={"StringLike": {FROM: "*@example.com"}, "Bool": {"aws:SecureTransport": "true"}}),
        statement(action="ses:GetAccount", Condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}),
        context={"aws:securetransport": "true"},
    )
    assert result.decision == "implicitDeny"
    assert result.missing_context == (FROM,)
