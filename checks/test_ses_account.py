"""SES account, per region: out of the sandbox, sending, healthy, with the quota the service
needs, and a reputation SES will not act on.

Sandbox status, quotas and reputation are regional in SES: every check runs once per region.
"""

import pytest

ENFORCEMENT = {
    "PROBATION": "under review (PROBATION): SES put the account on probation over its reputation, "
    "and pauses sending if the cause is not fixed",
    "SHUTDOWN": "shut down (SHUTDOWN): SES has paused the account's sending",
}


@pytest.mark.golive(gate="production-access", severity="critical")
def test_production_access_is_granted(ses_production_access):
    """The SES account is out of the sandbox in the region (where the environment requires it).

    Risk: in the sandbox SES delivers only to verified addresses, at most 200 messages a day
    and 1 a second: real customers never get their mail.
    Fix: request production access for the region (SES console, Account dashboard, Request
    production access); sandbox status is per region.
    """
    a = ses_production_access
    review = f"; the production-access request is {a.review_status}" if a.review_status else ""
    assert a.production_access, (
        f"The SES account is in the sandbox in {a.region} (ProductionAccessEnabled: false{review}): it can send "
        f"only to verified identities, at most {a.max_24_hour_send:g} messages a day and {a.max_send_rate:g} a second.\n"
        f"Fix: request production access for {a.region}: SES console > Account dashboard > Request production access "
        f"(or `aws sesv2 put-account-details --region {a.region} --production-access-enabled --mail-type TRANSACTIONAL "
        "--website-url ... --use-case-description ...`); approval usually takes a day. Sandbox status is per region."
    )


@pytest.mark.golive(gate="production-access", severity="critical")
def test_sending_is_enabled(ses_account):
    """Email sending is enabled for the SES account in the region.

    Risk: every send fails while sending is paused, by hand or by SES.
    Fix: resume sending (aws sesv2 put-account-sending-attributes --sending-enabled), or, if
    SES paused it, resolve the reputation case first.
    """
    a = ses_account
    assert a.sending_enabled, (
        f"Sending is paused for the SES account in {a.region} (SendingEnabled: false; enforcement status "
        f"{a.enforcement_status}): every send is rejected.\n"
        f"Fix: if someone paused it, resume with `aws sesv2 put-account-sending-attributes --sending-enabled "
        f"--region {a.region}`; if SES paused it (enforcement status SHUTDOWN), fix the cause shown on the SES "
        "console's Reputation metrics page and answer AWS's case first."
    )


@pytest.mark.golive(gate="reputation", severity="critical")
def test_enforcement_status_is_healthy(ses_account):
    """SES's enforcement status for the account in the region is HEALTHY (not under review, probation or shutdown).

    Risk: an account under review is one step from having its sending paused.
    Fix: fix the cause SES names on the Reputation metrics page (bounces, complaints, list
    hygiene) and answer AWS's case.
    """
    a = ses_account
    status = a.enforcement_status
    found = ENFORCEMENT.get(status or "", f"{status or 'not reported'}, not HEALTHY")
    assert status == "HEALTHY", (
        f"The SES account in {a.region} is {found}.\n"
        f"Fix: open the SES console's Reputation metrics page for {a.region}, fix what it names (bounce or complaint "
        "rate, sending to purchased or stale lists), and answer the case AWS opened; golive passes once SES reports "
        "HEALTHY again."
    )


@pytest.mark.golive(gate="quotas", severity="high")
def test_daily_quota_meets_minimum(ses_account, ses_limits):
    """The account's 24-hour sending quota in the region is at least the configured minimum.

    Risk: SES rejects every message past the quota (Daily message quota exceeded).
    Fix: request a sending quota increase for the region (Service Quotas, Amazon SES).
    """
    a, minimum = ses_account, ses_limits.min_max_24_hour_send
    assert a.unlimited or a.max_24_hour_send >= minimum, (
        f"The SES daily quota in {a.region} is {a.max_24_hour_send:g} messages (Max24HourSend), below the "
        f"{minimum:g} this environment needs (ses.quota.min_max_24_hour_send).\n"
        f"Fix: request an increase of 'Sending quota' for Amazon SES in {a.region} (Service Quotas console, or an SES "
        "sending limits case); in the sandbox, request production access first."
    )


@pytest.mark.golive(gate="quotas", severity="high")
def test_send_rate_meets_minimum(ses_account, ses_limits):
    """The account's maximum send rate in the region is at least the configured minimum.

    Risk: bursts above the rate are throttled (Maximum sending rate exceeded) and mail is late or lost.
    Fix: request a sending rate increase for the region (Service Quotas, Amazon SES).
    """
    a, minimum = ses_account, ses_limits.min_max_send_rate
    assert a.max_send_rate >= minimum, (
        f"The SES send rate in {a.region} is {a.max_send_rate:g} messages a second (MaxSendRate), below the "
        f"{minimum:g} this environment needs (ses.quota.min_max_send_rate).\n"
        f"Fix: request an increase of 'Sending rate' for Amazon SES in {a.region} (Service Quotas console, or an SES "
        "sending limits case); in the sandbox, request production access first."
    )


