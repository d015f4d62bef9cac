"""SES notifications, per region: bounce and complaint events reach a destination, every SNS
topic they go to exists and has a confirmed subscriber, and the configured configuration set exists.
"""

import json

import pytest

VIA = {
    "sns": "the identity's SNS notification topics",
    "event-destination": "event destinations of the configuration set in use",
    "any": "the identity's SNS notification topics or event destinations of the configuration set in use",
}


@pytest.mark.golive(gate="notifications", severity="critical")
def test_bounces_and_complaints_reach_a_destination(ses_notification_routes):
    """Each required event type (bounce and complaint by default) of a sending identity reaches a destination.

    Risk: bounces and complaints go unnoticed, the service keeps mailing bad addresses, and SES
    reviews or pauses the account.
    Fix: set SNS topics for bounces and complaints on the identity, or add an enabled event
    destination matching them to the configuration set the service sends with.
    """
    r = ses_notification_routes
    name, region = r.identity.name, r.region
    configuration_set = r.configuration_set.name if r.configuration_set else "<configuration set>"
    destination = json.dumps(
        {"Enabled": True, "MatchingEventTypes": r.missing, "SnsDestination": {"TopicArn": "<topic ARN>"}}
    )
    topic_commands = "\n".join(
        f"  aws ses set-identity-notification-topic --identity {name} --notification-type {e.capitalize()} "
        f"--sns-topic <topic ARN> --region {region}"
        for e in r.missing
    )
    assert not r.missing, (
        f"{' and '.join(r.missing)} events of {name} in {region} reach no destination (accepted: {VIA[r.via]}):\n"
        f"{r.found()}\n"
        f"Fix: set the identity's topics:\n{topic_commands}\n"
        f"or add an event destination to {configuration_set}: `aws sesv2 create-configuration-set-event-destination "
        f"--configuration-set-name {configuration_set} --event-destination-name feedback --event-destination "
        f"'{destination}' --region {region}`."
    )


@pytest.mark.golive(gate="notifications", severity="critical")
def test_notification_topics_are_subscribed(ses_notification_topics):
    """Every SNS topic that receives the region's SES notifications exists and has at least one confirmed subscription.

    Risk: SES publishes bounces and complaints into a topic nobody reads, or into nothing.
    Fix: create the missing topics and subscribe a reader (a queue, a function, or an address
    that confirms the subscription).
    """
    t = ses_notification_topics
    problems = "\n".join(f"  {p}" for p in t.problems)
    assert not t.problems, (
        f"SES notifications in {t.region} go to SNS topics nobody reads:\n{problems}\n"
        f"Fix: create each missing topic (`aws sns create-topic --name <name> --region {t.region}`) and subscribe a "
        f"reader (`aws sns subscribe --topic-arn <arn> --protocol sqs --notification-endpoint <queue ARN> --region "
        f"{t.region}`); an email subscription counts once its owner clicks the confirmation link."
    )


@pytest.mark.golive(gate="notifications", severity="critical")
def test_configuration_set_exists(ses_configuration_set):
    """The configuration set the service sends with exists in the region.

    Risk: SES rejects every send that names a configuration set it does not have
    (ConfigurationSetDoesNotExist), and its event destinations never fire.
    Fix: create the configuration set in the region, with its event destinations.
    """
    c = ses_configuration_set
    assert c.exists, (
        f"The configuration set {c.name} does not exist in {c.region}: SES rejects sends that name it "
        "(ConfigurationSetDoesNotExist).\n"
        f"Fix: `aws sesv2 create-configuration-set --configuration-set-name {c.name} --region {c.region}`, then add "
        "its event destinations for BOUNCE and COMPLAINT; configuration sets are regional."
    )
