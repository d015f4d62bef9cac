"""SES facts as SES reports them: small frozen records, each built from one API answer, that
say what is wrong with them and how to fix it (the account's are in golive/ses/account.py).

golive/ses/inventory.py reads them; the checks' fixtures hand them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from golive.ses.naming import dkim_name, dkim_target, verification_name

# the v2 spelling of each v1 status, for messages that name both
V2_STATUS = {
    "Success": "SUCCESS",
    "Pending": "PENDING",
    "Failed": "FAILED",
    "TemporaryFailure": "TEMPORARY_FAILURE",
    "NotStarted": "NOT_STARTED",
}


def status_name(v1: str | None) -> str:
    """'Pending (PENDING)': the v1 value the API gave, and the v2 spelling the console and docs use."""
    if v1 is None:
        return "not reported"
    return f"{v1} ({V2_STATUS[v1]})" if v1 in V2_STATUS else v1


def create_identity(name: str, region: str) -> str:
    return f"`aws sesv2 create-email-identity --email-identity {name} --region {region}`"


# what to do in each status SES reports (v1 spellings); the placeholders are filled in per identity
VERIFICATION_FIX = {
    "Pending": "SES has not found the verification records yet: publish the three DKIM CNAMEs (or the TXT record "
    "{txt}) and allow up to 72 hours",
    "Failed": "SES stopped looking after 72 hours without finding the records: publish them, then start verification "
    "again ({verify_domain})",
    "TemporaryFailure": "SES could not query the domain's DNS: make sure its nameservers answer; SES retries by itself",
    "NotStarted": "verification was never started: {verify_domain}",
}
DKIM_FIX = {
    "Pending": "SES has not found the DKIM CNAME records yet: publish {records} and allow up to 72 hours",
    "Failed": "SES stopped looking for the DKIM records: publish {records}, then restart DKIM ({verify_dkim})",
    "TemporaryFailure": "SES could not query the domain's DNS for the DKIM records: make sure {records} resolve; SES "
    "retries by itself",
    "NotStarted": "DKIM setup was never started: {verify_dkim}, then publish the three CNAMEs it returns",
}


# SES answers an identity's attributes in four calls; each is its own fact, so an auditor
# without one permission loses only the checks that read those attributes.
ATTRIBUTES = ("verification", "dkim", "mail_from", "notifications")
EVIDENCE_FIELDS = {
    "verification": ("verification_status",),
    "dkim": ("dkim_enabled", "dkim_status", "dkim_tokens"),
    "mail_from": ("mail_from_domain", "mail_from_status", "behavior_on_mx_failure"),
    "notifications": ("bounce_topic", "complaint_topic", "delivery_topic", "forwarding_enabled"),
}


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
    read: tuple[str, ...] = ATTRIBUTES  # the attribute kinds SES was asked for: evidence shows only those

    @property
    def verified(self) -> bool:
        return self.exists and self.verification_status == "Success"

    @property
    def signs_with_dkim(self) -> bool:
        return self.exists and self.dkim_status == "Success" and self.dkim_enabled

    def explain_absent(self) -> str:
        return (
            f"{self.name} is not an SES identity in {self.region} (identities are regional).\n"
            f"Fix: create it there: {create_identity(self.name, self.region)}, then publish the DNS records it returns."
        )

    def explain_unverified(self) -> str:
        if not self.exists:
            return self.explain_absent()
        fix = VERIFICATION_FIX.get(self.verification_status or "", "see the SES console").format(
            txt=verification_name(self.name),
            verify_domain=f"`aws ses verify-domain-identity --domain {self.name} --region {self.region}`",
        )
        return (
            f"The domain identity {self.name} in {self.region} is not verified: its verification status is "
            f"{status_name(self.verification_status)}, expected Success (SUCCESS).\nFix: {fix}."
        )

    def explain_dkim(self) -> str:
        if not self.exists:
            return self.explain_absent()
        if self.dkim_status != "Success":
            records = ", ".join(
                f"{dkim_name(t, self.name)} CNAME {dkim_target(t, self.region)}"
                for t in self.dkim_tokens or ("<token>",)
            )
            fix = DKIM_FIX.get(self.dkim_status or "", "see the SES console").format(
                records=records, verify_dkim=f"`aws ses verify-domain-dkim --domain {self.name} --region {self.region}`"
            )
            return (
                f"DKIM for {self.name} in {self.region} is {status_name(self.dkim_status)}, expected Success "
                f"(SUCCESS).\nFix: {fix}."
            )
        return (
            f"DKIM signing is disabled for {self.name} in {self.region} (DkimEnabled: false), though its records "
            f"verify.\nFix: `aws ses set-identity-dkim-enabled --identity {self.name} --dkim-enabled --region "
            f"{self.region}` (or `aws sesv2 put-email-identity-dkim-attributes --email-identity {self.name} "
            "--signing-enabled`)."
        )

    def topic_for(self, event: str) -> str | None:
        """The SNS topic of an event type (BOUNCE, COMPLAINT, DELIVERY) set on the identity."""
        return {"BOUNCE": self.bounce_topic, "COMPLAINT": self.complaint_topic, "DELIVERY": self.delivery_topic}[event]

    def evidence(self) -> dict[str, Any]:
        if not self.exists:
            return {"identity": self.name, "region": self.region, "exists": False}
        found: dict[str, Any] = {"identity": self.name, "region": self.region, "exists": True}
        for kind in self.read:
            found.update({field: getattr(self, field) for field in EVIDENCE_FIELDS[kind]})
        if "dkim_tokens" in found:
            found["dkim_tokens"] = list(self.dkim_tokens)
        return found


def identity_from(name: str, region: str, a: dict[str, Any], read: tuple[str, ...] = ATTRIBUTES) -> Identity:
    return Identity(
        name=name,
        region=region,
        exists=True,
        read=read,
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
    """A configuration set and its event destinations (sesv2 GetConfigurationSetEventDestinations)."""

    name: str
    region: str
    exists: bool
    destinations: tuple[EventDestination, ...] = ()

    def explain(self) -> str:
        return (
            f"The configuration set {self.name} does not exist in {self.region}: SES rejects sends that name it "
            "(ConfigurationSetDoesNotExist).\n"
            f"Fix: `aws sesv2 create-configuration-set --configuration-set-name {self.name} --region {self.region}`, "
            "then add its event destinations for BOUNCE and COMPLAINT; configuration sets are regional."
        )

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
class ReputationTracking:
    """Whether SES keeps reputation metrics for a configuration set (sesv2 GetConfigurationSet
    ReputationOptions.ReputationMetricsEnabled; off unless asked for, as in the API)."""

    name: str
    region: str
    exists: bool
    metrics_enabled: bool = False

    @property
    def ok(self) -> bool:
        # a set that does not exist keeps nothing to judge: test_configuration_set_exists fails for it
        return not self.exists or self.metrics_enabled

    def explain(self) -> str:
        return (
            f"The configuration set {self.name} in {self.region} does not publish reputation metrics "
            "(ReputationOptions.ReputationMetricsEnabled: false): CloudWatch keeps no bounce or complaint rate of "
            "the mail sent with it, so a rise caused by this service shows only in the account's rates.\n"
            f"Fix: `aws sesv2 put-configuration-set-reputation-options --configuration-set-name {self.name} "
            f"--reputation-metrics-enabled --region {self.region}`."
        )

    def evidence(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "region": self.region,
            "exists": self.exists,
            "reputation_metrics_enabled": self.metrics_enabled if self.exists else None,
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
