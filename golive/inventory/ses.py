"""SES facts per region: every identity's verification, DKIM, MAIL FROM and notification
attributes, fetched in batches of 100 identities per call (the API's limit).

Calls per region: 1 ListIdentities page per 1,000 identities, then 4 attribute calls per
100 identities, however many checks read them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from golive.aws import AwsAccess
from golive.config import Config
from golive.errors import could_not_see

READ_PERMISSIONS = (
    "ses:ListIdentities",
    "ses:GetIdentityVerificationAttributes",
    "ses:GetIdentityDkimAttributes",
    "ses:GetIdentityMailFromDomainAttributes",
    "ses:GetIdentityNotificationAttributes",
)
CASES: dict = {}
BATCH = 100  # identities per Get*Attributes call


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
    def is_domain(self) -> bool:
        return "@" not in self.name


class SesInventory:
    """Session-scoped: each region's identities are read once, on first use, in batches."""

    def __init__(self, access: AwsAccess, config: Config) -> None:
        self._access = access
        self._config = config
        self._regions: dict[str, dict[str, Identity]] = {}
        self._lock = threading.Lock()

    def identities(self, region: str) -> dict[str, Identity]:
        """Every identity SES lists in the region, by name."""
        with self._lock:
            if region not in self._regions:
                self._regions[region] = self._read(region)
        return self._regions[region]

    def identity(self, region: str, name: str) -> Identity:
        """The identity `name` in `region`; `exists=False` when SES does not list it."""
        return self.identities(region).get(name.lower()) or Identity(name=name, region=region, exists=False)

    def _read(self, region: str) -> dict[str, Identity]:
        ses = self._access.client("ses", region)
        names: list[str] = []
        with could_not_see("ses:ListIdentities", f"list the SES identities in {region}"):
            for page in ses.get_paginator("list_identities").paginate():
                names.extend(page["Identities"])
        attributes: dict[str, dict[str, Any]] = {name: {} for name in names}
        calls = (
            (
                "ses:GetIdentityVerificationAttributes",
                ses.get_identity_verification_attributes,
                "VerificationAttributes",
            ),
            ("ses:GetIdentityDkimAttributes", ses.get_identity_dkim_attributes, "DkimAttributes"),
            (
                "ses:GetIdentityMailFromDomainAttributes",
                ses.get_identity_mail_from_domain_attributes,
                "MailFromDomainAttributes",
            ),
            (
                "ses:GetIdentityNotificationAttributes",
                ses.get_identity_notification_attributes,
                "NotificationAttributes",
            ),
        )
        for start in range(0, len(names), BATCH):
            batch = names[start : start + BATCH]
            for permission, call, key in calls:
                with could_not_see(permission, f"read the SES identities' attributes in {region}"):
                    for name, found in call(Identities=batch)[key].items():
                        attributes.setdefault(name, {}).update(found)
        return {name.lower(): _identity(name, region, found) for name, found in attributes.items()}


def _identity(name: str, region: str, a: dict[str, Any]) -> Identity:
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
