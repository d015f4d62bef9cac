"""What the engine is sure of: each statement's state, and a denial it could not decide is never
`sure_denial` (golive.iam.probing answers only sure denials without AWS's simulator)."""

from __future__ import annotations

from typing import Any

import pytest

from golive.iam.engine import Policy, Request, evaluate

IDENTITY = "arn:aws:ses:us-east-1:123456789012:identity/example.com"
SENDER = {"ses:FromAddress": "app@example.com"}


def _evaluate(*statements: dict[str, Any], context: dict[str, str] = SENDER, resource: str = IDENTITY):
    policy = Policy("app", "user", {"Version": "2012-10-17", "Statement": list(statements)})
    return evaluate(Request("ses:SendEmail", resource, context), [policy])


def _allow(resource: Any = IDENTITY, **condition: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "ses:SendEmail", "Resource": resource, **condition}


@pytest.mark.parametrize(
    ("statement", "state"),
    [
        (_allow(), "on"),
        (_allow("arn:aws:ses:us-east-1:123456789012:identity/other.com"), "off"),
        ({**_allow(), "Action": "ses:SendRawEmail"}, "off"),
        (_allow(Condition={"StringEquals": {"ses:FromAddress": "other@example.com"}}), "unmet"),
        (_allow(Condition={"StringEquals": {"aws:SourceVpce": "vpce-1"}}), "unmet"),  # absent: false, as AWS
        (_allow(Condition={"StringEqualsPerhaps": {"ses:FromAddress": "app@example.com"}}), "unsure"),
        (_allow(Condition={"NumericLessThan": {"ses:FromAddress": "3"}}), "unsure"),  # not a number
        (_allow(Condition={"StringNotEquals": {"ses:FromAddress": "${aws:username}"}}), "unsure"),
        (_allow("arn:aws:ses:us-east-1:123456789012:identity/${aws:PrincipalTag/domain}"), "unsure"),
        ({**_allow(), "Resource": None, "NotResource": "arn:aws:ses:*:*:identity/${aws:username}"}, "unsure"),
    ],
    ids=[
        "applies",
        "other-resource",
        "other-action",
        "condition-fails",
        "key-absent",
        "unknown-operator",
        "unreadable-value",
        "unresolvable-condition-variable",
        "unresolvable-resource-variable",
        "unresolvable-notresource-variable",
    ],
)
def test_each_statement_has_a_state(statement, state):
    assert _evaluate(statement).states == (state,)


def test_a_denial_resting_on_an_undecided_allow_is_not_sure():
    result = _evaluate(_allow(Condition={"StringEqualsPerhaps": {"ses:FromAddress": "app@example.com"}}))
    assert result.decision == "implicitDeny", "decided as if the statement did not apply"
    assert not result.sure_denial and [s.index for s in result.undecided] == [0]


def test_a_denial_no_allow_could_change_is_sure():
    unmet = _allow(Condition={"StringEquals": {"ses:FromAddress": "other@example.com"}})
    assert _evaluate(unmet).sure_denial
    undecided_deny = {**_allow(Condition={"StringEqualsPerhaps": {"aws:x": "y"}}), "Effect": "Deny"}
    assert _evaluate(unmet, undecided_deny).sure_denial, "an undecided Deny could only deny more"
    explicit = {**_allow(), "Effect": "Deny"}
    assert _evaluate(_allow(Condition={"StringEqualsPerhaps": {"aws:x": "y"}}), explicit).sure_denial


def test_an_allowed_request_is_never_a_sure_denial():
    assert not _evaluate(_allow()).sure_denial
