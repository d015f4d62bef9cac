"""A scenario's identities are written straight to moto's SES backend (thousands of them over
HTTP cost minutes): one so seeded must read back, through every API the checks read, exactly as
one created through SES's API."""

from __future__ import annotations

import boto3
import pytest
import requests
from moto.ses.models import ses_backends
from moto_clients import auditor_client

from golive.config import ConfigError
from golive.embedded.ses import set_identity_status

SEEDED = "us-west-2"  # by the scenario, straight into the backend
BY_API = "eu-west-1"  # by this test, over HTTP, as SES's API creates them
TOPIC = "arn:aws:sns:us-west-2:123456789012:feedback"
IDENTITIES = {
    "ok.example": {
        "verification": "SUCCESS",
        "dkim": "SUCCESS",
        "mail_from": {"domain": "mail.ok.example", "status": "SUCCESS", "behavior_on_mx_failure": "RejectMessage"},
        "notifications": {"bounce": TOPIC, "complaint": TOPIC},
    },
    "pending.example": {
        "verification": "PENDING",
        "dkim": "FAILED",
        "mail_from": {"domain": "bounce.pending.example", "status": "PENDING"},
    },
    "no-reply@ok.example": {"verification": "SUCCESS", "notifications": {"bounce": TOPIC, "delivery": TOPIC}},
    "new@pending.example": {"verification": "NOT_STARTED"},
}


def _create_over_http(endpoint: str, region: str) -> None:
    """The identities as a user creates them with SES's API, and the statuses it cannot set."""
    # moto's auth is switched on once the account starts: off again for this test's own writes
    requests.post(f"{endpoint}/moto-api/reset-auth", data=b"inf", timeout=10).raise_for_status()
    ses = boto3.client(
        "ses", region_name=region, endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    for name, spec in IDENTITIES.items():
        if "@" in name:
            ses.verify_email_identity(EmailAddress=name)
        else:
            ses.verify_domain_identity(Domain=name)
            ses.verify_domain_dkim(Domain=name)
        mail_from = spec.get("mail_from")
        if mail_from:
            ses.set_identity_mail_from_domain(
                Identity=name,
                MailFromDomain=mail_from["domain"],
                BehaviorOnMXFailure=mail_from.get("behavior_on_mx_failure", "UseDefaultValue"),
            )
        for kind, topic in spec.get("notifications", {}).items():
            ses.set_identity_notification_topic(Identity=name, NotificationType=kind.capitalize(), SnsTopic=topic)
        set_identity_status(
            ses_backends["123456789012"][region],
            name,
            verification=spec["verification"],
            dkim=spec.get("dkim"),
            mail_from=mail_from.get("status") if mail_from else None,
        )


def _reads(account, region: str) -> dict[str, object]:
    """Every answer about the identities that golive's checks (and its zones) read."""
    ses, sesv2 = auditor_client(account, "ses", region), auditor_client(account, "sesv2", region)
    names = sorted(IDENTITIES)
    answers = {
        "ListIdentities": sorted(ses.list_identities()["Identities"]),
        "ListEmailIdentities": sesv2.list_email_identities()["EmailIdentities"],
        "verification": ses.get_identity_verification_attributes(Identities=names)["VerificationAttributes"],
        "dkim": ses.get_identity_dkim_attributes(Identities=names)["DkimAttributes"],
        "mail_from": ses.get_identity_mail_from_domain_attributes(Identities=names)["MailFromDomainAttributes"],
        "notifications": ses.get_identity_notification_attributes(Identities=names)["NotificationAttributes"],
    }
    for name in names:
        found = sesv2.get_email_identity(EmailIdentity=name)
        found.pop("ResponseMetadata")
        answers[f"GetEmailIdentity {name}"] = found
    return answers


def test_a_directly_seeded_identity_reads_back_as_one_created_through_the_api(embedded):
    account = embedded({"regions": {SEEDED: {"ses": {"identities": IDENTITIES}}}})
    _create_over_http(account.endpoint_url, BY_API)
    seeded, by_api = _reads(account, SEEDED), _reads(account, BY_API)
    assert seeded == by_api
    # the same, and not the same emptiness: every state the scenario set is in the answers
    assert seeded["verification"]["pending.example"]["VerificationStatus"] == "Pending"
    assert seeded["dkim"]["pending.example"]["DkimVerificationStatus"] == "Failed"
    assert len(seeded["dkim"]["ok.example"]["DkimTokens"]) == 3
    assert seeded["mail_from"]["pending.example"]["MailFromDomainStatus"] == "Pending"
    assert seeded["mail_from"]["ok.example"]["BehaviorOnMXFailure"] == "RejectMessage"
    assert seeded["notifications"]["no-reply@ok.example"]["DeliveryTopic"] == TOPIC
    assert seeded["GetEmailIdentity new@pending.example"]["VerificationStatus"] == "NOT_STARTED"


def test_an_identity_the_backend_refuses_names_its_key(embedded):
    elsewhere = {"ok.example": {"mail_from": {"domain": "mail.elsewhere.example"}}}
    with pytest.raises(ConfigError) as refused:
        embedded({"regions": {SEEDED: {"ses": {"identities": elsewhere}}}})
    assert str(refused.value).endswith(
        f"key 'regions.{SEEDED}.ses.identities.ok.example': the embedded account refused it (InvalidParameterValue: "
        "Provided MAIL-FROM domain 'mail.elsewhere.example' is not subdomain of the domain of the identity 'ok.example'.)"
    )
