"""checks/test_ses_account.py against scenarios with defects, a few independent ones per run:
each defect fails its check, with its message, and every other check passes."""

from __future__ import annotations

from workspace import batch_run, demo_defect, expect_failure_of_batch, names

from golive.areas import auditor_policy

REGION = "ap-southeast-1"
ACCOUNT_CHECKS = {
    f"test_{name}[{REGION}]"
    for name in (
        "production_access_is_granted",
        "sending_is_enabled",
        "enforcement_status_is_healthy",
        "daily_quota_meets_minimum",
        "send_rate_meets_minimum",
        "quota_usage_is_under_limit",
        "bounce_rate_is_under_limit",
        "complaint_rate_is_under_limit",
        "reputation_alarms_exist",
    )
}


def ses(data, region=REGION):
    return data["regions"][region]["ses"]


def test_the_demo_passes_every_account_check(workspace):
    result = workspace.verify("demo")
    assert result.exit_code == 0, result.output
    assert names(result, "passed") >= ACCOUNT_CHECKS
    evidence = result.evidence["checks"][f"checks/test_ses_account.py::test_bounce_rate_is_under_limit[{REGION}]"]
    assert evidence["gate"] == "reputation"
    assert evidence["facts"]["send_statistics"]["delivery_attempts"] == 11140
    assert evidence["facts"]["send_statistics"]["bounces"] == 101


SANDBOX = demo_defect(
    f"test_production_access_is_granted[{REGION}]", lambda d: ses(d)["account"].update(production_access=False)
)


def test_an_account_in_the_sandbox_fails_production_access(account_a):
    message = expect_failure_of_batch(account_a, ACCOUNT_A, SANDBOX.check)
    assert f"The SES account is in the sandbox in {REGION} (ProductionAccessEnabled: false)" in message
    assert "Request production access" in message


PAUSED = demo_defect(f"test_sending_is_enabled[{REGION}]", lambda d: ses(d)["account"].update(sending_enabled=False))


def test_paused_sending_fails_sending_enabled(account_b):
    message = expect_failure_of_batch(account_b, ACCOUNT_B, PAUSED.check)
    assert f"Sending is paused for the SES account in {REGION} (SendingEnabled: false" in message
    assert "put-account-sending-attributes --sending-enabled" in message


PROBATION = demo_defect(
    f"test_enforcement_status_is_healthy[{REGION}]", lambda d: ses(d)["account"].update(enforcement_status="PROBATION")
)


def test_probation_fails_the_enforcement_status(account_a):
    message = expect_failure_of_batch(account_a, ACCOUNT_A, PROBATION.check)
    assert f"The SES account in {REGION} is under review (PROBATION)" in message


SMALL_QUOTA = demo_defect(
    f"test_daily_quota_meets_minimum[{REGION}]", lambda d: ses(d)["account"].update(max_24_hour_send=10000)
)


def test_a_small_daily_quota_fails_the_quota_minimum(account_b):
    message = expect_failure_of_batch(account_b, ACCOUNT_B, SMALL_QUOTA.check)
    assert f"The SES daily quota in {REGION} is 10000 messages (Max24HourSend), below the 50000" in message


SLOW_RATE = demo_defect(f"test_send_rate_meets_minimum[{REGION}]", lambda d: ses(d)["account"].update(max_send_rate=5))


def test_a_slow_send_rate_fails_the_rate_minimum(account_b):
    message = expect_failure_of_batch(account_b, ACCOUNT_B, SLOW_RATE.check)
    assert f"The SES send rate in {REGION} is 5 messages a second (MaxSendRate), below the 14" in message


NEARLY_USED_UP = demo_defect(
    f"test_quota_usage_is_under_limit[{REGION}]", lambda d: ses(d)["account"].update(sent_last_24_hours=45000)
)


def test_a_nearly_used_up_quota_fails_the_usage_limit(account_a):
    message = expect_failure_of_batch(account_a, ACCOUNT_A, NEARLY_USED_UP.check)
    assert "sent 45000 messages in the last 24 hours, 90.0% of its daily quota of 50000; the limit is 80%" in message


def _bouncy(d):
    ses(d)["statistics"] = [{"hours_ago": 5, "delivery_attempts": 2000, "bounces": 120, "complaints": 0}]


BOUNCY = demo_defect(f"test_bounce_rate_is_under_limit[{REGION}]", _bouncy)


