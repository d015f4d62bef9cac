"""Least privilege (checks/test_iam_least_privilege.py, checks/test_iam_policies.py) against
scenarios with defects: each is caught by exactly its check (defects of different statements
share a run: together they fail exactly their checks)."""

from __future__ import annotations

import dataclasses
import json

from iam_demo import DEMO, statement, statements
from workspace import Workspace, batch_run, demo_defect, expect_failure_of_batch

from golive.iam import probing

SENDS = {"api-ap-southeast-1-ses:SendEmail", "api-ap-southeast-1-ses:SendRawEmail"}


def _only_failure(result, expected):
    assert result.exit_code == 1, result.output
    assert result.ids("failed") == expected, result.output
    assert result.ids("error") == set()


def _failure_in_batch(result, batch, check):
    assert result.exit_code == 1, result.output
    return expect_failure_of_batch(result, batch, check)


def test_seed_policy_fails_on_its_invented_actions_their_missing_permissions_and_resource_star(workspace):
    result = workspace.verify("seed-policy")
    missing = {
        f"glassdome-app-{region}-ses:{action}"
        for region in ("us-east-1", "us-west-2")
        for action in ("SetIdentityMailFromDomain", "GetIdentityMailFromDomainAttributes")
    }
    _only_failure(result, missing | {"glassdome-app"})
    failures = {name: o for name, o in result.outcomes.items() if o.status == "failed"}
    unknown = failures["test_policies_name_only_real_actions[glassdome-app]"].message
    assert "ses:PutIdentityMailFromDomain is not an IAM action, so it grants nothing" in unknown
    assert "ses:GetIdentityMailFromDomain is not an IAM action" in unknown
    assert "ses:SetIdentityMailFromDomain" in unknown and "policy 'SESDomainManagement' (user-managed)" in unknown
    star = failures["test_ses_send_and_identity_actions_are_scoped[glassdome-app]"].message
    assert 'ses:CreateEmailIdentity, ses:DeleteEmailIdentity on Resource "*"' in star


def test_the_offered_policy_replaces_seed_policy_and_the_run_is_go(workspace):
    first = workspace.verify("seed-policy")
    [policy] = {
        json.dumps(c["facts"]["remediation"], sort_keys=True)
        for c in first.evidence["checks"].values()
        if "remediation" in c["facts"]
    }
    workspace.edit(
        "scenarios/seed-policy.yaml", lambda d: d["iam"]["policies"].update(SESDomainManagement=json.loads(policy))
    )
    second = workspace.verify("seed-policy")
    assert second.exit_code == 0, second.output
    assert second.ids("failed") == second.ids("error") == set()


WILDCARD = demo_defect(
    "test_policies_grant_no_wildcard_actions[api]", lambda d: statement(d, "WriteOwnLogs").update(Action="logs:*")
)


def test_a_wildcard_action_is_caught_by_the_wildcard_check_alone(policies_a):
    message = _failure_in_batch(policies_a, POLICIES_A, WILDCARD.check)
    assert "allows every action of logs:*" in message and "statement #3 (Sid WriteOwnLogs)" in message


def _send_anywhere_in_region(d):
    send = statement(d, "SendAsTheServiceOnly")
    send["Resource"] = "*"
    send["Condition"]["StringEquals"]["aws:RequestedRegion"] = "ap-southeast-1"


RESOURCE_STAR = demo_defect("test_ses_send_and_identity_actions_are_scoped[api]", _send_anywhere_in_region)


def test_resource_star_on_send_is_caught_by_the_scoping_check_alone(policies_a):
    message = _failure_in_batch(policies_a, POLICIES_A, RESOURCE_STAR.check)
    assert 'ses:SendEmail, ses:SendRawEmail on Resource "*"' in message


def test_a_sender_not_scoped_is_caught_by_the_sender_check_alone(workspace):
    workspace.edit(DEMO, lambda d: statement(d, "SendAsTheServiceOnly").pop("Condition"))
    result = workspace.verify("demo")
    _only_failure(result, SENDS)
    message = result.outcome("api-ap-southeast-1-ses:SendEmail", "test_sending_as_another_sender_is_denied").message
    assert "may ses:SendEmail as other senders" in message
    assert (
        "as golive-probe@bizassist.example in ap-southeast-1: allowed by policy 'bizassist-api-least-privilege'"
        in message
    )


