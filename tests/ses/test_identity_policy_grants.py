"""Who a sending-authorization policy lets send (golive/ses/authorization.py), statement by statement,
and the IAM pre-filter of who else could send (golive/iam/senders.py): it may keep too many,
never too few."""

from __future__ import annotations

import json

import pytest

from golive.iam.engine import Policy
from golive.iam.senders import could_grant
from golive.ses.authorization import IdentityPolicies

OWN = "123456789012"
IDENTITY = f"arn:aws:ses:eu-west-1:{OWN}:identity/held.example"


def _grants(*statements: dict, allowed: frozenset[str] = frozenset()) -> list[str]:
    document = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    policies = IdentityPolicies("eu-west-1", "held.example", IDENTITY, True, (("p", document),), OWN, allowed)
    return [g.why for g in policies.grants]


def _allow(principal: object, action: object = "ses:SendEmail", **extra: object) -> dict:
    return {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": IDENTITY, **extra}


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (_allow({"AWS": "111122223333"}), ["another account (111122223333)"]),
        (
            _allow({"AWS": ["arn:aws:iam::111122223333:role/x", f"arn:aws:iam::{OWN}:root"]}),
            ["another account (111122223333)"],
        ),
        (_allow("*"), ["anyone (Principal *)"]),
        (_allow({"AWS": "*"}, "ses:*"), ["anyone (Principal *)"]),
        (
            _allow({"AWS": f"arn:aws:iam::{OWN}:role/mobile"}),
            ["a principal of this account that the config does not name as a sender"],
        ),
        (_allow({"AWS": OWN}), []),  # the account itself: its IAM policies decide
        (_allow({"Service": "lambda.amazonaws.com"}), []),
        (_allow({"AWS": "111122223333"}, "ses:GetIdentityPolicies"), []),
        (_allow({"AWS": "111122223333"}, Effect="Deny"), []),
        (
            {"Effect": "Allow", "NotPrincipal": {"AWS": OWN}, "Action": "ses:SendRawEmail", "Resource": "*"},
            ["anyone (Principal *)"],
        ),
        (
            {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "NotAction": "ses:Get*", "Resource": "*"},
            ["another account (111122223333)"],
        ),
    ],
)
def test_grants_to_others_are_named(statement, expected):
    assert _grants(statement) == expected


def test_allowed_senders_and_their_accounts_pass():
    allowed = frozenset({"arn:aws:iam::111122223333:root", f"arn:aws:iam::{OWN}:role/mobile"})
    assert _grants(_allow({"AWS": ["111122223333", f"arn:aws:iam::{OWN}:role/mobile"]}), allowed=allowed) == []
    assert _grants(_allow({"AWS": "444455556666"}), allowed=allowed) == ["another account (444455556666)"]


def test_a_grant_names_its_policy_statement_and_conditions():
    condition = {"StringEquals": {"ses:FromAddress": "x@held.example"}}
    document = json.dumps({"Statement": [_allow({"AWS": "111122223333"}, Sid="S", Condition=condition)]})
    [grant] = IdentityPolicies("eu-west-1", "held.example", IDENTITY, True, (("partner", document),), OWN).grants
    assert str(grant) == (
        "policy 'partner' statement #1 (Sid S) lets 111122223333 send: another account (111122223333), "
        'with conditions {"StringEquals": {"ses:FromAddress": "x@held.example"}}'
    )


def _policy(*statements: dict) -> list[Policy]:
    return [Policy("p", "role", {"Version": "2012-10-17", "Statement": list(statements)})]


RESOURCES = (IDENTITY, f"arn:aws:ses:eu-west-1:{OWN}:identity/no-reply@held.example")


@pytest.mark.parametrize(
    "statement",
    [
        {
            "Effect": "Allow",
            "Action": "ses:SendEmail",
            "Resource": IDENTITY,
            "Condition": {"StringEquals": {"ses:FromAddress": "other@held.example"}},
        },
        {"Effect": "Allow", "Action": "ses:Send*", "Resource": "arn:aws:ses:*:*:identity/*"},
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "ses:SendRawEmail", "NotResource": "arn:aws:ses:*:*:identity/other.example"},
        {"Effect": "Allow", "Action": "ses:SendEmail", "Resource": "arn:aws:ses:eu-west-1:*:identity/${aws:username}"},
    ],
)
def test_the_pre_filter_keeps_every_statement_that_could_grant(statement):
    assert could_grant(_policy(statement), RESOURCES) == ("policy 'p' (role) statement #1",)


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "Allow", "Action": "ses:SendEmail", "Resource": "arn:aws:ses:eu-west-1:*:identity/other.example"},
        {"Effect": "Allow", "Action": "ses:GetSendQuota", "Resource": "*"},
        {"Effect": "Deny", "Action": "ses:SendEmail", "Resource": "*"},
    ],
)
def test_the_pre_filter_drops_what_cannot_grant(statement):
    assert could_grant(_policy(statement), RESOURCES) == ()
