"""SES account, per region: out of the sandbox, sending, healthy, with the quota the service
needs, and a reputation SES will not act on.

Sandbox status, quotas and reputation are regional in SES: every check runs once per region.
"""

import pytest


@pytest.mark.golive(gate="production-access", severity="critical")
def test_production_access_is_granted(ses_production_access):
    """The SES account is out of the sandbox in the region (where the environment requires it).

    Risk: in the sandbox SES delivers only to verified addresses, at most 200 messages a day
    and 1 a second: real customers never get their mail.
    Fix: request production access for the region (SES console, Account dashboard, Request
    production access); sandbox status is per region.
    """
    assert ses_production_access.production_access, ses_production_access.explain_sandbox()


@pytest.mark.golive(gate="production-access", severity="critical")
def test_sending_is_enabled(ses_account):
    """Email sending is enabled for the SES account in the region.

    Risk: every send fails while sending is paused, by hand or by SES.
    Fix: resume sending (aws sesv2 put-account-sending-attributes --sending-enabled), or, if
    SES paused it, resolve the reputation case first.
    """
    assert ses_account.sending_enabled, ses_account.explain_paused_sending()


@pytest.mark.golive(gate="reputation", severity="critical")
def test_enforcement_status_is_healthy(ses_account):
    """SES's enforcement status for the account in the region is HEALTHY (not under review, probation or shutdown).

    Risk: an account under review is one step from having its sending paused.
    Fix: fix the cause SES names on the Reputation metrics page (bounces, complaints, list
    hygiene) and answer AWS's case.
    """
    assert ses_account.healthy, ses_account.explain_enforcement()


@pytest.mark.golive(gate="quotas", severity="high")
def test_daily_quota_meets_minimum(ses_account, ses_limits):
    """The account's 24-hour sending quota in the region is at least the configured minimum.

    Risk: SES rejects every message past the quota (Daily message quota exceeded).
    Fix: request a sending quota increase for the region (Service Quotas, Amazon SES).
    """
    minimum = ses_limits.min_max_24_hour_send
    assert ses_account.meets_daily_quota(minimum), ses_account.explain_daily_quota(minimum)


@pytest.mark.golive(gate="quotas", severity="high")
def test_send_rate_meets_minimum(ses_account, ses_limits):
    """The account's maximum send rate in the region is at least the configured minimum.

    Risk: bursts above the rate are throttled (Maximum sending rate exceeded) and mail is late or lost.
    Fix: request a sending rate increase for the region (Service Quotas, Amazon SES).
    """
    minimum = ses_limits.min_max_send_rate
    assert ses_account.max_send_rate >= minimum, ses_account.explain_send_rate(minimum)


@pytest.mark.golive(gate="quotas", severity="high")
def test_quota_usage_is_under_limit(ses_account, ses_limits):
    """What the account sent in the last 24 hours is under the configured share of its daily quota.

    Risk: near the quota, the next peak is rejected (Daily message quota exceeded).
    Fix: raise the daily quota before it runs out, or find what sends more than expected.
    """
    limit = ses_limits.max_utilization
    assert ses_account.utilization < limit, ses_account.explain_usage(limit)


@pytest.mark.golive(gate="reputation", severity="high")
def test_bounce_rate_is_under_limit(ses_send_statistics, ses_limits):
    """The bounce rate over the statistics window (the last two weeks) is under the configured limit.

    Risk: SES puts the account under review at a 5% bounce rate and may pause sending at 10%.
    Fix: stop sending to addresses that bounce (use the bounce notifications and the
    suppression list), and validate addresses where they are collected.
    """
    limit = ses_limits.max_bounce_rate
    assert ses_send_statistics.bounce_rate < limit, ses_send_statistics.explain_bounce_rate(limit)


@pytest.mark.golive(gate="reputation", severity="high")
def test_complaint_rate_is_under_limit(ses_send_statistics, ses_limits):
    """The complaint rate over the statistics window (the last two weeks) is under the configured limit.

    Risk: SES puts the account under review at a 0.1% complaint rate and may pause sending at 0.5%.
    Fix: stop sending to recipients who complained, and send only mail they asked for.
    """
    limit = ses_limits.max_complaint_rate
    assert ses_send_statistics.complaint_rate < limit, ses_send_statistics.explain_complaint_rate(limit)


@pytest.mark.golive(gate="reputation", severity="advisory")
def test_reputation_alarms_exist(ses_reputation_alarms):
    """CloudWatch alarms watch SES's bounce and complaint rates and tell someone before SES acts.

    Risk: nobody hears of a rising bounce or complaint rate until SES reviews or pauses the account.
    Fix: create alarms on AWS/SES Reputation.BounceRate and Reputation.ComplaintRate at the
    configured limits, with an SNS action.
    """
    assert not ses_reputation_alarms.unwatched, ses_reputation_alarms.explain()