def test_a_sender_pattern_lets_the_service_send_as_another_verified_identity(workspace):
    def any_sender_any_identity(d):
        send = statement(d, "SendAsTheServiceOnly")
        send["Resource"] = [
            "arn:aws:ses:ap-southeast-1:123456789012:identity/*",
            "arn:aws:ses:ap-southeast-1:123456789012:configuration-set/bizassist-demo",
        ]
        send["Condition"] = {
            "StringLike": {"ses:FromAddress": ["no-reply@bizassist.example", "*@bizassist-news.example"]}
        }
        d["regions"]["ap-southeast-1"]["ses"]["identities"]["bizassist-news.example"] = {}

    workspace.edit(DEMO, any_sender_any_identity)
    workspace.write("scenarios/zones/bizassist-news.example.zone", _zone("bizassist-news.example"))
    workspace.edit(
        DEMO, lambda d: d["dns"]["zones"].update({"bizassist-news.example": "zones/bizassist-news.example.zone"})
    )
    result = workspace.verify("demo")
    assert result.ids("failed") >= SENDS
    message = result.outcome("api-ap-southeast-1-ses:SendEmail", "test_sending_as_another_sender_is_denied").message
    assert "as golive-probe@bizassist-news.example in ap-southeast-1" in message
    assert "golive-probe@bizassist.example" not in message, "the configured domain's other addresses stay denied"


def test_a_local_engine_wrong_about_a_denial_is_caught_by_the_sample_and_every_probe_is_asked(tmp_path, monkeypatch):
    real = probing.evaluate  # the local engine as the pre-filter reads it, made to deny everything
    monkeypatch.setattr(probing, "evaluate", lambda *a: dataclasses.replace(real(*a), decision="implicitDeny"))
    workspace = Workspace(tmp_path)  # not shared: no other run has this engine
    workspace.edit(DEMO, lambda d: statement(d, "SendAsTheServiceOnly").pop("Condition"))
    identities = {f"team-{n}@bizassist.example": {} for n in range(10)}  # more probes than the sample takes
    workspace.edit(DEMO, lambda d: d["regions"]["ap-southeast-1"]["ses"]["identities"].update(identities))
    result = workspace.verify("demo")
    _only_failure(result, SENDS)
    message = result.outcome("api-ap-southeast-1-ses:SendEmail", "test_sending_as_another_sender_is_denied").message
    assert "as golive-probe@bizassist.example in ap-southeast-1: allowed by policy" in message
    assert "golive's local engine denied golive-probe@bizassist.example in ap-southeast-1, which AWS's" in message
    checks = result.evidence["checks"]
    facts = checks["checks/test_iam_least_privilege.py::test_sending_as_another_sender_is_denied[api-ap-southeast-1-ses:SendEmail]"]
    facts = facts["facts"]["sender_scope"]
    assert facts["answered_by"] == {probing.ASKED: 12}
    assert facts["local_engine_disagreed"] == ["golive-probe@bizassist.example in ap-southeast-1"]


def _with_boundary(d):
    d["iam"]["policies"] = {
        "api-boundary": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["ses:*", "logs:*", "secretsmanager:GetSecretValue", "rds-db:connect"],
                    "Resource": "*",
                },
                {"Sid": "NoRawMail", "Effect": "Deny", "Action": "ses:SendRawEmail", "Resource": "*"},
            ],
        }
    }
    d["iam"]["roles"]["bizassist-api"]["boundary"] = "api-boundary"


BOUNDARY_DENY = demo_defect("test_principal_is_allowed[api-ap-southeast-1-ses:SendRawEmail]", _with_boundary)


