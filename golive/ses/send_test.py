"""The opt-in test send (`--send-test`, or `ses.send_test.enabled`): from the configured sender,
through the configuration set, to SES's mailbox simulator. It is the only write golive ever makes.

The guard (golive/aws.py) lets exactly sesv2 SendEmail through, only in this mode, and only when
every recipient is a mailbox-simulator address: anything else is refused before it is sent. The
simulator's addresses need no verification, so the send works in the sandbox too, and they
never reach a person; SES does not count them against the account's reputation.
"""

from __future__ import annotations

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
class TestSend:
    region: str
    sender: str
    recipient: str
    configuration_set: str | None
    message_id: str | None = None
    rejected: str | None = None  # SES's error code and message, when it refused the message

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
            f"{self.rejected}.\nFix: what SES names above (a sender or MAIL FROM domain not verified in "
            f"{self.region}, sending paused, a configuration set that does not exist), then run golive again."
        )


def send(client: Any, region: str, sender: str, recipient: str, configuration_set: str | None) -> TestSend:
    found = TestSend(region, sender, recipient, configuration_set)
    params: dict[str, Any] = {
        "FromEmailAddress": sender,
        "Destination": {"ToAddresses": [recipient]},
        "Content": {
            "Simple": {
                "Subject": {"Data": "golive test send"},
                "Body": {"Text": {"Data": "A test message from golive's go-live gate, to SES's mailbox simulator."}},
            }
        },
        **({"ConfigurationSetName": configuration_set} if configuration_set else {}),
    }
    with could_not_see("ses:SendEmail", f"send a test message in {region}"):
        try:
            return replace(found, message_id=client.send_email(**params)["MessageId"])
        except botocore.exceptions.ClientError as exc:
            error = exc.response.get("Error", {})
            if error.get("Code") not in REJECTIONS:
                raise  # AccessDenied, throttling: golive could not see, which is never a verdict
            return replace(found, rejected=f"{error.get('Code')}: {error.get('Message', '')}")
