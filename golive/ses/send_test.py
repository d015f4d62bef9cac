"""The opt-in test send (`--send-test`, or `ses.send_test.enabled`): from the configured sender,
through the configuration set, to SES's mailbox simulator. It is the only write golive ever makes.

The guard (golive/aws.py) lets exactly sesv2 SendEmail through, only in this mode, and only when
every recipient is a mailbox-simulator address: anything else is refused before it is sent. The
simulator's addresses need no verification, so the send works in the sandbox too, and they
never reach a person; SES does not count them against the account's reputation.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import botocore.exceptions

from golive.errors import could_not_see

SIMULATOR = {
    "success": "success@simulator.amazonses.com",
    "bounce": "bounce@simulator.amazonses.com",
    "complaint": "complaint@simulator.amazonses.com",
}
SEND = ("sesv2", "SendEmail")
# what SES answers about the message itself (a finding), not about golive's access (could not see)
REJECTIONS = frozenset({"MessageRejected", "MailFromDomainNotVerifiedException", "AccountSuspendedException",
                        "SendingPausedException", "NotFoundException", "BadRequestException"})  # fmt: skip


def refusal(params: dict[str, Any]) -> str | None:
    """Why the guard refuses this SendEmail, or None: every recipient must be the simulator's."""
    destination = params.get("Destination") or {}
    recipients = [a for key in ("ToAddresses", "CcAddresses", "BccAddresses") for a in destination.get(key, ())]
    others = sorted(a for a in recipients if a.lower() not in SIMULATOR.values())
    if "Raw" in (params.get("Content") or {}):
        return "a raw message (its recipients are in its headers): golive sends only simple test messages"
    if not recipients or others:
        return f"recipients {', '.join(others) or 'none'} are not SES mailbox-simulator addresses"
    return None


@dataclass(frozen=True)
class Setting:
    """A config key a test send is made from, its value and the file that sets it: a refusal's fix names them."""

    key: str
    value: str | None
    file: str

    def __str__(self) -> str:
        return f"{self.key} in {self.file}"


@dataclass(frozen=True)
class SendSettings:
    sender: Setting  # ses.from_address
    configuration_set: Setting  # ses.configuration_set
    mail_from: Setting  # the sender's domain's ses.domains.<domain>.mail_from (the region's own, per region)
    feedback_queue: Setting  # ses.send_test.feedback_queue
    feedback_wait: Setting  # ses.send_test.feedback_wait, in seconds


@dataclass(frozen=True)
class TestSend:
    region: str
    recipient: str
    settings: SendSettings
    message_id: str | None = None
    rejected: str | None = None  # SES's error code and message, when it refused the message

    @property
    def sender(self) -> str:
        return self.settings.sender.value or ""

    @property
    def configuration_set(self) -> str | None:
        return self.settings.configuration_set.value

    @property
    def accepted(self) -> bool:
        return self.message_id is not None

    def evidence(self) -> dict[str, Any]:
        found = {"region": self.region, "from": self.sender, "to": self.recipient}
        found["configuration_set"] = self.configuration_set
        return {**found, "message_id": self.message_id} if self.accepted else {**found, "rejected": self.rejected}

    def explain(self) -> str:
        through = f" through {self.configuration_set}" if self.configuration_set else ""
        return (
            f"SES in {self.region} refused the test send from {self.sender}{through} to {self.recipient}: "
            f"{self.rejected}.\nFix: {self._fix()}; then run golive again with --send-test."
        )

    def _fix(self) -> str:
        """What to change for SES's refusal: the config key and its file, or the account's state."""
        code, _, words = (self.rejected or "").partition(": ")
        region, domain = self.region, self.sender.rpartition("@")[2]
        sender, config_set, mail_from = self.settings.sender, self.settings.configuration_set, self.settings.mail_from
        if code == "MessageRejected" and "not verified" in words.lower():
            return (
                f"{sender} ({self.sender}) is not a sender SES has verified in {region}: expected the address "
                f"itself or its domain {domain} verified there. Verify {domain} in {region} (test_domain_is_verified "
                f"and test_sender_is_verified show what SES holds), or set {sender.key} to a sender verified in {region}"
            )
        if code == "MailFromDomainNotVerifiedException":
            named = f"{mail_from} names {mail_from.value}" if mail_from.value else f"{mail_from} names none: add it"
            return (
                f"the custom MAIL FROM domain of {domain} is not verified in {region}, and SES rejects the mail "
                "rather than send it from its own: publish that domain's MX and SPF records "
                f"(test_mail_from_domain_is_verified shows what SES holds; {named}, so that golive checks them)"
            )
        if code == "NotFoundException" and config_set.value:
            return (
                f"{config_set} names {config_set.value}, which is not a configuration set of {region}: expected the "
                f"set the service sends with there. Create it in {region} with its event destinations, or set "
                f"{config_set.key} to the right one (test_configuration_set_exists)"
            )
        if code == "SendingPausedException":
            return (
                f"sending is paused for the account in {region}, which no config key changes: find why "
                "(test_sending_is_enabled, test_enforcement_status_is_healthy), then resume it with "
                f"`aws sesv2 put-account-sending-attributes --sending-enabled --region {region}`"
            )
        if code == "AccountSuspendedException":
            return (
                f"SES has shut down sending for the account in {region}, which no config key changes: its "
                "enforcement status says why (test_enforcement_status_is_healthy); ask AWS Support to review it"
            )
        return f"what SES names above, in what golive sent from {sender} and {config_set}"


