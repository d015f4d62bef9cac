"""SES v1 for moto: identity statuses, notification topics, the account's quota and statistics.

moto hard-codes every v1 status to Success, never reports notification topics, and
answers GetSendQuota and GetSendStatistics with sandbox limits and zero bounces. Here the
state lives where moto keeps it (the v2 `EmailIdentity` object carries
`verification_status` and `dkim_attributes`, `sns_topics` the topics), plus what moto has
no place for (the MAIL FROM status, the account's sending state and data points) on the
region's backend, so that moto's reset wipes it with everything else; the v1 response
methods report it, with the value spellings of the v1 API.

moto lacks the v1 sending-authorization reads (ListIdentityPolicies, GetIdentityPolicies):
they answer here from the policies moto's v2 CreateEmailIdentityPolicy keeps on the identity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from moto.core.responses import ActionResult
from moto.ses.models import SESBackend, SESQuota
from moto.ses.responses import EmailResponse

V1_STATUS = {
    "SUCCESS": "Success",
    "PENDING": "Pending",
    "FAILED": "Failed",
    "TEMPORARY_FAILURE": "TemporaryFailure",
    "NOT_STARTED": "NotStarted",
}
TOPIC_TYPES = ("Bounce", "Complaint", "Delivery")

_original = {
    name: getattr(SESBackend, name)
    for name in (
        "get_identity_verification_attributes",
        "get_identity_dkim_attributes",
        "get_identity_mail_from_domain_attributes",
        "get_identity_notification_attributes",
    )
}
_original_statistics = EmailResponse.get_send_statistics


@dataclass
class AccountState:
    """A region's SES account as GetAccount reports it; the defaults are a new account's (the sandbox)."""

    production_access: bool = False
    sending_enabled: bool = True
    enforcement_status: str = "HEALTHY"
    max_24_hour_send: float = 200.0
    max_send_rate: float = 1.0
    sent_last_24_hours: float = 0.0  # besides what was sent through moto
    statistics: list[dict[str, Any]] | None = None  # GetSendStatistics data points; None: moto's own
    mail_from_status: dict[str, str] = field(default_factory=dict)


def account_state(backend: SESBackend) -> AccountState:
    # per-backend state, so moto's reset wipes it with everything else
    if not hasattr(backend, "golive_account"):
        backend.golive_account = AccountState()
    return backend.golive_account


def sent_last_24_hours(backend: SESBackend) -> float:
    return float(account_state(backend).sent_last_24_hours + backend.sent_message_count)


def get_identity_verification_attributes(self: SESBackend, identities: Any = None) -> dict[str, Any]:
    found = _original["get_identity_verification_attributes"](self, identities)
    for name, attributes in found.items():
        identity = self.email_identities.get(name)
        if identity is not None:
            attributes["VerificationStatus"] = V1_STATUS[identity.verification_status]
    return found


def get_identity_dkim_attributes(self: SESBackend, identities: Any) -> dict[str, Any]:
    found = _original["get_identity_dkim_attributes"](self, identities)
    for name, attributes in found.items():
        identity = self.email_identities.get(name)
        if identity is not None and "golive_status" in identity.dkim_attributes:
            status = identity.dkim_attributes["golive_status"]
            attributes["DkimVerificationStatus"] = V1_STATUS[status]
            attributes["DkimEnabled"] = identity.dkim_attributes["SigningEnabled"]
    return found


def get_identity_mail_from_domain_attributes(self: SESBackend, identities: Any = None) -> dict[str, Any]:
    found = _original["get_identity_mail_from_domain_attributes"](self, identities)
    statuses = account_state(self).mail_from_status
    for name, attributes in found.items():
        if attributes.get("MailFromDomain") and name in statuses:
            attributes["MailFromDomainStatus"] = V1_STATUS[statuses[name]]
    return found


def get_identity_notification_attributes(self: SESBackend, identities: list[str]) -> dict[str, Any]:
    found = _original["get_identity_notification_attributes"](self, identities)
    for name, attributes in found.items():
        for kind, arn in self.sns_topics.get(name, {}).items():
            if kind in TOPIC_TYPES:
                attributes[f"{kind}Topic"] = arn
    return found


def get_send_quota(self: SESBackend) -> SESQuota:
    state = account_state(self)
    quota = SESQuota(sent_last_24_hours(self))
    quota.max24_hour_send, quota.max_send_rate = state.max_24_hour_send, state.max_send_rate
    return quota


def get_send_statistics(self: EmailResponse) -> ActionResult:
    points = account_state(self.backend).statistics
    if points is None:
        return _original_statistics(self)
    return ActionResult({"SendDataPoints": points})


def list_identity_policies(self: EmailResponse) -> ActionResult:
    """The names of the identity's sending-authorization policies; none for an identity SES does not hold."""
    identity = self.backend.email_identities.get(self._get_param("Identity"))
    return ActionResult({"PolicyNames": sorted(identity.policies) if identity is not None else []})


def get_identity_policies(self: EmailResponse) -> ActionResult:
    """The named policies' documents (at most 20 names a call, as SES allows); unknown names are left out."""
    identity = self.backend.email_identities.get(self._get_param("Identity"))
    held = identity.policies if identity is not None else {}
    names = self._get_param("PolicyNames") or []
    return ActionResult({"Policies": {name: held[name] for name in names if name in held}})


def set_identity_status(
    backend: SESBackend,
    name: str,
    verification: str = "SUCCESS",
    dkim: str | None = None,
    mail_from: str | None = None,
) -> None:
    """Seed statuses the API cannot set; values are the v2 spellings (SUCCESS, PENDING, ...)."""
    identity = backend.email_identities[name]
    identity.verification_status = verification
    identity.verified_for_sending_status = verification == "SUCCESS"
    if dkim is not None:
        identity.dkim_attributes.update(Status=dkim, SigningEnabled=dkim == "SUCCESS", golive_status=dkim)
    if mail_from is not None:
        account_state(backend).mail_from_status[name] = mail_from


def set_statistics(backend: SESBackend, points: list[dict[str, Any]], now: dt.datetime | None = None) -> None:
    """Seed GetSendStatistics: each point {hours_ago, delivery_attempts, bounces, complaints, rejects}."""
    now = now or dt.datetime.now(dt.UTC)
    account_state(backend).statistics = [
        {
            "Timestamp": now - dt.timedelta(hours=p.get("hours_ago", 0)),
            "DeliveryAttempts": p.get("delivery_attempts", 0),
            "Bounces": p.get("bounces", 0),
            "Complaints": p.get("complaints", 0),
            "Rejects": p.get("rejects", 0),
        }
        for p in points
    ]


def install() -> None:
    SESBackend.get_identity_verification_attributes = get_identity_verification_attributes
    SESBackend.get_identity_dkim_attributes = get_identity_dkim_attributes
    SESBackend.get_identity_mail_from_domain_attributes = get_identity_mail_from_domain_attributes
    SESBackend.get_identity_notification_attributes = get_identity_notification_attributes
    SESBackend.get_send_quota = get_send_quota
    EmailResponse.get_send_statistics = get_send_statistics
    EmailResponse.list_identity_policies = list_identity_policies
    EmailResponse.get_identity_policies = get_identity_policies