def test_a_high_bounce_rate_fails_with_the_numbers(account_a):
    message = expect_failure_of_batch(account_a, ACCOUNT_A, BOUNCY.check)
    assert (
        f"The SES bounce rate in {REGION} is 6.00%: 120 bounces of 2000 delivery attempts in 1 data points" in message
    )
    assert "the limit is 5.00%" in message


def _complained(d):
    ses(d)["statistics"] = [{"hours_ago": 5, "delivery_attempts": 2000, "bounces": 10, "complaints": 3}]


COMPLAINED = demo_defect(f"test_complaint_rate_is_under_limit[{REGION}]", _complained)


def test_a_high_complaint_rate_fails_with_the_numbers(account_b):
    message = expect_failure_of_batch(account_b, ACCOUNT_B, COMPLAINED.check)
    assert f"The SES complaint rate in {REGION} is 0.150%: 3 complaints of 2000 delivery attempts" in message
    assert "the limit is 0.100%" in message


def test_missing_or_useless_alarms_are_an_advisory_finding(workspace):
    def alarms(d):
        cw = d["regions"][REGION]["cloudwatch"]["alarms"]
        del cw["bizassist-ses-bounce-rate"]
        cw["bizassist-ses-complaint-rate"]["threshold"] = 0.005  # fires only at SES's pause line

    workspace.edit("scenarios/demo.yaml", alarms)
    result = workspace.verify("demo")
    assert result.exit_code == 0, "advisory: the verdict stays GO"
    assert "golive demo: GO" in result.output
    check = f"test_reputation_alarms_exist[{REGION}]"
    assert names(result, "failed") == set() and names(result, "advisory") == {check}, "a skip in JUnit, not a failure"
    message = result.outcomes[check].message
    assert "warns at the configured limit of Reputation.BounceRate, Reputation.ComplaintRate" in message
    assert "Reputation.BounceRate: no alarm" in message
    assert "'bizassist-ses-complaint-rate' (GreaterThanOrEqualToThreshold 0.005" in message
    assert "--metric-name Reputation.ComplaintRate --statistic Average" in message


def test_seed_permissions_passes_every_ses_check_in_both_regions_sandbox_allowed(workspace):
    result = workspace.verify("seed-permissions")
    ses_checks = {name for name in result.outcomes if "[us-" in name and not name.startswith("test_principal")}
    assert names(result, "passed") >= ses_checks
    for r in ("us-east-1", "us-west-2"):  # us-west-2 is in the sandbox, which the environment allows
        assert f"test_sending_is_enabled[{r}]" in ses_checks
        assert f"test_identity_belongs_to_tenant[{r}-glassdome.example]" in ses_checks
        assert f"test_production_access_is_granted[{r}]" not in result.outcomes
    quota = result.evidence["checks"]["checks/test_ses_account.py::test_daily_quota_meets_minimum[us-west-2]"]
    assert quota["facts"]["account"]["max_24_hour_send"] == 200


def test_an_auditor_who_cannot_read_the_account_gets_errors_never_passes(workspace):
    missing = "ses:GetAccount"
    policy = auditor_policy()
    policy["Statement"][0]["Action"] = [a for a in policy["Statement"][0]["Action"] if a != missing]
    workspace.edit("scenarios/demo.yaml", lambda d: d.update(auditor={"inline": {"audit": policy}}))
    result = workspace.verify("demo")
    assert result.exit_code == 1
    account_checks = ACCOUNT_CHECKS - {
        f"test_{n}[{REGION}]"
        for n in ("bounce_rate_is_under_limit", "complaint_rate_is_under_limit", "reputation_alarms_exist")
    }
    assert names(result, "error") == account_checks
    assert names(result, "failed") == set()
    message = result.outcomes[f"test_sending_is_enabled[{REGION}]"].message
    assert f"could not read the SES account of {REGION}: the auditor is not allowed {missing}" in message


# Defects of different account attributes, one check each, share a run where no message names
# another defect's attribute: the sandbox message names the quota and the rate, a pause the
# enforcement status, the usage the quota, and the two rates share the statistics, so those go
# to different runs. Each message was compared with its defect's run alone.
ACCOUNT_A = [SANDBOX, PROBATION, NEARLY_USED_UP, BOUNCY]
ACCOUNT_B = [PAUSED, SLOW_RATE, SMALL_QUOTA, COMPLAINED]


account_a = batch_run("account_a", ACCOUNT_A)


account_b = batch_run("account_b", ACCOUNT_B)