def send(client: Any, region: str, recipient: str, settings: SendSettings) -> TestSend:
    found = TestSend(region, recipient, settings)
    params: dict[str, Any] = {
        "FromEmailAddress": found.sender,
        "Destination": {"ToAddresses": [recipient]},
        "Content": {
            "Simple": {
                "Subject": {"Data": "golive test send"},
                "Body": {"Text": {"Data": "A test message from golive's go-live gate, to SES's mailbox simulator."}},
            }
        },
        **({"ConfigurationSetName": found.configuration_set} if found.configuration_set else {}),
    }
    with could_not_see("ses:SendEmail", f"send a test message in {region}"):
        try:
            return replace(found, message_id=client.send_email(**params)["MessageId"])
        except botocore.exceptions.ClientError as exc:
            error = exc.response.get("Error", {})
            if error.get("Code") not in REJECTIONS:
                raise  # AccessDenied, throttling: golive could not see, which is never a verdict
            return replace(found, rejected=f"{error.get('Code')}: {error.get('Message', '')}")


# --- the feedback loop: the bounce or complaint notification of a test send, in the config's queue ---

RECEIVE = ("sqs", "ReceiveMessage")  # not a pure read (it hides what it returns for a while): send-test mode only
READS = {("sqs", "GetQueueUrl"): ("QueueUrl",)}  # the queue's URL, from its ARN in the config
EVENT = {"bounce": "Bounce", "complaint": "Complaint"}
LONG_POLL = 20  # seconds: the most SQS waits in one ReceiveMessage


def queue_parts(arn: str) -> tuple[str, str, str]:
    """(region, account, name) of an SQS queue ARN (the config's schema has checked its form)."""
    _, _, _, region, account, name = arn.split(":", 5)
    return region, account, name


def receive_refusal(params: dict[str, Any], queue_arn: str | None) -> str | None:
    """Why the guard refuses this ReceiveMessage, or None: only the configured feedback queue is read."""
    if queue_arn is None:
        return "no ses.send_test.feedback_queue is configured"
    _, account, name = queue_parts(queue_arn)
    url = str(params.get("QueueUrl", ""))
    if not url.endswith(f"/{account}/{name}"):
        return f"{url or 'no queue'} is not the feedback queue {queue_arn}"
    return None


