"""checks/test_iam_permissions.py against scenarios with known defects: each defect is caught, and only it."""

from __future__ import annotations

import datetime as dt
import json

from iam_demo import DEMO, adding, allow, auditor_allowed, statement, with_boundary
from workspace import names

IAM_CHECKS = {
    "test_principal_is_allowed",
    "test_principal_is_denied",
    "test_sending_as_another_sender_is_denied",
    "test_sending_outside_the_regions_is_denied",
    "test_policies_name_only_real_actions",
    "test_policies_grant_no_wildcard_actions",
    "test_ses_send_and_identity_actions_are_scoped",
    "test_policies_allow_no_privilege_escalation",
}
SEED_ACTIONS = [
    "ses:CreateEmailIdentity",
    "ses:GetIdentityVerificationAttributes",
    "ses:SetIdentityMailFromDomain",
    "ses:GetIdentityDkimAttributes",
    "ses:VerifyDomainIdentity",
    "ses:GetIdentityMailFromDomainAttributes",
    "ses:ListIdentities",
    "ses:DeleteEmailIdentity",
    "ses:GetAccount",
]


def test_demo_is_go(workspace):
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    assert "golive demo: GO" in result.output
    assert result.ids("failed") == result.ids("error") == set()
    assert "api-ap-southeast-1-ses:SendEmail" in result.ids("passed")
    assert "api-ap-southeast-1-iam:PassRole" in result.ids("passed")


def test_seed_permissions_fails_on_exactly_the_eighteen_missing_permissions(workspace):
    result = workspace.verify("seed-permissions")
    assert result.exit_code == 1, result.output
    expected = {f"glassdome-app-{region}-{action}" for region in ("us-east-1", "us-west-2") for action in SEED_ACTIONS}
    assert result.ids("failed") == expected
    assert result.ids("error") == set()
    for region in ("us-east-1", "us-west-2"):
        for action in SEED_ACTIONS:
            message = result.outcome(f"glassdome-app-{region}-{action}").message
            assert f"is not allowed {action} in {region}" in message
            assert "no statement allows it" in message
            assert "least-privilege policy" in message


def test_the_offered_policy_turns_seed_permissions_go(workspace):
    first = workspace.verify("seed-permissions")
    fixes = {
        json.dumps(check["facts"]["remediation"], sort_keys=True)
        for check in first.evidence["checks"].values()
        if "remediation" in check["facts"]
    }
    assert len(fixes) == 1, "one principal, one policy that fixes all its checks"
    policy = json.loads(fixes.pop())
    for granted in policy["Statement"]:
        assert granted["Resource"] != "*" or "aws:RequestedRegion" in granted["Condition"]["StringEquals"]

    workspace.edit(
        "scenarios/seed-permissions.yaml",
        lambda d: d["iam"]["users"]["glassdome-app"]["inline"].update({"SESDomainManagement": policy}),
    )
    second = workspace.verify("seed-permissions")
    assert second.exit_code == 0, second.output
    assert second.ids("failed") == second.ids("error") == set()


def test_an_explicit_deny_beats_an_allow(workspace):
    workspace.edit(DEMO, adding({"Sid": "NoSend", "Effect": "Deny", "Action": "ses:SendEmail", "Resource": "*"}))
    result = workspace.verify("demo")
    assert result.ids("failed") == {"api-ap-southeast-1-ses:SendEmail"}
    message = result.outcome("api-ap-southeast-1-ses:SendEmail", "test_principal_is_allowed").message
    assert "explicitly denied by policy 'bizassist-api-least-privilege' (role)" in message


def test_a_wildcard_action_allows_what_it_covers(workspace):
    def only_wildcard(d):
        d["iam"]["roles"]["bizassist-api"]["inline"] = {
            "reader": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "ses:Get*", "Resource": "*"}],
            }
        }

    workspace.edit(DEMO, only_wildcard)
    workspace.edit(
        "demo.yaml",
        lambda d: d["principals"]["api"].update(must_allow=["ses:GetSendQuota", "ses:ListIdentities"], must_deny=[]),
    )
    result = workspace.verify("demo", "-k", "test_principal_is")
    assert result.ids("passed") == {"api-ap-southeast-1-ses:GetSendQuota"}
    assert result.ids("failed") == {"api-ap-southeast-1-ses:ListIdentities"}


