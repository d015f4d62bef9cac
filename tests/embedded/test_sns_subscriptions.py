"""SNS on the embedded account: a subscription can wait for confirmation, as in AWS."""

from __future__ import annotations

import pytest
from moto_clients import auditor_client, output_shape, shape_errors

TOPICS = {
    "ses-feedback": {
        "subscriptions": [
            {"protocol": "email", "endpoint": "ops@bizassist.example"},
            {"protocol": "email", "endpoint": "oncall@bizassist.example", "confirmed": False},
            {"protocol": "email-json", "endpoint": "audit@bizassist.example", "confirmed": False},
        ]
    },
    "unread": None,
}
ARN = "arn:aws:sns:ap-southeast-1:123456789012:"
READER = {
    "inline": {
        "sns-read": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sns:*", "Resource": "*"}]}
    }
}


def sns_client(embedded):
    return auditor_client(
        embedded({"auditor": READER, "regions": {"ap-southeast-1": {"sns": {"topics": TOPICS}}}}),
        "sns",
        "ap-southeast-1",
    )


def test_pending_subscriptions_are_listed_as_pending_confirmation(embedded):
    sns = sns_client(embedded)
    response = sns.list_subscriptions_by_topic(TopicArn=ARN + "ses-feedback")
    assert shape_errors(response, output_shape("sns", "ListSubscriptionsByTopic")) == []
    found = sorted((s["Endpoint"], s["SubscriptionArn"] == "PendingConfirmation") for s in response["Subscriptions"])
    assert found == [
        ("audit@bizassist.example", True),
        ("oncall@bizassist.example", True),
        ("ops@bizassist.example", False),
    ]
    confirmed = next(s for s in response["Subscriptions"] if s["Endpoint"] == "ops@bizassist.example")
    assert confirmed["SubscriptionArn"].startswith(ARN + "ses-feedback:")
    assert sns.list_subscriptions_by_topic(TopicArn=ARN + "unread")["Subscriptions"] == []


def test_subscription_attributes_say_pending(embedded):
    from moto.sns.models import sns_backends

    sns = sns_client(embedded)
    backend = sns_backends["123456789012"]["ap-southeast-1"]
    pending = next(arn for arn, s in backend.subscriptions.items() if s.endpoint == "oncall@bizassist.example")
    attributes = sns.get_subscription_attributes(SubscriptionArn=pending)["Attributes"]
    assert attributes["PendingConfirmation"] == "true"
    assert attributes["ConfirmationWasAuthenticated"] == "false"


def test_a_missing_topic_is_not_found(embedded):
    sns = sns_client(embedded)
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.list_subscriptions_by_topic(TopicArn=ARN + "nowhere")
