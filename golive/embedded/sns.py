"""SNS for moto: subscriptions that wait for confirmation.

moto confirms every subscription at once. A subscription marked pending here reports
`PendingConfirmation` as AWS does: in GetSubscriptionAttributes, and as the literal
SubscriptionArn "PendingConfirmation" in ListSubscriptionsByTopic.
"""

from __future__ import annotations

from moto.core.responses import ActionResult
from moto.sns.models import SNSBackend, Subscription
from moto.sns.responses import SNSResponse

PENDING = "PendingConfirmation"


def is_pending(subscription: Subscription) -> bool:
    return subscription.attributes.get(PENDING) == "true"


def set_pending(backend: SNSBackend, subscription_arn: str) -> None:
    """Seed a subscription whose endpoint has not confirmed it (the API cannot unconfirm one)."""
    subscription = backend.subscriptions[subscription_arn]
    subscription.confirmed = False
    subscription.attributes.update({PENDING: "true", "ConfirmationWasAuthenticated": "false"})


def list_subscriptions_by_topic(self: SNSResponse) -> ActionResult:
    subscriptions, next_token = self.backend.list_subscriptions_by_topic(
        self._get_param("TopicArn"), next_token=self._get_param("NextToken")
    )
    listed = [
        {
            "SubscriptionArn": PENDING if is_pending(s) else s.arn,
            "Owner": s.owner,
            "Protocol": s.protocol,
            "Endpoint": s.endpoint,
            "TopicArn": s.topic_arn,
        }
        for s in subscriptions
    ]
    return ActionResult({"Subscriptions": listed, "NextToken": next_token})


def install() -> None:
    SNSResponse.list_subscriptions_by_topic = list_subscriptions_by_topic