def test_a_policy_scoped_to_another_region_does_not_allow_here(workspace):
    def other_region(d):
        send = statement(d, "SendAsTheServiceOnly")
        send["Resource"] = [r.replace("ap-southeast-1", "us-west-2") for r in send["Resource"]]
        statement(d, "ReadSendingState")["Condition"]["StringEquals"]["aws:RequestedRegion"] = "us-west-2"

    workspace.edit(DEMO, other_region)
    result = workspace.verify("demo")
    assert result.exit_code == 1
    here = {
        f"api-ap-southeast-1-ses:{a}"
        for a in (
            "SendEmail",
            "SendRawEmail",
            "GetSendQuota",
            "GetSendStatistics",
            "ListIdentities",
            "GetIdentityVerificationAttributes",
        )
    }
    # and the region check sees the sends now allowed in us-west-2
    assert result.ids("failed") == here | {"api-ses:SendEmail", "api-ses:SendRawEmail"}


def test_sending_through_the_configuration_set_needs_the_set_in_the_policy(workspace):
    def identity_only(d):
        send = statement(d, "SendAsTheServiceOnly")
        send["Resource"] = send["Resource"][0]

    workspace.edit(DEMO, identity_only)
    result = workspace.verify("demo")
    assert result.ids("failed") == {"api-ap-southeast-1-ses:SendEmail", "api-ap-southeast-1-ses:SendRawEmail"}
    message = result.outcome("api-ap-southeast-1-ses:SendEmail", "test_principal_is_allowed").message
    assert (
        "on arn:aws:ses:ap-southeast-1:123456789012:configuration-set/bizassist-demo: no statement allows it" in message
    )
    assert "identity/bizassist.example: no statement" not in message


def test_a_sender_condition_for_another_address_does_not_allow_the_configured_sender(workspace):
    def other_sender(d):
        sender = statement(d, "SendAsTheServiceOnly")["Condition"]["StringEquals"]
        sender["ses:FromAddress"] = "marketing@bizassist.example"

    workspace.edit(DEMO, other_sender)
    result = workspace.verify("demo")
    assert result.ids("failed") == {"api-ap-southeast-1-ses:SendEmail", "api-ap-southeast-1-ses:SendRawEmail"}


def test_must_deny_fails_when_the_action_is_allowed(workspace):
    workspace.edit(DEMO, adding(allow("TooBroad", "ses:*EmailIdentity")))
    result = workspace.verify("demo")
    assert result.exit_code == 1
    assert result.ids("failed") == {
        "api-ap-southeast-1-ses:CreateEmailIdentity",
        "api-ap-southeast-1-ses:DeleteEmailIdentity",
    }
    message = result.outcome("api-ap-southeast-1-ses:CreateEmailIdentity", "test_principal_is_denied").message
    assert "is allowed ses:CreateEmailIdentity in ap-southeast-1, which it must not be" in message
    assert "policy 'bizassist-api-least-privilege' (role)" in message


def test_must_deny_sees_a_grant_on_another_resource_than_the_services_own(workspace):
    old_brand = "arn:aws:ses:*:123456789012:identity/old-brand.example"
    workspace.edit(DEMO, adding(allow("CleanUpOldBrand", "ses:DeleteEmailIdentity", old_brand)))
    result = workspace.verify("demo")
    # the grant names the identity in any region (`*`): the scoping check reports it as unscoped too
    assert result.ids("failed") == {"api-ap-southeast-1-ses:DeleteEmailIdentity", "api"}
    assert result.outcome("api", "test_ses_send_and_identity_actions_are_scoped").status == "failed"
    message = result.outcome("api-ap-southeast-1-ses:DeleteEmailIdentity", "test_principal_is_denied").message
    assert "on arn:aws:ses:*:123456789012:identity/old-brand.example: allowed by policy" in message


def test_a_permissions_boundary_limits_what_the_role_may_do(workspace):
    workspace.edit(DEMO, with_boundary({"Effect": "Allow", "Action": ["ses:*", "logs:*"], "Resource": "*"}))
    result = workspace.verify("demo")
    # the backend checks ask the permissions the service needs of its secret and database
    assert names(result, "failed") == {
        "test_principal_may_read_the_secret[api-ap-southeast-1-bizassist/db-AbCdEf]",
        "test_principal_may_connect_to_the_database[api-ap-southeast-1-bizassist-demo]",
    }


