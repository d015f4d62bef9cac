"""Facts that combine several SES answers: a sender, placeholders, a tenancy, where bounce
and complaint events go, the SNS topics they go to, and a MAIL FROM domain.

Each is what one check reads, and says what is wrong with it and how to fix it;
golive/ses/inventory.py builds them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from golive.ses.facts import ConfigurationSet, Identity, Topic, create_identity, status_name
from golive.ses.naming import SES_SPF_DOMAIN, feedback_endpoint

VIA = {
    "sns": "the identity's SNS notification topics",
    "event-destination": "event destinations of the configuration set in use",
    "any": "the identity's SNS notification topics or event destinations of the configuration set in use",
}
# what SES does with the identity's mail while its MAIL FROM domain does not verify
MX_FAILURE = {
    "UseDefaultValue": f"SES sends with its own MAIL FROM ({SES_SPF_DOMAIN}) meanwhile, so SPF does not align with "
    "the From domain under DMARC",
    "RejectMessage": "SES rejects every send from the identity meanwhile (MailFromDomainNotVerified)",
}


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

    def explain(self) -> str:
        domain = self.domain_identity.name
        return (
            f"The sender {self.address} cannot send in {self.region}: neither it nor its domain is a verified "
            f"identity ({self.found()}).\n"
            f"Fix: verify the domain {domain} in {self.region} ({create_identity(domain, self.region)} and publish "
            f"its records), or the address itself ({create_identity(self.address, self.region)}, then click the "
            "link SES mails to it)."
        )

    def evidence(self) -> dict[str, Any]:
        return {
            "from_address": self.address,
            "region": self.region,
            "address_identity": self.address_identity.evidence(),
            "domain_identity": self.domain_identity.evidence(),
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

    def explain(self) -> str:
        found = "\n".join(f"  {name} (matches the pattern {pattern})" for name, pattern in self.found)
        commands = "\n".join(
            f"  aws sesv2 delete-email-identity --email-identity {name} --region {self.region}"
            for name, _ in self.found
        )
        return (
            f"{len(self.found)} test or placeholder identit{'y' if len(self.found) == 1 else 'ies'} in {self.region} "
            f"(of {self.examined} identities):\n{found}\n"
            f"Fix: delete them before go-live:\n{commands}\n"
            "If one of them is real, change ses.placeholder_patterns in the config so that it no longer matches."
        )

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

    def explain(self) -> str:
        found = f"tenants {', '.join(self.tenants)}" if self.tenants else "no tenant"
        t, r = self.tenant, self.region
        return (
            f"The identity {self.identity} in {r} is associated with {found}, not with tenant {t!r} "
            f"({self.identity_arn}).\n"
            f"Fix: `aws sesv2 create-tenant-resource-association --tenant-name {t} --resource-arn {self.identity_arn} "
            f"--region {r}` (first `aws sesv2 create-tenant --tenant-name {t} --region {r}` if the tenant does not "
            "exist there); tenants are regional."
        )

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

    def explain(self) -> str:
        name, region = self.identity.name, self.region
        configuration_set = self.configuration_set.name if self.configuration_set else "<configuration set>"
        destination = json.dumps(
            {"Enabled": True, "MatchingEventTypes": self.missing, "SnsDestination": {"TopicArn": "<topic ARN>"}}
        )
        topic_commands = "\n".join(
            f"  aws ses set-identity-notification-topic --identity {name} --notification-type {e.capitalize()} "
            f"--sns-topic <topic ARN> --region {region}"
            for e in self.missing
        )
        return (
            f"{' and '.join(self.missing)} events of {name} in {region} reach no destination (accepted: "
            f"{VIA[self.via]}):\n{self.found()}\n"
            f"Fix: set the identity's topics:\n{topic_commands}\n"
            f"or add an event destination to {configuration_set}: `aws sesv2 create-configuration-set-event-destination "
            f"--configuration-set-name {configuration_set} --event-destination-name feedback --event-destination "
            f"'{destination}' --region {region}`."
        )

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

    def explain(self) -> str:
        problems = "\n".join(f"  {p}" for p in self.problems)
        return (
            f"SES notifications in {self.region} go to SNS topics nobody reads:\n{problems}\n"
            f"Fix: create each missing topic (`aws sns create-topic --name <name> --region {self.region}`) and "
            f"subscribe a reader (`aws sns subscribe --topic-arn <arn> --protocol sqs --notification-endpoint <queue "
            f"ARN> --region {self.region}`); an email subscription counts once its owner clicks the confirmation link."
        )

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

    def explain(self) -> str:
        i, expected = self.identity, self.expected
        if not i.exists:
            return i.explain_absent()
        records = (
            f"publish `{expected} MX 10 {feedback_endpoint(self.region)}` and "
            f'`{expected} TXT "v=spf1 include:{SES_SPF_DOMAIN} ~all"`'
        )
        if i.mail_from_domain != expected:
            return (
                f"The custom MAIL FROM domain of {i.name} in {i.region} is {i.mail_from_domain or 'not set'}, "
                f"expected {expected}.\nFix: `aws ses set-identity-mail-from-domain --identity {i.name} "
                f"--mail-from-domain {expected} --behavior-on-mx-failure RejectMessage --region {self.region}`, and "
                f"{records}."
            )
        behaviour = MX_FAILURE.get(i.behavior_on_mx_failure or "", f"BehaviorOnMXFailure is {i.behavior_on_mx_failure}")
        return (
            f"The custom MAIL FROM domain {expected} of {i.name} in {i.region} is "
            f"{status_name(i.mail_from_status)}, expected Success (SUCCESS). On MX failure the identity is set to "
            f"{i.behavior_on_mx_failure}: {behaviour}.\n"
            f"Fix: {records} (exactly one MX record), and wait for SES to detect them (up to 72 hours); after Failed, "
            "set the MAIL FROM domain again to restart the check."
        )
