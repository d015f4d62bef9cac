"""SES facts per region: identities, the account, its statistics, alarms, configuration sets,
tenants and the SNS topics notifications go to. Each is read once, on first use, and cached
(failures too: a second test does not ask again).

Calls per region, however many checks read them:
- identities: 1 ListIdentities page per 1,000 identities, then 4 attribute calls per 100
  identities (verification, DKIM, MAIL FROM, notifications);
- account: 1 sesv2 GetAccount; statistics: 1 GetSendStatistics; alarms: 1 DescribeAlarms
  page per 100 alarms;
- 1 sesv2 GetConfigurationSetEventDestinations per configuration set in use (the configured
  one, or else each sending identity's default, found with 1 sesv2 GetEmailIdentity each);
- 1 sesv2 GetConfigurationSet for the configured configuration set (its reputation options);
- 1 sns ListSubscriptionsByTopic page per topic named (100 subscriptions a page);
- with a tenant configured, 1 sesv2 ListResourceTenants per sending identity (the API takes
  one resource);
- 1 ListIdentityPolicies per sending identity SES holds, then 1 GetIdentityPolicies per 20
  of its policies (none when it has none).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from golive.aws import AwsAccess
from golive.cases import RegionNameCase
from golive.config import Config
from golive.errors import CouldNotSee, could_not_see
from golive.iam import scope
from golive.memo import Memo
from golive.ses import send_test
from golive.ses.account import (
    REPUTATION_METRICS,
    Account,
    Alarm,
    ReputationAlarms,
    SendStatistics,
    account_from,
    alarm_from,
    statistics_from,
)
from golive.ses.authorization import IdentityPolicies
from golive.ses.cases import send_settings, sending_identities
from golive.ses.facts import (
    ATTRIBUTES,
    ConfigurationSet,
    Identity,
    ReputationTracking,
    Topic,
    destination_from,
    identity_from,
)
from golive.ses.views import (
    MailFrom,
    NotificationRoutes,
    NotificationTopics,
    Placeholders,
    Sender,
    Tenancy,
    placeholder_pattern,
)

# Every call this inventory makes, with the fields of the answer it reads: an answer without
# them is could-not-see, never "absent" (see golive.aws.check_answer).
READS = {
    ("ses", "ListIdentities"): ("Identities",),
    ("ses", "GetIdentityVerificationAttributes"): ("VerificationAttributes",),
    ("ses", "GetIdentityDkimAttributes"): ("DkimAttributes",),
    ("ses", "GetIdentityMailFromDomainAttributes"): ("MailFromDomainAttributes",),
    ("ses", "GetIdentityNotificationAttributes"): ("NotificationAttributes",),
    ("sesv2", "GetAccount"): ("SendQuota", "ProductionAccessEnabled", "SendingEnabled"),
    ("ses", "GetSendStatistics"): ("SendDataPoints",),
    ("sesv2", "GetEmailIdentity"): ("IdentityType",),
    ("sesv2", "GetConfigurationSetEventDestinations"): ("EventDestinations",),
    ("sesv2", "GetConfigurationSet"): ("ConfigurationSetName",),
    ("sesv2", "ListResourceTenants"): ("ResourceTenants",),
    ("ses", "ListIdentityPolicies"): ("PolicyNames",),
    ("ses", "GetIdentityPolicies"): ("Policies",),
    ("sns", "ListSubscriptionsByTopic"): ("Subscriptions",),
    ("cloudwatch", "DescribeAlarms"): ("MetricAlarms",),
}
BATCH = 100  # identities per Get*Attributes call
POLICY_BATCH = 20  # policy names per GetIdentityPolicies call (the API's limit)
ATTRIBUTE_CALLS = {
    "verification": ("GetIdentityVerificationAttributes", "VerificationAttributes"),
    "dkim": ("GetIdentityDkimAttributes", "DkimAttributes"),
    "mail_from": ("GetIdentityMailFromDomainAttributes", "MailFromDomainAttributes"),
    "notifications": ("GetIdentityNotificationAttributes", "NotificationAttributes"),
}
NOT_FOUND = {"NotFoundException", "NotFound"}
T = TypeVar("T")


def unless_not_found(call: Callable[[], T]) -> T | None:
    """The answer, or None where AWS says explicitly that the thing does not exist: absence is
    never concluded from anything else."""
    try:
        return call()
    except ClientError as exc:
        if exc.response["Error"]["Code"] not in NOT_FOUND:
            raise
        return None


class SesInventory:
    """Session-scoped and thread-safe (golive/memo.py): each fact is read once, on first use, and kept
    for every check that asks, whichever thread asks first (golive/prefetch.py)."""

    def __init__(self, access: AwsAccess, config: Config) -> None:
        self._access = access
        self._config = config
        self._cached = Memo()

    # --- what SES reports --------------------------------------------------------

    def identity_names(self, region: str) -> dict[str, str]:
        """Every identity SES lists in the region: lower-cased name -> the name as SES spells it."""
        return self._cached(("identities", region), lambda: self._list_identities(region))

    def identity(self, region: str, name: str, read: tuple[str, ...] = ATTRIBUTES) -> Identity:
        """The identity `name` in `region` with the attributes of the kinds `read`; `exists=False`
        when SES does not list it. Each kind is one batched read, and its own could-not-see."""
        spelled = self.identity_names(region).get(name.lower())
        if spelled is None:
            return Identity(name=name, region=region, exists=False)
        found: dict[str, Any] = {}
        for kind in read:
            found.update(self._attributes(region, kind).get(spelled, {}))
        return identity_from(spelled, region, found, read)

    def account(self, region: str) -> Account:
        def read() -> Account:
            with could_not_see("ses:GetAccount", f"read the SES account of {region}"):
                return account_from(region, self._access.client("sesv2", region).get_account())

        return self._cached(("account", region), read)

    def statistics(self, region: str) -> SendStatistics:
        def read() -> SendStatistics:
            with could_not_see("ses:GetSendStatistics", f"read the SES sending statistics of {region}"):
                points = self._access.client("ses", region).get_send_statistics()["SendDataPoints"]
            return statistics_from(region, points)

        return self._cached(("statistics", region), read)

    def alarms(self, region: str) -> tuple[Alarm, ...]:
        def read() -> tuple[Alarm, ...]:
            found = []
            with could_not_see("cloudwatch:DescribeAlarms", f"list the CloudWatch alarms of {region}"):
                pages = self._access.client("cloudwatch", region).get_paginator("describe_alarms")
                for page in pages.paginate(AlarmTypes=["MetricAlarm"]):
                    found.extend(alarm_from(a) for a in page.get("MetricAlarms", []))
            return tuple(found)

        return self._cached(("alarms", region), read)

    def configuration_set(self, region: str, name: str) -> ConfigurationSet:
        def read() -> ConfigurationSet:
            sesv2 = self._access.client("sesv2", region)
            with could_not_see(
                "ses:GetConfigurationSetEventDestinations", f"read configuration set {name} in {region}"
            ):
                found = unless_not_found(
                    lambda: sesv2.get_configuration_set_event_destinations(ConfigurationSetName=name)
                )
            if found is None:
                return ConfigurationSet(name, region, exists=False)
            destinations = tuple(destination_from(d) for d in found.get("EventDestinations", []))
            return ConfigurationSet(name, region, exists=True, destinations=destinations)

        return self._cached(("configuration_set", region, name), read)

    def reputation_tracking(self, region: str, name: str) -> ReputationTracking:
        def read() -> ReputationTracking:
            sesv2 = self._access.client("sesv2", region)
            with could_not_see(
                "ses:GetConfigurationSet", f"read the reputation options of configuration set {name} in {region}"
            ):
                found = unless_not_found(lambda: sesv2.get_configuration_set(ConfigurationSetName=name))
            if found is None:
                return ReputationTracking(name, region, exists=False)
            options = found.get("ReputationOptions") or {}
            return ReputationTracking(
                name, region, exists=True, metrics_enabled=bool(options.get("ReputationMetricsEnabled"))
            )

        return self._cached(("reputation_tracking", region, name), read)

    def default_configuration_set(self, region: str, identity: str) -> str | None:
        """The configuration set SES uses for the identity when a send names none."""

        def read() -> str | None:
            sesv2 = self._access.client("sesv2", region)
            with could_not_see("ses:GetEmailIdentity", f"read SES identity {identity} in {region}"):
                found = unless_not_found(lambda: sesv2.get_email_identity(EmailIdentity=identity))
            return found.get("ConfigurationSetName") if found else None

        return self._cached(("default_configuration_set", region, identity.lower()), read)

    def tenants(self, region: str, identity: str) -> tuple[str, ...]:
        """The tenants the identity is associated with."""

        def read() -> tuple[str, ...]:
            sesv2 = self._access.client("sesv2", region)
            pages = sesv2.get_paginator("list_resource_tenants").paginate(
                ResourceArn=self.identity_arn(region, identity)
            )
            with could_not_see("ses:ListResourceTenants", f"list the tenants of SES identity {identity} in {region}"):
                found = unless_not_found(lambda: [t["TenantName"] for page in pages for t in page["ResourceTenants"]])
            return tuple(sorted(found or ()))

        return self._cached(("tenants", region, identity.lower()), read)

    def topic(self, arn: str) -> Topic:
        def read() -> Topic:
            region = arn.split(":")[3]
            pages = (
                self._access.client("sns", region).get_paginator("list_subscriptions_by_topic").paginate(TopicArn=arn)
            )
            with could_not_see("sns:ListSubscriptionsByTopic", f"list the subscriptions of SNS topic {arn}"):
                found = unless_not_found(lambda: [s for page in pages for s in page["Subscriptions"]])
            if found is None:
                return Topic(arn, exists=False)
            subscribed = [(f"{s.get('Protocol')}:{s.get('Endpoint')}", s["SubscriptionArn"]) for s in found]
            pending = tuple(endpoint for endpoint, state in subscribed if state == "PendingConfirmation")
            confirmed = tuple(endpoint for endpoint, state in subscribed if state != "PendingConfirmation")
            return Topic(arn, exists=True, confirmed=confirmed, pending=pending)

        return self._cached(("topic", arn), read)

    def identity_policies(self, region: str, identity: str) -> IdentityPolicies:
        """The sending-authorization policies on the identity (name -> document)."""
        spelled = self.identity_names(region).get(identity.lower())
        if spelled is None:
            return IdentityPolicies(region, identity, self.identity_arn(region, identity), exists=False)

        def read() -> IdentityPolicies:
            ses = self._access.client("ses", region)
            found: dict[str, str] = {}
            with could_not_see("ses:ListIdentityPolicies", f"list the sending-authorization policies of {spelled}"):
                names = ses.list_identity_policies(Identity=spelled)["PolicyNames"]
            with could_not_see("ses:GetIdentityPolicies", f"read the sending-authorization policies of {spelled}"):
                for start in range(0, len(names), POLICY_BATCH):
                    batch = names[start : start + POLICY_BATCH]
                    found.update(ses.get_identity_policies(Identity=spelled, PolicyNames=batch)["Policies"])
            return IdentityPolicies(
                region,
                spelled,
                self.identity_arn(region, spelled),
                exists=True,
                documents=tuple(sorted(found.items())),
                account_id=self._config.account_id,
                allowed=self._allowed_senders(),
            )

        return self._cached(("identity_policies", region, spelled.lower()), read)

    def _allowed_senders(self) -> frozenset[str]:
        """Who may be granted sending as the identity: the config's other senders and its own
        principals held to the sender (`caller` cannot be resolved without IAM: not among them)."""
        own = {p.arn for p in self._config.principals if p.send_as_only and p.arn != "caller"}
        return frozenset(own | set(self._config.ses.other_senders_allowed))

    def test_send(self, region: str, recipient: str) -> send_test.TestSend:
        """The opt-in test send (the one write): one message per region and recipient, which the
        feedback check waits for too."""
        client, settings = self._access.client("sesv2", region), send_settings(self._config, region)
        return self._cached(
            ("test_send", region, recipient), lambda: send_test.send(client, region, recipient, settings)
        )

    def feedback(self, region: str, recipient: str, together: tuple[RegionNameCase, ...]) -> send_test.Feedback:
        """The bounce or complaint notification of the test send, awaited in the feedback queue at once
        with those of the run's other feedback checks (`together`): one feedback_wait at most, in all."""
        self.test_send(region, recipient)  # a send that could not be made is this check's could-not-see
        return self._cached(("feedback", together), lambda: self._await_feedback(together))[(region, recipient)]

    def _await_feedback(self, together: tuple[RegionNameCase, ...]) -> dict[tuple[str, str], send_test.Feedback]:
        sends = []
        for case in together:  # made here where their own checks are not selected, or not run yet
            with contextlib.suppress(CouldNotSee):  # that case's check reports it: the others still wait
                sends.append(self.test_send(case.region, case.name))
        found = self.feedback_queue().wait_for(sends, self._config.ses.send_test.feedback_wait)
        return {(feedback.sent.region, feedback.sent.recipient): feedback for feedback in found}

    def feedback_queue(self) -> send_test.FeedbackQueue:
        arn = str(self._config.ses.send_test.feedback_queue)
        region, account, name = send_test.queue_parts(arn)

        def read() -> send_test.FeedbackQueue:
            client = self._access.client("sqs", region)
            with could_not_see("sqs:GetQueueUrl", f"find the feedback queue {arn}"):
                url = client.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
            return send_test.FeedbackQueue(client, url, arn)

        return self._cached(("feedback_queue", arn), read)

    def identity_arn(self, region: str, identity: str) -> str:
        return scope.identity_arn(region, self._config.account_id, identity)

    # --- what each check reads -----------------------------------------------------

    def sender(self, region: str, address: str) -> Sender:
        domain = address.rpartition("@")[2]
        verification = ("verification",)
        return Sender(
            address, region, self.identity(region, address, verification), self.identity(region, domain, verification)
        )

    def mail_from(self, region: str, domain: str, expected: str) -> MailFrom:
        return MailFrom(region, expected, self.identity(region, domain, ("mail_from",)))

    def reputation_alarms(self, region: str) -> ReputationAlarms:
        reputation = self._config.ses.reputation
        bounce, complaint = REPUTATION_METRICS
        limits = {bounce: reputation.max_bounce_rate, complaint: reputation.max_complaint_rate}
        return ReputationAlarms(region, limits, self.alarms(region))

    def placeholders(self, region: str) -> Placeholders:
        patterns = self._config.ses.placeholder_patterns
        names = sorted(self.identity_names(region).values())
        found = tuple((name, pattern) for name in names if (pattern := placeholder_pattern(name, patterns)))
        return Placeholders(region, patterns, len(names), found)

    def tenancy(self, region: str, identity: str) -> Tenancy:
        tenant = str(self._config.ses.tenant)
        return Tenancy(region, identity, self.identity_arn(region, identity), tenant, self.tenants(region, identity))

    def configuration_set_in_use(self, region: str, identity: str) -> tuple[ConfigurationSet | None, str | None]:
        """The set the service's sends from `identity` use: the configured one, else the identity's default."""
        configured = self._config.ses.configuration_set
        if configured:
            return self.configuration_set(region, configured), "configured"
        default = self.default_configuration_set(region, identity)
        if default:
            return self.configuration_set(region, default), "the identity's default"
        return None, None

    def notification_routes(self, region: str, identity: str) -> NotificationRoutes:
        notifications = self._config.ses.notifications
        configuration_set, source = self.configuration_set_in_use(region, identity)
        return NotificationRoutes(
            region=region,
            identity=self.identity(region, identity, ("notifications",)),
            events=notifications.events,
            via=notifications.via,
            configuration_set=configuration_set,
            set_source=source,
        )

    def notification_topics(self, region: str) -> NotificationTopics:
        """The SNS topics that receive notifications for the sending identities: their own topics,
        and the SNS destinations of the configuration sets their sends use."""
        named: dict[str, list[str]] = {}
        for name in sending_identities(self._config):
            identity = self.identity(region, name, ("notifications",))
            for event in ("BOUNCE", "COMPLAINT", "DELIVERY"):
                topic = identity.topic_for(event)
                if topic:
                    named.setdefault(topic, []).append(f"{name} {event.lower()} notifications")
            configuration_set, _ = self.configuration_set_in_use(region, name)
            for d in configuration_set.destinations if configuration_set else ():
                if d.kind == "SNS" and d.enabled and d.target:
                    named.setdefault(d.target, []).append(f"configuration set {configuration_set.name} '{d.name}'")
        topics = tuple((self.topic(arn), tuple(dict.fromkeys(by))) for arn, by in sorted(named.items()))
        return NotificationTopics(region, topics)

    # --- reading -----------------------------------------------------------------------

    def _list_identities(self, region: str) -> dict[str, str]:
        names: list[str] = []
        with could_not_see("ses:ListIdentities", f"list the SES identities in {region}"):
            for page in self._access.client("ses", region).get_paginator("list_identities").paginate():
                names.extend(page["Identities"])
        return {name.lower(): name for name in names}

    def _attributes(self, region: str, kind: str) -> dict[str, dict[str, Any]]:
        """One kind of attribute of every identity in the region, 100 identities a call."""

        def read() -> dict[str, dict[str, Any]]:
            operation, key = ATTRIBUTE_CALLS[kind]
            call = getattr(self._access.client("ses", region), _snake(operation))
            names = list(self.identity_names(region).values())
            found: dict[str, dict[str, Any]] = {}
            with could_not_see(f"ses:{operation}", f"read the SES identities' {kind} attributes in {region}"):
                for start in range(0, len(names), BATCH):
                    found.update(call(Identities=names[start : start + BATCH])[key])
            return found

        return self._cached(("attributes", region, kind), read)


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")
