"""SES identity statuses for moto: verification, DKIM and MAIL FROM can be Pending or Failed.

moto hard-codes every v1 status to Success. Here the state lives where moto keeps it
(the v2 `EmailIdentity` object carries `verification_status` and `dkim_attributes`; the
MAIL FROM status is kept beside moto's `identity_mail_from_domains`), and the v1 response
methods report it, with the value spellings of the v1 API.
"""

from __future__ import annotations

from typing import Any

from moto.ses.models import SESBackend

V1_STATUS = {
    "SUCCESS": "Success",
    "PENDING": "Pending",
    "FAILED": "Failed",
    "TEMPORARY_FAILURE": "TemporaryFailure",
    "NOT_STARTED": "NotStarted",
}

_original = {
    name: getattr(SESBackend, name)
    for name in (
        "get_identity_verification_attributes",
        "get_identity_dkim_attributes",
        "get_identity_mail_from_domain_attributes",
    )
}


def _mail_from_status(backend: SESBackend) -> dict[str, str]:
    # per-backend state, so moto's reset wipes it with everything else
    if not hasattr(backend, "golive_mail_from_status"):
        backend.golive_mail_from_status = {}
    return backend.golive_mail_from_status


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
    statuses = _mail_from_status(self)
    for name, attributes in found.items():
        if attributes.get("MailFromDomain") and name in statuses:
            attributes["MailFromDomainStatus"] = V1_STATUS[statuses[name]]
    return found


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
        _mail_from_status(backend)[name] = mail_from


def install() -> None:
    SESBackend.get_identity_verification_attributes = get_identity_verification_attributes
    SESBackend.get_identity_dkim_attributes = get_identity_dkim_attributes
    SESBackend.get_identity_mail_from_domain_attributes = get_identity_mail_from_domain_attributes
