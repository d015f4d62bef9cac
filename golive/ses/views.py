"""Facts that combine several SES answers: a sender, alarms per metric, placeholders,
a tenancy, where bounce and complaint events go, and the SNS topics they go to.

Each is what one check reads; golive/ses/inventory.py builds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from golive.ses.facts import REPUTATION_METRICS, Alarm, ConfigurationSet, Identity, Topic, status_name


@dataclass(frozen=True)
class Sender:
    """The configured From address: verified as itself, or through its domain."""

    address: str
    region: str
    address_identity: Identity
    domain_identity: Identity

    @property
    def verified(self) -> bool:
        return self.address_identity.verified or self.domain_identity.verified

    def found(self) -> str:
        def one(identity: Identity) -> str:
            state = status_name(identity.verification_status) if identity.exists else "not an identity"
            return f"{identity.name}: {state}"

        return f"{one(self.address_identity)}; {one(self.domain_identity)}"

    def evidence(self) -> dict[str, Any]:
        return {
            "from_address": self.address,
            "region": self.region,
            "address_identity": self.address_identity.evidence(),
            "domain_identity": self.domain_identity.evidence(),
        }


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

    def evidence(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "limits": self.limits,
            "alarms": {m: [a.describe() for a in self.on(m)] for m in REPUTATION_METRICS},
        }


def placeholder_pattern(name: str, patterns: tuple[str, ...]) -> str | None:
    """The first of `patterns` that finds a match in the identity's name, ignoring case."""
    return next((p for p in patterns if re.search(p, name, re.IGNORECASE)), None)


@dataclass(frozen=True)
class Placeholders:
    """The identities of a region whose names match a placeholder pattern."""

    region: str
    patterns: tuple[str, ...]
    examined: int
    found: tuple[tuple[str, str], ...]  # (identity, the pattern it matches)

    def evidence(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "patterns": list(self.patterns),
            "identities_examined": self.examined,
            "placeholders": [{"identity": i, "pattern": p} for i, p in self.found],
        }


@dataclass(frozen=True)
class Tenancy:
    """The tenants an identity is associated with (ListResourceTenants), and the one it should be."""

    region: str
    identity: str
    identity_arn: str
    tenant: str
    tenants: tuple[str, ...]

    @property
    def owned(self) -> bool:
        return self.tenant in self.tenants

    def evidence(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "identity_arn": self.identity_arn,
            "expected_tenant": self.tenant,
            "tenants": list(self.tenants),
        }


@dataclass(frozen=True)
class NotificationRoutes:
    """Where an identity's events go: its own SNS topics, and the configuration set in use."""

    region: str
    identity: Identity
    events: tuple[str, ...]  # the event types that must reach a destination
    via: str  # sns | event-destination | any
    configuration_set: ConfigurationSet | None
    set_source: str | None  # "configured" or "the identity's default"

    def routes(self, event: str) -> list[str]:
        found = []
        topic = self.identity.topic_for(event)
        if topic and self.via in ("sns", "any"):
            found.append(f"identity notification topic {topic}")
        if self.configuration_set is not None and self.via in ("event-destination", "any"):
            for d in self.configuration_set.destinations:
                if d.enabled and event in d.events:
                    found.append(f"{d.describe()} of configuration set {self.configuration_set.name}")
        return found

    @property
    def missing(self) -> list[str]:
        return [event for event in self.events if not self.routes(event)]

    def found(self) -> str:
        topics = {e: self.identity.topic_for(e) for e in ("BOUNCE", "COMPLAINT", "DELIVERY")}
        topics_text = ", ".join(f"{e}: {t}" for e, t in topics.items() if t) or "none"
        lines = [f"identity notification topics: {topics_text}"]
        cs = self.configuration_set
        if cs is None:
            lines.append("configuration set: none configured, and the identity has no default configuration set")
        elif not cs.exists:
            lines.append(f"configuration set {cs.name} ({self.set_source}): does not exist")
        else:
            destinations = "; ".join(
                f"{d.describe()} {'enabled' if d.enabled else 'DISABLED'} for {', '.join(d.events)}"
                for d in cs.destinations
            )
            lines.append(f"configuration set {cs.name} ({self.set_source}): {destinations or 'no event destinations'}")
        return "\n".join(f"  {line}" for line in lines)

    def evidence(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "identity": self.identity.name,
            "identity_exists": self.identity.exists,
            "via": self.via,
            "routes": {event: self.routes(event) for event in self.events},
            "identity_topics": {
                "bounce": self.identity.bounce_topic,
                "complaint": self.identity.complaint_topic,
                "delivery": self.identity.delivery_topic,
            },
            "configuration_set": self.configuration_set.evidence() if self.configuration_set else None,
            "configuration_set_source": self.set_source,
        }


@dataclass(frozen=True)
class NotificationTopics:
    """Every SNS topic the region's notifications name, with who names it."""

    region: str
    topics: tuple[tuple[Topic, tuple[str, ...]], ...]  # (topic, what names it)

    @property
    def problems(self) -> list[str]:
        return [f"{topic.problem()} (named by {', '.join(by)})" for topic, by in self.topics if topic.problem()]

    def evidence(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "topics": [{**topic.evidence(), "named_by": list(by)} for topic, by in self.topics],
        }


@dataclass(frozen=True)
class MailFrom:
    """An identity's custom MAIL FROM domain as SES reports it, and the one the config expects."""

    region: str
    expected: str
    identity: Identity

    @property
    def working(self) -> bool:
        i = self.identity
        return i.exists and i.mail_from_domain == self.expected and i.mail_from_status == "Success"
