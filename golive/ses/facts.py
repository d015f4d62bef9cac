"""SES facts as SES reports them: small frozen records, each built from one API answer.

golive/ses/inventory.py reads them; the checks' fixtures hand them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# the v2 spelling of each v1 status, for messages that name both
V2_STATUS = {
    "Success": "SUCCESS",
    "Pending": "PENDING",
    "Failed": "FAILED",
    "TemporaryFailure": "TEMPORARY_FAILURE",
    "NotStarted": "NOT_STARTED",
}
REPUTATION_METRICS = ("Reputation.BounceRate", "Reputation.ComplaintRate")


def status_name(v1: str | None) -> str:
    """'Pending (PENDING)': the v1 value the API gave, and the v2 spelling the console and docs use."""
    if v1 is None:
        return "not reported"
    return f"{v1} ({V2_STATUS[v1]})" if v1 in V2_STATUS else v1


@dataclass(frozen=True)
class Identity:
    """One SES identity in one region, as SES reports it (v1 spellings: Success, Pending, ...)."""

    name: str
    region: str
    exists: bool
    verification_status: str | None = None
    verification_token: str | None = None
    dkim_enabled: bool = False
    dkim_status: str | None = None
    dkim_tokens: tuple[str, ...] = ()
    mail_from_domain: str | None = None
    mail_from_status: str | None = None
    behavior_on_mx_failure: str | None = None
    bounce_topic: str | None = None
    complaint_topic: str | None = None
    delivery_topic: str | None = None
    forwarding_enabled: bool | None = None

    @property
    def verified(self) -> bool:
        return self.exists and self.verification_status == "Success"

    def topic_for(self, event: str) -> str | None:
        """The SNS topic of an event type (BOUNCE, COMPLAINT, DELIVERY) set on the identity."""
        return {"BOUNCE": self.bounce_topic, "COMPLAINT": self.complaint_topic, "DELIVERY": self.delivery_topic}[event]

    def evidence(self) -> dict[str, Any]:
        if not self.exists:
            return {"identity": self.name, "region": self.region, "exists": False}
        return {
            "identity": self.name,
            "region": self.region,
            "exists": True,
            "verification_status": self.verification_status,
            "dkim_enabled": self.dkim_enabled,
            "dkim_status": self.dkim_status,
            "dkim_tokens": list(self.dkim_tokens),
            "mail_from_domain": self.mail_from_domain,
            "mail_from_status": self.mail_from_status,
            "behavior_on_mx_failure": self.behavior_on_mx_failure,
            "bounce_topic": self.bounce_topic,
            "complaint_topic": self.complaint_topic,
            "delivery_topic": self.delivery_topic,
            "forwarding_enabled": self.forwarding_enabled,
        }


def identity_from(name: str, region: str, a: dict[str, Any]) -> Identity:
    return Identity(
        name=name,
        region=region,
        exists=True,
        verification_status=a.get("VerificationStatus"),
        verification_token=a.get("VerificationToken"),
        dkim_enabled=bool(a.get("DkimEnabled")),
        dkim_status=a.get("DkimVerificationStatus"),
        dkim_tokens=tuple(a.get("DkimTokens", ())),
        mail_from_domain=a.get("MailFromDomain"),
        mail_from_status=a.get("MailFromDomainStatus"),
        behavior_on_mx_failure=a.get("BehaviorOnMXFailure"),
        bounce_topic=a.get("BounceTopic"),
        complaint_topic=a.get("ComplaintTopic"),
        delivery_topic=a.get("DeliveryTopic"),
        forwarding_enabled=a.get("ForwardingEnabled"),
    )


@dataclass(frozen=True)
class Account:
    """A region's SES account (v2 GetAccount): sandbox, sending, enforcement and quota."""

    region: str
    production_access: bool
    sending_enabled: bool
    enforcement_status: str | None
    max_24_hour_send: float
    max_send_rate: float
    sent_last_24_hours: float
    review_status: str | None  # the production-access request: PENDING, GRANTED, DENIED, FAILED

    @property
    def unlimited(self) -> bool:
        return self.max_24_hour_send == -1  # SES's spelling of "no daily limit"

    @property
    def utilization(self) -> float:
        if self.unlimited or self.max_24_hour_send <= 0:
            return 0.0 if self.unlimited else 1.0
        return self.sent_last_24_hours / self.max_24_hour_send

    def evidence(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "production_access_enabled": self.production_access,
            "production_access_review": self.review_status,
            "sending_enabled": self.sending_enabled,
            "enforcement_status": self.enforcement_status,
            "max_24_hour_send": self.max_24_hour_send,
            "max_send_rate": self.max_send_rate,
            "sent_last_24_hours": self.sent_last_24_hours,
            "utilization": round(self.utilization, 4),
        }


def account_from(region: str, a: dict[str, Any]) -> Account:
    quota = a.get("SendQuota") or {}
    return Account(
        region=region,
        production_access=bool(a.get("ProductionAccessEnabled")),
        sending_enabled=bool(a.get("SendingEnabled")),
        enforcement_status=a.get("EnforcementStatus"),
        max_24_hour_send=float(quota.get("Max24HourSend", 0)),
        max_send_rate=float(quota.get("MaxSendRate", 0)),
        sent_last_24_hours=float(quota.get("SentLast24Hours", 0)),
        review_status=((a.get("Details") or {}).get("ReviewDetails") or {}).get("Status"),
    )