def test_an_auditor_who_cannot_read_iam_gets_errors_never_passes(workspace):
    workspace.edit(DEMO, auditor_allowed("ses:Get*", "ses:List*"))
    result = workspace.verify("demo")
    assert result.exit_code == 1
    assert result.ids("failed") == set()
    iam_checks = {name: o for name, o in result.outcomes.items() if name.split("[")[0] in IAM_CHECKS}
    assert len(iam_checks) == 18 and {o.status for o in iam_checks.values()} == {"error"}
    message = result.outcome("api-ap-southeast-1-ses:SendEmail", "test_principal_is_allowed").message
    assert "the auditor is not allowed iam:GetAccountAuthorizationDetails" in message
    assert "0 failed, " in result.output and "could not see" in result.output


def test_without_the_simulator_the_local_engine_answers_from_the_policies(workspace):
    workspace.edit(DEMO, auditor_allowed("iam:GetAccountAuthorizationDetails", "sts:GetCallerIdentity"))
    result = workspace.verify("demo", "-k", "test_principal_is")  # an IAM-only auditor: SES checks would error
    assert result.exit_code == 6, result.output  # all selected passed: PARTIAL
    engines = {c["facts"]["permission"]["engine"] for c in result.evidence["checks"].values()}
    assert engines == {"golive-local-engine"}


def test_the_caller_is_checked_as_its_own_principal(workspace):
    workspace.edit(
        "demo.yaml",
        lambda d: d["principals"].update(
            auditor={"arn": "caller", "must_allow": ["iam:SimulatePrincipalPolicy"], "must_deny": ["ses:SendEmail"]}
        ),
    )
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    evidence = result.evidence["checks"]
    arns = {
        c["facts"]["permission"]["principal_arn"]
        for c in evidence.values()
        if "permission" in c["facts"] and c["facts"]["permission"]["principal"] == "auditor"
    }
    assert arns == {"arn:aws:iam::123456789012:user/golive-auditor"}


def _verify_with_waiver(workspace, check, reason, expires):
    """The demo with an allow it must not have (ses:CreateEmailIdentity), and a waiver of OPS-7."""
    workspace.edit(DEMO, adding(allow("TooBroad", "ses:CreateEmailIdentity")))
    waiver = {"check": check, "reason": reason, "ticket": "OPS-7", "expires": expires}
    workspace.edit("demo.yaml", lambda d: d.update(waivers=[waiver]))
    return workspace.verify("demo")


def test_an_active_waiver_accepts_a_failure_with_its_reason(workspace):
    reason = "identity bootstrap runs from the API until OPS-7 moves it"
    expires = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()  # within the 90-day horizon
    result = _verify_with_waiver(workspace, "test_principal_is_denied[api-*-ses:CreateEmailIdentity]", reason, expires)
    assert result.exit_code == 0, result.output
    assert "0 failed, 0 could not see, 1 waived)" in result.output
    [waived] = [c for c in result.evidence["checks"].values() if c["outcome"] == "waived"]
    assert waived["facts"]["waiver"] == f"OPS-7, until {expires}: {reason}"


def test_an_expired_waiver_waives_nothing(workspace):
    result = _verify_with_waiver(workspace, "test_principal_is_denied[api-*]", "temporary exception", "2020-01-31")
    assert result.exit_code == 1
    assert result.ids("failed") == {"api-ap-southeast-1-ses:CreateEmailIdentity"}
    assert (
        "The waiver OPS-7, until 2020-01-31: temporary exception expired"
        in result.outcome("api-ap-southeast-1-ses:CreateEmailIdentity", "test_principal_is_denied").message
    )


def test_a_waiver_matches_whole_names_not_substrings(workspace):
    # the action alone, a substring of the id: refused as a pattern, so it can never waive by substring
    expires = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()
    result = _verify_with_waiver(workspace, "test_principal_is_denied[ses:CreateEmailIdentity]", "too loose", expires)
    assert result.ids("failed") == {"api-ap-southeast-1-ses:CreateEmailIdentity"}