def test_an_explicit_deny_in_the_boundary_is_caught_by_the_allow_check_alone(policies_b):
    message = _failure_in_batch(policies_b, POLICIES_B, BOUNDARY_DENY.check)
    assert "explicitly denied by policy 'api-boundary'" in message
    assert "Fix: the permissions boundary of arn:aws:iam::123456789012:role/bizassist-api does not allow" in message


def _also_oregon(d):
    statements(d).append(
        {
            "Sid": "AlsoOregon",
            "Effect": "Allow",
            "Action": "ses:SendEmail",
            "Resource": "arn:aws:ses:us-west-2:123456789012:identity/bizassist.example",
            "Condition": {"StringEquals": {"ses:FromAddress": "no-reply@bizassist.example"}},
        }
    )


ALSO_OREGON = demo_defect("test_sending_outside_the_regions_is_denied[api-ses:SendEmail]", _also_oregon)


def test_a_policy_that_allows_another_region_is_caught_by_the_region_check_alone(policies_b):
    message = _failure_in_batch(policies_b, POLICIES_B, ALSO_OREGON.check)
    assert "may ses:SendEmail outside the configured regions, in us-west-2" in message


ESCALATION = demo_defect(
    "test_policies_allow_no_privilege_escalation[api]",
    lambda d: statements(d).append(
        {"Sid": "SelfService", "Effect": "Allow", "Action": "iam:PutUserPolicy", "Resource": "*"}
    ),
)


def test_privilege_escalation_is_caught_by_the_escalation_check_alone(policies_a):
    message = _failure_in_batch(policies_a, POLICIES_A, ESCALATION.check)
    assert "PRIVILEGE_ESCALATION (PutUserPolicy)" in message and "PERMISSIONS_MANAGEMENT_ACTIONS" in message


INVENTED_ACTION = demo_defect(
    "test_policies_name_only_real_actions[api]",
    lambda d: statement(d, "ReadSendingState")["Action"].append("ses:GetSendQuotas"),
)


def test_an_invented_action_in_a_policy_is_caught_by_the_name_check_alone(policies_a):
    message = _failure_in_batch(policies_a, POLICIES_A, INVENTED_ACTION.check)
    assert "ses:GetSendQuotas is not an IAM action" in message


def test_long_lived_keys_in_production_are_an_advisory_finding(workspace):
    workspace.edit(DEMO, lambda d: d["iam"].update(users={"legacy-mailer": {"access_keys": 1}}))

    def production_with_user(d):
        d["production"] = True
        d["principals"]["legacy"] = {
            "arn": "arn:aws:iam::123456789012:user/legacy-mailer",
            "must_deny": ["ses:SendEmail"],
        }

    workspace.edit("demo.yaml", production_with_user)
    result = workspace.verify("demo")
    assert result.exit_code == 0, "an advisory finding informs; it does not block"
    assert result.ids("failed") == set() and result.ids("advisory") == {"legacy"}, "JUnit: skipped, not failed"
    assert "1 advisory" in result.output and "golive demo: GO" in result.output
    outcome = result.outcome("legacy", "test_no_long_lived_access_keys")
    assert "is an IAM user with 1 active long-lived access key(s): ****" in outcome.message
    assert outcome.properties["severity"] == "advisory" and outcome.properties["outcome"] == "advisory"


def _zone(domain: str) -> str:
    return (
        f"$ORIGIN {domain}.\n$TTL 300\n"
        f"@ IN SOA ns1.{domain}. hostmaster.{domain}. 1 3600 600 604800 300\n@ IN NS ns1.{domain}.\nns1 IN A 127.0.0.1\n"
    )


# Defects of different statements, one check each, share a run: each check reports only the
# statements that break its own rule (each message was compared with its defect's run alone).
# Messages name an appended statement by its line, which moves when a statement before it
# changes size: the Oregon grant shares its run only with the boundary, written after the role.
POLICIES_A = [WILDCARD, RESOURCE_STAR, ESCALATION, INVENTED_ACTION]
POLICIES_B = [ALSO_OREGON, BOUNDARY_DENY]


policies_a = batch_run("policies_a", POLICIES_A)


policies_b = batch_run("policies_b", POLICIES_B)
