"""Sending-authorization policies on the demo's identity (checks/test_other_senders.py): a grant to
another account is caught by exactly its check; a grant the config allows is not."""

from __future__ import annotations

from workspace import expect_only_failure

CASE = "test_identity_policies_let_no_one_else_send[ap-southeast-1-bizassist.example]"
IDENTITY = "arn:aws:ses:ap-southeast-1:123456789012:identity/bizassist.example"
PARTNER = "arn:aws:iam::111122223333:root"


def _policy(principal: object) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PartnerSends",
                "Effect": "Allow",
                "Principal": principal,
                "Action": ["ses:SendEmail", "ses:SendRawEmail"],
                "Resource": IDENTITY,
            }
        ],
    }


def _granting(principal: object):
    def edit(d):
        identity = d["regions"]["ap-southeast-1"]["ses"]["identities"]["bizassist.example"]
        identity["policies"] = {"partner-sending": _policy(principal)}

    return edit


def test_a_policy_granting_another_account_is_caught_by_its_check_alone(workspace):
    message = expect_only_failure(workspace, CASE, _granting({"AWS": PARTNER}))
    assert (
        f"policy 'partner-sending' statement #1 (Sid PartnerSends) lets {PARTNER} send: another account (111122223333)"
        in message
    ), message
    assert "delete-email-identity-policy --email-identity bizassist.example" in message


def test_a_policy_granting_anyone_is_caught(workspace):
    message = expect_only_failure(workspace, CASE, _granting("*"))
    assert "lets * send: anyone (Principal *)" in message, message


def test_a_grant_the_config_allows_passes_and_is_in_the_evidence(workspace):
    workspace.edit("scenarios/demo.yaml", _granting({"AWS": ["111122223333"]}))
    workspace.edit("demo.yaml", lambda d: d["ses"].update(other_senders_allowed=[PARTNER]))
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    facts = result.evidence["checks"][f"checks/test_other_senders.py::{CASE}"]["facts"]["identity_policies"]
    assert facts["policies"]["partner-sending"]["Statement"][0]["Sid"] == "PartnerSends"
    assert facts["grants"] == []
