"""A scenario's topics and subscriptions, configuration sets and their event destinations,
alarms, secrets, log groups and queues are written straight to moto's backends (the HTTP round
trips and the seeding clients were about 0.1 s of a demo): each so seeded must read back, through
the APIs, exactly as one created through them."""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any

import boto3
import pytest
import requests
from moto.sns.models import sns_backends

from golive.config import ConfigError
from golive.embedded.sns import set_pending

SEEDED = "us-west-2"  # by the scenario, straight into the backends
BY_API = "eu-west-1"  # by this test, over HTTP, as the APIs create them
ACCOUNT = "123456789012"
SUBSCRIPTIONS = [
    {"protocol": "email", "endpoint": "ops@ok.example"},
    {"protocol": "sqs", "endpoint": "arn:aws:sqs:{region}:123456789012:golive-feedback"},
    {"protocol": "email", "endpoint": "late@ok.example", "confirmed": False},
]
SETS = {
    "main": {
        "reputation_metrics": True,
        "event_destinations": {
            "to-sns": {"events": ["BOUNCE", "COMPLAINT"], "sns": "feedback"},
            "metrics": {"events": ["SEND", "DELIVERY"], "cloudwatch": True},
            "bus": {"events": ["REJECT"], "eventbridge": True, "enabled": False},
        },
    },
    "plain": None,
}
ALARMS = {
    "bounce": {"metric": "Reputation.BounceRate", "threshold": 0.05, "actions": ["feedback"]},
    "off": {
        "metric": "Reputation.ComplaintRate",
        "threshold": 1,
        "comparison": "GreaterThanThreshold",
        "enabled": False,
    },
}
SECRETS = {"db": {"suffix": "AbCdEf", "rotation_days": 30}, "old": {"suffix": "GhIjKl", "deleted": True}}
GROUPS = {"/svc/api": {"retention_days": 30}, "/svc/forever": None}
# what differs between any two creations: when, and the ids AWS picks
VOLATILE = {
    "CreatedDate", "LastChangedDate", "LastRotatedDate", "DeletedDate", "NextRotationDate", "VersionIdsToStages",
    "creationTime", "AlarmConfigurationUpdatedTimestamp", "StateUpdatedTimestamp", "StateTransitionedTimestamp",
    "CreatedTimestamp", "LastModifiedTimestamp", "SubscriptionArn", "ResponseMetadata",
}  # fmt: skip


def _region(region: str) -> dict[str, Any]:
    subscriptions = [{**s, "endpoint": s["endpoint"].format(region=region)} for s in SUBSCRIPTIONS]
    return {
        "sns": {"topics": {"feedback": {"subscriptions": subscriptions}, "quiet": None}},
        "ses": {"configuration_sets": SETS},
        "cloudwatch": {"alarms": ALARMS},
        "secretsmanager": {"secrets": SECRETS},
        "logs": {"groups": GROUPS},
        "sqs": {"queues": {"golive-feedback": {}}},
    }


def _client(endpoint: str, service: str, region: str) -> Any:
    return boto3.client(
        service, region_name=region, endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def _create_over_http(endpoint: str, region: str) -> None:
    """The same world as the APIs create it (and the pending subscription, which no API can set)."""
    client = partial(_client, endpoint, region=region)
    sns, sesv2, cloudwatch = client("sns"), client("sesv2"), client("cloudwatch")
    topic = f"arn:aws:sns:{region}:{ACCOUNT}:feedback"
    sns.create_topic(Name="feedback")
    sns.create_topic(Name="quiet")
    for subscription in _region(region)["sns"]["topics"]["feedback"]["subscriptions"]:
        arn = sns.subscribe(
            TopicArn=topic,
            Protocol=subscription["protocol"],
            Endpoint=subscription["endpoint"],
            ReturnSubscriptionArn=True,
        )["SubscriptionArn"]
        if not subscription.get("confirmed", True):
            set_pending(sns_backends[ACCOUNT][region], arn)
    sesv2.create_configuration_set(ConfigurationSetName="main", ReputationOptions={"ReputationMetricsEnabled": True})
    sesv2.create_configuration_set(ConfigurationSetName="plain", ReputationOptions={"ReputationMetricsEnabled": False})
    dimension = {
        "DimensionName": "ses:configuration-set",
        "DimensionValueSource": "MESSAGE_TAG",
        "DefaultDimensionValue": "none",
    }
    for name, destination in {
        "to-sns": {
            "Enabled": True,
            "MatchingEventTypes": ["BOUNCE", "COMPLAINT"],
            "SnsDestination": {"TopicArn": topic},
        },
        "metrics": {
            "Enabled": True,
            "MatchingEventTypes": ["SEND", "DELIVERY"],
            "CloudWatchDestination": {"DimensionConfigurations": [dimension]},
        },
        "bus": {
            "Enabled": False,
            "MatchingEventTypes": ["REJECT"],
            "EventBridgeDestination": {"EventBusArn": f"arn:aws:events:{region}:{ACCOUNT}:event-bus/default"},
        },
    }.items():
        sesv2.create_configuration_set_event_destination(
            ConfigurationSetName="main", EventDestinationName=name, EventDestination=destination
        )
    for name, alarm in ALARMS.items():
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            Namespace="AWS/SES",
            MetricName=alarm["metric"],
            Statistic="Average",
            Period=3600,
            EvaluationPeriods=1,
            Threshold=alarm["threshold"],
            ComparisonOperator=alarm.get("comparison", "GreaterThanOrEqualToThreshold"),
            ActionsEnabled=alarm.get("enabled", True),
            AlarmActions=[topic for _ in alarm.get("actions", [])],
        )
    secrets = client("secretsmanager")
    for name, spec in SECRETS.items():
        arn = secrets.create_secret(
            Name=name, SecretString="{}", Tags=[{"Key": "_custom_id_", "Value": spec["suffix"]}]
        )["ARN"]
        secrets.untag_resource(SecretId=arn, TagKeys=["_custom_id_"])
        if spec.get("rotation_days"):
            secrets.rotate_secret(
                SecretId=arn, RotationRules={"AutomaticallyAfterDays": spec["rotation_days"]}, RotateImmediately=False
            )
        if spec.get("deleted"):
            secrets.delete_secret(SecretId=arn, RecoveryWindowInDays=7)
    logs = client("logs")
    for name, group in GROUPS.items():
        logs.create_log_group(logGroupName=name)
        if group:
            logs.put_retention_policy(logGroupName=name, retentionInDays=group["retention_days"])
    client("sqs").create_queue(QueueName="golive-feedback")