@pytest.mark.golive(gate="quotas", severity="high")
def test_quota_usage_is_under_limit(ses_account, ses_limits):
    """What the account sent in the last 24 hours is under the configured share of its daily quota.

    Risk: near the quota, the next peak is rejected (Daily message quota exceeded).
    Fix: raise the daily quota before it runs out, or find what sends more than expected.
    """
    a, limit = ses_account, ses_limits.max_utilization
    assert a.utilization < limit, (
        f"The SES account in {a.region} sent {a.sent_last_24_hours:g} messages in the last 24 hours, "
        f"{a.utilization:.1%} of its daily quota of {a.max_24_hour_send:g}; the limit is {limit:.0%} "
        "(ses.quota.max_utilization).\n"
        f"Fix: request a higher 'Sending quota' for Amazon SES in {a.region} before the quota runs out, or find what "
        "is sending more than expected (SES rejects every send past the quota)."
    )


@pytest.mark.golive(gate="reputation", severity="high")
def test_bounce_rate_is_under_limit(ses_send_statistics, ses_limits):
    """The bounce rate over the statistics window (the last two weeks) is under the configured limit.

    Risk: SES puts the account under review at a 5% bounce rate and may pause sending at 10%.
    Fix: stop sending to addresses that bounce (use the bounce notifications and the
    suppression list), and validate addresses where they are collected.
    """
    s, limit = ses_send_statistics, ses_limits.max_bounce_rate
    assert s.bounce_rate < limit, (
        f"The SES bounce rate in {s.region} is {s.bounce_rate:.2%}: {s.bounces} bounces of {s.window()}; the limit "
        f"is {limit:.2%} (ses.reputation.max_bounce_rate). SES puts an account under review at 5% and may pause it "
        "at 10%.\n"
        "Fix: stop sending to addresses that bounced (act on the bounce notifications; keep the account-level "
        "suppression list on for BOUNCE), remove stale or purchased addresses, and validate addresses at sign-up."
    )


@pytest.mark.golive(gate="reputation", severity="high")
def test_complaint_rate_is_under_limit(ses_send_statistics, ses_limits):
    """The complaint rate over the statistics window (the last two weeks) is under the configured limit.

    Risk: SES puts the account under review at a 0.1% complaint rate and may pause sending at 0.5%.
    Fix: stop sending to recipients who complained, and send only mail they asked for.
    """
    s, limit = ses_send_statistics, ses_limits.max_complaint_rate
    assert s.complaint_rate < limit, (
        f"The SES complaint rate in {s.region} is {s.complaint_rate:.3%}: {s.complaints} complaints of {s.window()}; "
        f"the limit is {limit:.3%} (ses.reputation.max_complaint_rate). SES puts an account under review at 0.1% and "
        "may pause it at 0.5%.\n"
        "Fix: stop sending to recipients who complained (act on the complaint notifications; keep the suppression "
        "list on for COMPLAINT), send only mail recipients asked for, and make unsubscribing easy."
    )


@pytest.mark.golive(gate="reputation", severity="advisory")
def test_reputation_alarms_exist(ses_reputation_alarms):
    """CloudWatch alarms watch SES's bounce and complaint rates and tell someone before SES acts.

    Risk: nobody hears of a rising bounce or complaint rate until SES reviews or pauses the account.
    Fix: create alarms on AWS/SES Reputation.BounceRate and Reputation.ComplaintRate at the
    configured limits, with an SNS action.
    """
    alarms = ses_reputation_alarms
    commands = "\n".join(
        f"  aws cloudwatch put-metric-alarm --region {alarms.region} --alarm-name ses-{m.split('.')[1].lower()} "
        f"--namespace AWS/SES --metric-name {m} --statistic Average --period 3600 --evaluation-periods 1 "
        f"--threshold {alarms.limits[m]:g} --comparison-operator GreaterThanOrEqualToThreshold "
        "--alarm-actions <your SNS topic ARN>"
        for m in alarms.unwatched
    )
    found = "; ".join(f"{m}: {alarms.found(m)}" for m in alarms.unwatched)
    assert not alarms.unwatched, (
        f"No CloudWatch alarm in {alarms.region} warns at the configured limit of {', '.join(alarms.unwatched)} "
        f"(an alarm needs an enabled action and a threshold at or below the limit; found {found}).\n"
        f"Fix: create the alarms, for example:\n{commands}"
    )
