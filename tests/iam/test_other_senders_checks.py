"""Who else can send (checks/test_other_senders.py) against scenarios: another role of the account
allowed to send as the sender, one held to another sender, one the config allows, and AWS's
service-linked roles; each caught by exactly its check, or by none."""

from __future__ import annotations

from iam_demo import DEMO, IDENTITY
from workspace import expect_only_failure

CASE = "test_no_other_principal_may_send_as_the_sender[ap-southeast-1-no-reply@bizassist.example]"
MOBILE = "arn:aws:iam::123456789012:role/bizassist-mobile"


def _role(name: str, condition: dict | None = None, path: str = "/") -> dict:
    statement = {"Sid": "SendMail", "Effect": "Allow", "Action": ["ses:SendEmail", "ses:SendRawEmail"]}
    statement["Resource"] = IDENTITY
    if condition:
        statement["Condition"] = condition
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    return {name: {"path": path, "service": "lambda.amazonaws.com", "inline": {"mobile-mail": policy}}}


def _with_role(name: str, **kwargs):
    return lambda d: d["iam"]["roles"].update(_role(name, **kwargs))


def _facts(result):
    return result.evidence["checks"][f"checks/test_other_senders.py::{CASE}"]["facts"]["other_senders"]


def test_another_role_allowed_to_send_as_the_sender_is_caught_by_its_check_alone(workspace):
    message = expect_only_failure(workspace, CASE, _with_role("bizassist-mobile"))
    assert f"{MOBILE}: allowed by policy 'mobile-mail' (role) statement at line 4" in message, message
    assert "its statements that grant sends: policy 'mobile-mail' (role) statement #1 (Sid SendMail)" in message
    assert "may send as no-reply@bizassist.example in ap-southeast-1" in message
    assert "ses.other_senders_allowed" in message


def test_a_role_the_config_allows_and_one_held_to_another_sender_pass(workspace, demo):
    workspace.edit(DEMO, _with_role("bizassist-mobile"))
    held = {"StringEquals": {"ses:FromAddress": "alerts@bizassist.example"}}
    workspace.edit(DEMO, _with_role("bizassist-alerts", condition=held))
    workspace.edit("demo.yaml", lambda d: d["ses"].update(other_senders_allowed=[MOBILE]))
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    facts = _facts(result)
    assert MOBILE in facts["exempt"]
    [asked] = facts["asked"]
    assert asked["principal_arn"] == "arn:aws:iam::123456789012:role/bizassist-alerts", "the pre-filter kept it"
    decided = [d["decision"] for rows in asked["decisions"].values() for d in rows]
    assert decided == ["implicitDeny"] * 4, "the simulator holds it to its own sender"
    calls = result.evidence["aws_calls"]["iam:SimulatePrincipalPolicy"]
    _, whole = demo
    assert calls == whole.evidence["aws_calls"]["iam:SimulatePrincipalPolicy"] + 1, "one question per kept principal"


def test_the_auditor_making_the_test_send_is_not_another_sender(workspace):
    result = workspace.verify("demo", "--send-test")
    assert result.exit_code == 0, result.output
    assert "arn:aws:iam::123456789012:user/golive-auditor" in _facts(result)["exempt"]


def test_service_linked_roles_are_skipped_and_said_so(workspace):
    workspace.edit(DEMO, _with_role("AWSServiceRoleForMail", path="/aws-service-role/mail.amazonaws.com/"))
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    assert _facts(result)["service_linked_roles_skipped"] == [
        "arn:aws:iam::123456789012:role/aws-service-role/mail.amazonaws.com/AWSServiceRoleForMail"
    ]
    assert _facts(result)["asked"] == []


def test_a_pattern_lists_roles_whose_names_end_as_sso_makes_them_and_a_bare_wildcard_is_refused(workspace):
    sso = "AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b"
    workspace.edit(DEMO, _with_role(sso, path="/aws-reserved/sso.amazonaws.com/"))
    pattern = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_*"
    workspace.edit("demo.yaml", lambda d: d["ses"].update(other_senders_allowed=[pattern]))
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    assert _facts(result)["asked"] == [], "listed by the pattern: not another sender"
    workspace.edit("demo.yaml", lambda d: d["ses"].update(other_senders_allowed=["arn:aws:iam::123456789012:role/*"]))
    refused = workspace.verify("demo")
    assert refused.exit_code == 4 and "other_senders_allowed" in refused.output, refused.output