def _reads(endpoint: str, region: str) -> dict[str, Any]:
    """Everything the APIs answer about that world, the region's name and what is volatile taken out."""
    client = partial(_client, endpoint, region=region)
    sns, sesv2, secrets, sqs = client("sns"), client("sesv2"), client("secretsmanager"), client("sqs")
    topics = sorted(t["TopicArn"] for t in sns.list_topics()["Topics"])
    answers: dict[str, Any] = {"topics": topics}
    for topic in topics:
        answers[f"attributes {topic}"] = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
        listed = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        answers[f"subscriptions {topic}"] = listed
        answers[f"pending {topic}"] = sorted(s["SubscriptionArn"] == "PendingConfirmation" for s in listed)
        answers[f"subscription attributes {topic}"] = sorted(
            (
                sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
                for arn in sns_backends[ACCOUNT][region].subscriptions
                if arn.startswith(topic)
            ),
            key=lambda a: a["Endpoint"],
        )
    for name in SETS:
        answers[f"set {name}"] = sesv2.get_configuration_set(ConfigurationSetName=name)
        answers[f"destinations {name}"] = sesv2.get_configuration_set_event_destinations(ConfigurationSetName=name)
    answers["alarms"] = client("cloudwatch").describe_alarms()["MetricAlarms"]
    answers["secrets"] = {name: secrets.describe_secret(SecretId=name) for name in SECRETS}
    answers["log groups"] = client("logs").describe_log_groups()["logGroups"]
    answers["queues"] = {
        url: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        for url in sqs.list_queues()["QueueUrls"]
    }
    return json.loads(re.sub(region, "REGION", json.dumps(_stable(answers), default=str)))


def _stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "volatile" if k in VOLATILE else _stable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def test_a_directly_seeded_world_reads_back_as_one_created_through_the_apis(embedded):
    account = embedded({"regions": {SEEDED: _region(SEEDED)}})
    # moto's auth is switched on once the account starts: off again for this test's own writes and reads
    requests.post(f"{account.endpoint_url}/moto-api/reset-auth", data=b"inf", timeout=10).raise_for_status()
    _create_over_http(account.endpoint_url, BY_API)
    seeded, by_api = _reads(account.endpoint_url, SEEDED), _reads(account.endpoint_url, BY_API)
    assert seeded == by_api
    # the same, and not the same emptiness: what the scenario set is in the answers
    assert seeded["pending arn:aws:sns:REGION:123456789012:feedback"] == [False, False, True]
    assert len(seeded["destinations main"]["EventDestinations"]) == 3
    assert seeded["set main"]["ReputationOptions"]["ReputationMetricsEnabled"] is True
    assert [(a["AlarmName"], a["ActionsEnabled"], a["Threshold"]) for a in seeded["alarms"]] == [
        ("bounce", True, 0.05),
        ("off", False, 1.0),
    ]
    assert seeded["secrets"]["db"]["ARN"].endswith(":secret:db-AbCdEf") and "DeletedDate" in seeded["secrets"]["old"]
    assert {g["logGroupName"]: g.get("retentionInDays") for g in seeded["log groups"]} == {
        "/svc/api": 30,
        "/svc/forever": None,
    }
    assert [q["QueueArn"] for q in seeded["queues"].values()] == ["arn:aws:sqs:REGION:123456789012:golive-feedback"]


@pytest.mark.parametrize(
    ("spec", "key", "said"),
    [
        ({"sns": {"topics": {"bad name": None}}}, "sns.topics.bad name", "InvalidParameter: Topic names must"),
        (
            {"ses": {"configuration_sets": {"main": {"event_destinations": {"d": {"events": ["SEND"]}}}}}},
            "ses.configuration_sets.main",
            "BadRequestException: An event destination needs exactly one of",
        ),
        (
            {"logs": {"groups": {"/g": {"retention_days": 30}, "x" * 513: None}}},
            "logs.groups." + "x" * 513,
            "InvalidParameterException: 1 validation error detected",
        ),
    ],
)
def test_what_a_backend_refuses_names_its_key(embedded, spec, key, said):
    with pytest.raises(ConfigError) as refused:
        embedded({"regions": {SEEDED: spec}})
    assert f"key 'regions.{SEEDED}.{key}': the embedded account refused it (" in str(refused.value)
    assert said in str(refused.value)