@dataclass(frozen=True)
class SendStatistics:
    """GetSendStatistics summed over what it returns: the last two weeks, in 15-minute points."""

    region: str
    points: int
    delivery_attempts: int
    bounces: int
    complaints: int
    rejects: int
    since: str | None
    until: str | None

    @property
    def bounce_rate(self) -> float:
        return self.bounces / self.delivery_attempts if self.delivery_attempts else 0.0

    @property
    def complaint_rate(self) -> float:
        return self.complaints / self.delivery_attempts if self.delivery_attempts else 0.0

    def window(self) -> str:
        if not self.points:
            return "no sending in the statistics window (the last two weeks)"
        return (
            f"{self.delivery_attempts} delivery attempts in {self.points} data points from {self.since} to {self.until}"
        )

    def evidence(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "data_points": self.points,
            "window": [self.since, self.until],
            "delivery_attempts": self.delivery_attempts,
            "bounces": self.bounces,
            "complaints": self.complaints,
            "rejects": self.rejects,
            "bounce_rate": round(self.bounce_rate, 6),
            "complaint_rate": round(self.complaint_rate, 6),
        }


def statistics_from(region: str, points: list[dict[str, Any]]) -> SendStatistics:
    stamps = sorted(p["Timestamp"] for p in points)  # the API promises no order
    return SendStatistics(
        region=region,
        points=len(points),
        delivery_attempts=sum(p.get("DeliveryAttempts", 0) for p in points),
        bounces=sum(p.get("Bounces", 0) for p in points),
        complaints=sum(p.get("Complaints", 0) for p in points),
        rejects=sum(p.get("Rejects", 0) for p in points),
        since=stamps[0].isoformat() if stamps else None,
        until=stamps[-1].isoformat() if stamps else None,
    )


@dataclass(frozen=True)
class Alarm:
    """A CloudWatch metric alarm, with every metric it watches as 'Namespace:MetricName'."""

    name: str
    metrics: tuple[str, ...]
    comparison: str | None
    threshold: float | None
    actions_enabled: bool
    actions: tuple[str, ...]
    state: str | None

    def fires_at_or_below(self, limit: float) -> bool:
        """Alarms when the rate rises to `limit` or sooner, and tells someone."""
        rising = self.comparison in ("GreaterThanThreshold", "GreaterThanOrEqualToThreshold")
        return (
            self.actions_enabled
            and bool(self.actions)
            and rising
            and self.threshold is not None
            and self.threshold <= limit
        )

    def describe(self) -> str:
        actions = ", ".join(self.actions) if self.actions else "no actions"
        enabled = "" if self.actions_enabled else ", actions disabled"
        return f"'{self.name}' ({self.comparison} {self.threshold}, {actions}{enabled})"


def alarm_from(a: dict[str, Any]) -> Alarm:
    metrics = []
    if a.get("MetricName"):
        metrics.append(f"{a.get('Namespace')}:{a['MetricName']}")
    for query in a.get("Metrics") or []:  # metric-math alarms name their metrics in queries
        metric = (query.get("MetricStat") or {}).get("Metric") or {}
        if metric.get("MetricName"):
            metrics.append(f"{metric.get('Namespace')}:{metric['MetricName']}")
    return Alarm(
        name=a["AlarmName"],
        metrics=tuple(metrics),
        comparison=a.get("ComparisonOperator"),
        threshold=a.get("Threshold"),
        actions_enabled=bool(a.get("ActionsEnabled", True)),
        actions=tuple(a.get("AlarmActions") or ()),
        state=a.get("StateValue"),
    )


@dataclass(frozen=True)
class EventDestination:
    name: str
    enabled: bool
    events: tuple[str, ...]
    kind: str  # SNS, CloudWatch, Firehose, EventBridge, Pinpoint
    target: str | None  # the topic, stream, bus or application ARN

    def describe(self) -> str:
        target = f" {self.target}" if self.target else ""
        return f"event destination '{self.name}' ({self.kind}{target})"


_KINDS = (
    ("SnsDestination", "SNS", "TopicArn"),
    ("CloudWatchDestination", "CloudWatch", None),
    ("KinesisFirehoseDestination", "Firehose", "DeliveryStreamArn"),
    ("EventBridgeDestination", "EventBridge", "EventBusArn"),
    ("PinpointDestination", "Pinpoint", "ApplicationArn"),
)


def destination_from(d: dict[str, Any]) -> EventDestination:
    kind, target = "unknown", None
    for key, name, arn_key in _KINDS:
        if key in d:
            kind, target = name, d[key].get(arn_key) if arn_key else None
            break
    return EventDestination(
        name=d["Name"],
        enabled=bool(d.get("Enabled")),
        events=tuple(d.get("MatchingEventTypes") or ()),
        kind=kind,
        target=target,
    )


@dataclass(frozen=True)
class ConfigurationSet:
    name: str
    region: str
    exists: bool
    destinations: tuple[EventDestination, ...] = ()

    def evidence(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "region": self.region,
            "exists": self.exists,
            "event_destinations": [
                {"name": d.name, "enabled": d.enabled, "events": list(d.events), "kind": d.kind, "target": d.target}
                for d in self.destinations
            ],
        }


@dataclass(frozen=True)
class Topic:
    """An SNS topic and its subscriptions ('protocol:endpoint'), confirmed or waiting for it."""

    arn: str
    exists: bool
    confirmed: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()

    def problem(self) -> str | None:
        if not self.exists:
            return f"{self.arn} does not exist"
        if not self.confirmed:
            waiting = (
                f" ({len(self.pending)} waiting for confirmation: {', '.join(self.pending)})" if self.pending else ""
            )
            return f"{self.arn} has no confirmed subscription{waiting}"
        return None

    def evidence(self) -> dict[str, Any]:
        return {
            "arn": self.arn,
            "exists": self.exists,
            "confirmed": list(self.confirmed),
            "pending": list(self.pending),
        }
