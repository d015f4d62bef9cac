"""SES v2 SendEmail for moto: refused from a sender whose identity is not verified, and through a
configuration set the account does not have, as SES refuses them; and SES's mailbox simulator: a send to bounce@ or complaint@simulator.amazonses.com publishes
SES's notification of it, with the message's own id, where SES would.

moto sends from any identity it holds, whatever its (seeded) verification status, and through
any configuration set name; SES sends only as an address whose own identity, or whose domain's,
is verified, and answers NotFoundException for a set it does not have. moto publishes only a canned notification, with a fixed message id, and only to the sending
domain's identity topic. Here, after moto's SES v2 SendEmail has accepted a message, each
simulator bounce or complaint recipient gets the notification SES sends: to the identity's
topic of that type (the sender's address identity, else its domain; `notificationType`), and to
each enabled SNS event destination of the message's configuration set that matches the event
(`eventType`, as event publishing writes it). The publish goes through moto's SNS, so a queue
subscribed to the topic receives it as from AWS; moto's canned notification is switched off.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from email.utils import parseaddr
from typing import Any

from moto.ses.exceptions import MessageRejectedError, NotFoundException
from moto.ses.models import SESBackend
from moto.sesv2.responses import SESV2Response
from moto.sns.models import sns_backends

from golive.embedded.sesv2 import v2_state

EVENTS = {"bounce@simulator.amazonses.com": "Bounce", "complaint@simulator.amazonses.com": "Complaint"}
_original_send = SESV2Response.send_email


def send_email(self: SESV2Response) -> str:
    params = json.loads(self.body or "{}")
    backend: SESBackend = self.sesv2_backend.core_backend
    _refuse_unverified(backend, params.get("FromEmailAddress", ""))
    _refuse_unknown_set(backend, params.get("ConfigurationSetName"))
    answer = _original_send(self)  # moto's send: raises what SES answers a message it refuses
    destination = params.get("Destination") or {}
    recipients = [a for key in ("ToAddresses", "CcAddresses", "BccAddresses") for a in destination.get(key, ())]
    for recipient in recipients:
        event = EVENTS.get(recipient.lower())
        if event:
            mail = _mail(backend, json.loads(answer)["MessageId"], params, recipients)
            _publish(backend, event, recipient, mail, params.get("ConfigurationSetName"))
    return answer


def _refuse_unverified(backend: SESBackend, source: str) -> None:
    address = parseaddr(source)[1]
    held = [backend.email_identities[n] for n in (address, address.rpartition("@")[2]) if n in backend.email_identities]
    if held and all(identity.verification_status != "SUCCESS" for identity in held):
        raise MessageRejectedError(
            "Email address is not verified. The following identities failed the check in region "
            f"{backend.region_name.upper()}: {address}"
        )  # none held: moto's own refusal, "Email address not verified"


def _refuse_unknown_set(backend: SESBackend, name: str | None) -> None:
    if name and name not in backend.config_sets:
        raise NotFoundException(f"Configuration set {name} does not exist.")


def _mail(backend: SESBackend, message_id: str, params: dict[str, Any], recipients: list[str]) -> dict[str, Any]:
    source = params.get("FromEmailAddress", "")
    identity = source if source in backend.email_identities else source.rpartition("@")[2]
    return {
        "timestamp": _now(),
        "messageId": message_id,
        "source": source,
        "sourceArn": f"arn:aws:ses:{backend.region_name}:{backend.account_id}:identity/{identity}",
        "sendingAccountId": backend.account_id,
        "destination": recipients,
    }


def _detail(event: str, recipient: str) -> dict[str, Any]:
    feedback = {"timestamp": _now(), "feedbackId": str(uuid.uuid4())}
    if event == "Bounce":
        failed = {"emailAddress": recipient, "action": "failed", "status": "5.1.1",
                  "diagnosticCode": "smtp; 550 5.1.1 user unknown"}  # fmt: skip
        return {"bounce": {**feedback, "bounceType": "Permanent", "bounceSubType": "General",
                           "bouncedRecipients": [failed]}}  # fmt: skip
    return {"complaint": {**feedback, "complainedRecipients": [{"emailAddress": recipient}],
                          "complaintFeedbackType": "abuse"}}  # fmt: skip


def _publish(
    backend: SESBackend, event: str, recipient: str, mail: dict[str, Any], configuration_set: str | None
) -> None:
    sns = sns_backends[backend.account_id][backend.region_name]
    source = mail["source"]
    for identity in (source, source.rpartition("@")[2]):
        topic = backend.sns_topics.get(identity, {}).get(event)
        if topic:
            sns.publish(json.dumps({"notificationType": event, "mail": mail, **_detail(event, recipient)}), arn=topic)
            break
    destinations = v2_state(backend).event_destinations.get(configuration_set or "", {}).values()
    for destination in destinations:
        topic = (destination.get("SnsDestination") or {}).get("TopicArn")
        if topic and destination.get("Enabled", True) and event.upper() in destination.get("MatchingEventTypes", ()):
            tags = {"ses:configuration-set": [configuration_set]}
            sns.publish(json.dumps({"eventType": event, "mail": {**mail, "tags": tags}, **_detail(event, recipient)}),
                        arn=topic)  # fmt: skip


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _no_canned_feedback(self: SESBackend, source: str, destinations: Any) -> None:
    """moto's own simulator notification (a fixed message id): replaced by the one above."""


def install() -> None:
    SESV2Response.send_email = send_email
    SESBackend.__process_sns_feedback__ = _no_canned_feedback
