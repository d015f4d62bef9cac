"""The IAM inventories ask AWS once per fact, whatever asks for it: a could-not-see too."""

from __future__ import annotations

import boto3
import pytest

from golive.aws import AwsAccess
from golive.config import Config
from golive.errors import CouldNotSee
from golive.iam import cases, least_privilege
from golive.iam.inventory import PermissionInventory
from golive.iam.principals import Principals

ROLE = "arn:aws:iam::123456789012:role/app"
AUDITOR = "arn:aws:iam::123456789012:user/golive-auditor"
SEND = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ses:SendEmail", "Resource": "*"}]}
# An auditor that may neither simulate nor read IAM's policies: every IAM fact is a could-not-see.
SES_ONLY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ses:List*", "Resource": "*"}]}


def _inventories(account, tmp_path):
    creds = account.auditor
    session = boto3.Session(aws_access_key_id=creds.access_key_id, aws_secret_access_key=creds.secret_access_key)
    access = AwsAccess(session, endpoint_url=account.endpoint_url, max_attempts=1)
    data = {
        "account_id": "123456789012",
        "regions": ["eu-west-1", "us-east-1"],
        "aws": {"mode": "moto"},
        "principals": {"app": {"arn": ROLE, "must_allow": ["ses:SendEmail"], "must_deny": ["ses:DeleteIdentity"]}},
    }
    config = Config(env="t", path=tmp_path / "t.yaml", files=(), sha256="", data=data, origins={})
    principals = Principals(access, AUDITOR)
    return access, config, principals, PermissionInventory(access, config, principals)


def test_an_access_denied_on_authorization_details_is_asked_once_however_many_checks_need_it(embedded, tmp_path):
    account = embedded({"iam": {"roles": {"app": {"inline": {"send": SEND}}}}, "auditor": {"inline": {"ro": SES_ONLY}}})
    access, config, principals, permissions = _inventories(account, tmp_path)
    failures = []
    for _ in range(3):  # as many checks as the run has, each asking in its own setup
        for case in cases.permission_cases(config, "allow") + cases.permission_cases(config, "deny"):
            with pytest.raises(CouldNotSee) as caught:
                permissions.answer(case)
            failures.append(str(caught.value))
        for case in cases.principals(config):
            with pytest.raises(CouldNotSee) as caught:
                least_privilege.policy_review(case, principals)
            failures.append(str(caught.value))
    assert len(failures) == 15
    assert len(set(failures)) == 1, "every check reports the same could-not-see"
    assert "the auditor is not allowed iam:GetAccountAuthorizationDetails" in failures[0]
    assert access.recorder.by_operation()["iam:GetAccountAuthorizationDetails"] == 1
    # the simulator was refused too: asked once per region's question, never again per check
    assert access.recorder.by_operation()["iam:SimulatePrincipalPolicy"] == 2


def test_questions_of_one_context_share_one_simulation_each_action_reading_its_own_resources(embedded, tmp_path):
    identity = "arn:aws:ses:eu-west-1:123456789012:identity/x.example"
    create = {"Effect": "Allow", "Action": "ses:CreateEmailIdentity", "Resource": identity}
    account = embedded({"iam": {"roles": {"app": {"inline": {"p": {"Version": "2012-10-17", "Statement": [create]}}}}}})
    access, _, principals, _ = _inventories(account, tmp_path)
    data = {
        "account_id": "123456789012",
        "regions": ["eu-west-1"],
        "aws": {"mode": "moto"},
        "ses": {"from_address": "a@x.example", "domains": {"x.example": None}, "configuration_set": "cs"},
        "principals": {
            "app": {
                "arn": ROLE,
                "must_allow": ["ses:CreateEmailIdentity", "ses:GetSendQuota"],
                "must_deny": ["ses:DeleteConfigurationSet"],
            }
        },
    }
    config = Config(env="t", path=tmp_path / "t.yaml", files=(), sha256="", data=data, origins={})
    permissions = PermissionInventory(access, config, principals)
    answers = {c.action: permissions.answer(c) for c in cases.permission_cases(config, "allow")}
    answers |= {c.action: permissions.answer(c) for c in cases.permission_cases(config, "deny")}
    # the identity and the configuration set in one call; "*" (GetSendQuota takes no resource) apart
    assert access.recorder.by_operation()["iam:SimulatePrincipalPolicy"] == 2
    assert [d.resource for d in answers["ses:CreateEmailIdentity"].decisions] == [identity]
    assert answers["ses:CreateEmailIdentity"].allowed
    assert [d.resource for d in answers["ses:DeleteConfigurationSet"].decisions] == [
        "arn:aws:ses:eu-west-1:123456789012:configuration-set/cs"
    ]
    assert not answers["ses:DeleteConfigurationSet"].allowed_anywhere
    assert [d.resource for d in answers["ses:GetSendQuota"].decisions] == ["*"]