@dataclass(frozen=True)
class Feedback:
    """What the feedback queue showed of one test send's bounce or complaint notification."""

    sent: TestSend
    queue: str  # its ARN
    waited: float  # seconds
    bound: float  # the most golive waits (ses.send_test.feedback_wait)
    notification: dict[str, Any] | None = None  # the one whose mail.messageId is the sent message's
    not_waited: str | None = None  # why there was nothing to wait for

    @property
    def arrived(self) -> bool:
        return self.notification is not None or self.not_waited is not None

    def evidence(self) -> dict[str, Any]:
        found = {"queue": self.queue, "message_id": self.sent.message_id, "waited_seconds": round(self.waited, 2)}
        if self.not_waited:
            return {**found, "not_waited": self.not_waited}
        return {**found, "bound_seconds": self.bound, "notification": self.notification}

    def explain(self) -> str:
        kind = EVENT.get(self.sent.recipient.partition("@")[0], "feedback")
        return (
            f"No {kind.lower()} notification of the test send {self.sent.message_id} (from {self.sent.sender} to "
            f"{self.sent.recipient} in {self.sent.region}) reached {self.queue} within {self.bound:g} s: SES's "
            f"{kind.lower()}s of this sender go nowhere golive can see.\nFix: route {kind} events to an SNS topic (an "
            "event destination of the configuration set, or the identity's notification topic), subscribe the "
            f"queue ({self.sent.settings.feedback_queue}) to that topic (and let the topic send to it: the queue's "
            f"policy), or raise {self.sent.settings.feedback_wait} ({self.bound:g} s) if SES is slow today; then run "
            "golive again with --send-test."
        )


def summary(notification: dict[str, Any]) -> dict[str, Any]:
    """The parts of a notification the evidence keeps: its type, the message, the recipients it names."""
    kind = notification.get("notificationType") or notification.get("eventType")
    detail = notification.get(str(kind).lower()) or {}
    recipients = detail.get("bouncedRecipients") or detail.get("complainedRecipients") or []
    return {
        "type": kind,
        "via": "event destination" if "eventType" in notification else "identity notification topic",
        "message_id": notification["mail"]["messageId"],
        "recipients": [r.get("emailAddress") for r in recipients],
        "feedback_id": detail.get("feedbackId"),
    }


class FeedbackQueue:
    """The config's feedback queue, read while the feedback checks wait; every notification seen is
    kept by message id, so that one read serves every send. Nothing is deleted: what golive
    receives comes back to the queue when its visibility timeout ends."""

    def __init__(self, client: Any, url: str, arn: str) -> None:
        self._client, self._url, self.arn = client, url, arn
        self._seen: dict[str, list[dict[str, Any]]] = {}

    def wait_for(
        self, sends: Sequence[TestSend], bound: float, clock: Callable[[], float] = time.monotonic
    ) -> list[Feedback]:
        """The notification of each send, in the sends' order, awaited at once: the queue is read
        until every accepted send's has arrived or `bound` seconds have passed since the wait began,
        so that sends of many regions wait no longer than one would."""
        started, found = clock(), {}
        while True:
            for sent in sends:
                match = self._notification_of(sent) if sent.accepted and sent not in found else None
                if match is not None:
                    found[sent] = Feedback(sent, self.arn, clock() - started, bound, summary(match))
            left = bound - (clock() - started)
            if left <= 0 or all(sent in found for sent in sends if sent.accepted):
                break
            self._receive(min(LONG_POLL, max(1, int(left))))
        waited, refused = clock() - started, "SES refused the send: test_a_test_send_is_accepted reports it"
        return [
            found.get(sent, Feedback(sent, self.arn, waited, bound))
            if sent.accepted
            else Feedback(sent, self.arn, 0.0, bound, not_waited=refused)
            for sent in sends
        ]

    def _notification_of(self, sent: TestSend) -> dict[str, Any] | None:
        kind = EVENT[sent.recipient.partition("@")[0]]
        return next((n for n in self._seen.get(sent.message_id or "", ()) if summary(n)["type"] == kind), None)

    def _receive(self, wait: int) -> None:
        with could_not_see("sqs:ReceiveMessage", f"read the feedback queue {self.arn}"):
            answer = self._client.receive_message(QueueUrl=self._url, MaxNumberOfMessages=10, WaitTimeSeconds=wait)
        for message in answer.get("Messages", ()):
            notification = _notification(message.get("Body", ""))
            if notification is not None:
                self._seen.setdefault(notification["mail"]["messageId"], []).append(notification)


def _notification(body: str) -> dict[str, Any] | None:
    """SES's notification in an SQS message: inside SNS's envelope, or the message itself (raw delivery)."""
    try:
        found = json.loads(body)
        if isinstance(found, dict) and found.get("Type") == "Notification":
            found = json.loads(found.get("Message", ""))
    except (TypeError, ValueError):
        return None  # not SES's: another sender's message in the queue
    mail = found.get("mail") if isinstance(found, dict) else None
    return found if isinstance(mail, dict) and "messageId" in mail else None
