"""SES notifications, per region: bounce and complaint events reach a destination, every SNS
topic they go to exists and has a confirmed subscriber, and the configured configuration set
exists and keeps reputation metrics.
"""

import pytest


@pytest.mark.golive(gate="notifications", severity="critical")
def test_bounces_and_complaints_reach_a_destination(ses_notification_routes):
    """Each required event type (bounce and complaint by default) of a sending identity reaches a destination.

    Risk: bounces and complaints go unnoticed, the service keeps mailing bad addresses, and SES
    reviews or pauses the account.
    Fix: set SNS topics for bounces and complaints on the identity, or add an enabled event
    destination matching them to the configuration set the service sends with.
    """
    assert not ses_notification_routes.missing, ses_notification_routes.explain()


@pytest.mark.golive(gate="notifications", severity="critical")
def test_notification_topics_are_subscribed(ses_notification_topics):
    """Every SNS topic that receives the region's SES notifications exists and has at least one confirmed subscription.

    Risk: SES publishes bounces and complaints into a topic nobody reads, or into nothing.
    Fix: create the missing topics and subscribe a reader (a queue, a function, or an address
    that confirms the subscription).
    """
    assert not ses_notification_topics.problems, ses_notification_topics.explain()


@pytest.mark.golive(gate="notifications", severity="critical")
def test_configuration_set_exists(ses_configuration_set):
    """The configuration set the service sends with exists in the region.

    Risk: SES rejects every send that names a configuration set it does not have
    (ConfigurationSetDoesNotExist), and its event destinations never fire.
    Fix: create the configuration set in the region, with its event destinations.
    """
    assert ses_configuration_set.exists, ses_configuration_set.explain()


@pytest.mark.golive(gate="reputation", severity="advisory")
def test_configuration_set_reputation_metrics_are_enabled(ses_reputation_tracking):
    """The configuration set the service sends with has reputation metrics enabled in the region.

    Risk: without them CloudWatch keeps no bounce or complaint rate for the mail sent with the
    set, so a rise this service causes hides in the account-wide rates. Advisory: SES still
    publishes the account's own Reputation.BounceRate and Reputation.ComplaintRate, which the
    reputation alarms watch and which SES's reviews act on. A set that does not exist has
    nothing to judge: test_configuration_set_exists fails for it, and this check passes with
    `exists: false` in its evidence.
    Fix: enable reputation metrics on the set (aws sesv2 put-configuration-set-reputation-options
    --reputation-metrics-enabled).
    """
    assert ses_reputation_tracking.ok, ses_reputation_tracking.explain()
