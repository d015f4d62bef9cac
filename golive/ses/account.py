"""A region's SES account as SES reports it: its state and quota (sesv2 GetAccount), its
sending statistics (GetSendStatistics), and the CloudWatch alarms on its reputation metrics.

Each fact says what is wrong with it and how to fix it: the checks assert a property and
hand over the explanation, so every message is written here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REPUTATION_METRICS = ("Reputation.BounceRate", "Reputation.ComplaintRate")
ENFORCEMENT = {
    "PROBATION": "under review (PROBATION): SES put the account on probation over its reputation, "
    "and pauses sending if the cause is not fixed",
    "SHUTDOWN": "shut down (SHUTDOWN): SES has paused the account's sending",
}


def _quota_increase(quota: str, region: str) -> str:
    return (
        f"request an increase of '{quota}' for Amazon SES in {region} (Service Quotas console, or an SES "
        "sending limits case); in the sandbox, request production access first."
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

    @property
    def healthy(self) -> bool:
        return self.enforcement_status == "HEALTHY"

    def meets_daily_quota(self, minimum: float) -> bool:
        return self.unlimited or self.max_24_hour_send >= minimum

    def explain_sandbox(self) -> str:
        r = self.region
        review = f"; the production-access request is {self.review_status}" if self.review_status else ""
        return (
            f"The SES account is in the sandbox in {r} (ProductionAccessEnabled: false{review}): it can send "
            f"only to verified identities, at most {self.max_24_hour_send:g} messages a day and "
            f"{self.max_send_rate:g} a second.\n"
            f"Fix: request production access for {r}: SES console > Account dashboard > Request production access "
            f"(or `aws sesv2 put-account-details --region {r} --production-access-enabled --mail-type TRANSACTIONAL "
            "--website-url ... --use-case-description ...`); approval usually takes a day. Sandbox status is per region."
        )

    def explain_paused_sending(self) -> str:
        return (
            f"Sending is paused for the SES account in {self.region} (SendingEnabled: false; enforcement status "
            f"{self.enforcement_status}): every send is rejected.\n"
            f"Fix: if someone paused it, resume with `aws sesv2 put-account-sending-attributes --sending-enabled "
            f"--region {self.region}`; if SES paused it (enforcement status SHUTDOWN), fix the cause shown on the SES "
            "console's Reputation metrics page and answer AWS's case first."
        )

    def explain_enforcement(self) -> str:
        status = self.enforcement_status
        found = ENFORCEMENT.get(status or "", f"{status or 'not reported'}, not HEALTHY")
        return (
            f"The SES account in {self.region} is {found}.\n"
            f"Fix: open the SES console's Reputation metrics page for {self.region}, fix what it names (bounce or "
            "complaint rate, sending to purchased or stale lists), and answer the case AWS opened; golive passes once "
            "SES reports HEALTHY again."
        )

    def explain_daily_quota(self, minimum: float) -> str:
        return (
            f"The SES daily quota in {self.region} is {self.max_24_hour_send:g} messages (Max24HourSend), below the "
            f"{minimum:g} this environment needs (ses.quota.min_max_24_hour_send).\n"
            f"Fix: {_quota_increase('Sending quota', self.region)}"
        )

    def explain_send_rate(self, minimum: float) -> str:
        return (
            f"The SES send rate in {self.region} is {self.max_send_rate:g} messages a second (MaxSendRate), below the "
            f"{minimum:g} this environment needs (ses.quota.min_max_send_rate).\n"
            f"Fix: {_quota_increase('Sending rate', self.region)}"
        )

    def explain_usage(self, limit: float) -> str:
        return (
            f"The SES account in {self.region} sent {self.sent_last_24_hours:g} messages in the last 24 hours, "
            f"{self.utilization:.1%} of its daily quota of {self.max_24_hour_send:g}; the limit is {limit:.0%} "
            "(ses.quota.max_utilization).\n"
            f"Fix: request a higher 'Sending quota' for Amazon SES in {self.region} before the quota runs out, or find "
            "what is sending more than expected (SES rejects every send past the quota)."
        )

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

    def explain_bounce_rate(self, limit: float) -> str:
        return (
            f"The SES bounce rate in {self.region} is {self.bounce_rate:.2%}: {self.bounces} bounces of "
            f"{self.window()}; the limit is {limit:.2%} (ses.reputation.max_bounce_rate). SES puts an account under "
            "review at 5% and may pause it at 10%.\n"
            "Fix: stop sending to addresses that bounced (act on the bounce notifications; keep the account-level "
            "suppression list on for BOUNCE), remove stale or purchased addresses, and validate addresses at sign-up."
        )

    def explain_complaint_rate(self, limit: float) -> str:
        return (
            f"The SES complaint rate in {self.region} is {self.complaint_rate:.3%}: {self.complaints} complaints of "
            f"{self.window()}; the limit is {limit:.3%} (ses.reputation.max_complaint_rate). SES puts an account "
            "under review at 0.1% and may pause it at 0.5%.\n"
            "Fix: stop sending to recipients who complained (act on the complaint notifications; keep the "
            "suppression list on for COMPLAINT), send only mail recipients asked for, and make unsubscribing easy."
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
    )


@dataclass(frozen=True)
class ReputationAlarms:
    """For each SES reputation metric, the alarms on it and the limit they should fire at."""

    region: str
    limits: dict[str, float]  # metric -> the configured maximum rate
    alarms: tuple[Alarm, ...]

    def on(self, metric: str) -> list[Alarm]:
        return [a for a in self.alarms if f"AWS/SES:{metric}" in a.metrics]

    @property
    def unwatched(self) -> list[str]:
        """Metrics with no alarm that fires at or below the limit and tells someone."""
        return [m for m in REPUTATION_METRICS if not any(a.fires_at_or_below(self.limits[m]) for a in self.on(m))]

    def found(self, metric: str) -> str:
        alarms = self.on(metric)
        return ", ".join(a.describe() for a in alarms) if alarms else "no alarm"

    def explain(self) -> str:
        commands = "\n".join(
            f"  aws cloudwatch put-metric-alarm --region {self.region} --alarm-name ses-{m.split('.')[1].lower()} "
            f"--namespace AWS/SES --metric-name {m} --statistic Average --period 3600 --evaluation-periods 1 "
            f"--threshold {self.limits[m]:g} --comparison-operator GreaterThanOrEqualToThreshold "
            "--alarm-actions <your SNS topic ARN>"
            for m in self.unwatched
        )
        found = "; ".join(f"{m}: {self.found(m)}" for m in self.unwatched)
        return (
            f"No CloudWatch alarm in {self.region} warns at the configured limit of {', '.join(self.unwatched)} "
            f"(an alarm needs an enabled action and a threshold at or below the limit; found {found}).\n"
            f"Fix: create the alarms, for example:\n{commands}"
        )

    def evidence(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "limits": self.limits,
            "alarms": {m: [a.describe() for a in self.on(m)] for m in REPUTATION_METRICS},
        }
