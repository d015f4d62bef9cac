"""iam:SimulatePrincipalPolicy on the embedded account."""

from __future__ import annotations

import botocore.exceptions
import pytest
from moto_clients import auditor_client, output_shape, shape_errors

POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": "ses:Get*", "Resource": "*"},
        {
            "Sid": "Send",
            "Effect": "Allow",
            "Action": "ses:SendEmail",
            "Resource": "arn:aws:ses:us-east-1:123456789012:identity/bizassist.example",
            "Condition": {"StringEquals": {"ses:FromAddress": "no-reply@bizassist.example"}},
        },
        {"Sid": "NoQuota", "Effect": "Deny", "Action": "ses:GetSendQuota", "Resource": "*"},
    ],
}
ARN = "arn:aws:iam::123456789012:role/app"


@pytest.fixture
def iam(embedded):
    account = embedded({"iam": {"roles": {"app": {"inline": {"app-policy": POLICY}}}}})
    return auditor_client(account, "iam")


def simulate(iam, actions, resources=None, sender="no-reply@bizassist.example"):
    params = {
        "PolicySourceArn": ARN,
        "ActionNames": actions,
        "ContextEntries": [
            {"ContextKeyName": "ses:FromAddress", "ContextKeyValues": [sender], "ContextKeyType": "string"}
        ],
    }
    if resources:
        params["ResourceArns"] = resources
    return iam.simulate_principal_policy(**params)


def test_the_response_has_the_shape_botocore_documents(iam):
    response = simulate(iam, ["ses:GetSendStatistics", "ses:GetSendQuota", "ses:DeleteIdentity"])
    assert shape_errors(response, output_shape("iam", "SimulatePrincipalPolicy")) == []
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in response["EvaluationResults"]}
    assert decisions == {
        "ses:GetSendStatistics": "allowed",
        "ses:GetSendQuota": "explicitDeny",
        "ses:DeleteIdentity": "implicitDeny",
    }


def test_matched_statements_point_at_the_deciding_statement(iam):
    denied = simulate(iam, ["ses:GetSendQuota"])["EvaluationResults"][0]
    [statement] = denied["MatchedStatements"]
    assert statement["SourcePolicyId"] == "app-policy" and statement["SourcePolicyType"] == "role"
    # json.dumps(POLICY, indent=4): the third statement starts on line 21
    assert statement["StartPosition"]["Line"] == 21
    assert statement["EndPosition"]["Line"] > statement["StartPosition"]["Line"]


def test_resources_and_context_decide_per_resource(iam):
    ours = "arn:aws:ses:us-east-1:123456789012:identity/bizassist.example"
    other = "arn:aws:ses:us-west-2:123456789012:identity/bizassist.example"
    result = simulate(iam, ["ses:SendEmail"], [ours, other])["EvaluationResults"][0]
    per_resource = {r["EvalResourceName"]: r["EvalResourceDecision"] for r in result["ResourceSpecificResults"]}
    assert per_resource == {ours: "allowed", other: "implicitDeny"}
    assert result["EvalDecision"] == "implicitDeny"
    wrong_sender = simulate(iam, ["ses:SendEmail"], [ours], sender="ceo@bizassist.example")
    assert wrong_sender["EvaluationResults"][0]["EvalDecision"] == "implicitDeny"


def test_an_unknown_principal_is_no_such_entity(iam):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        iam.simulate_principal_policy(
            PolicySourceArn="arn:aws:iam::123456789012:role/nobody", ActionNames=["ses:GetSendQuota"]
        )
    assert raised.value.response["Error"]["Code"] == "NoSuchEntity"


def test_the_auditor_needs_the_permission_to_simulate(embedded):
    account = embedded(
        {
            "iam": {"roles": {"app": {"inline": {"app-policy": POLICY}}}},
            "auditor": {
                "inline": {
                    "ro": {
                        "Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": "ses:List*", "Resource": "*"}],
                    }
                }
            },
        }
    )
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        simulate(auditor_client(account, "iam"), ["ses:GetSendQuota"])
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
