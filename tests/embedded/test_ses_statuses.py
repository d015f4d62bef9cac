"""SES identity statuses on the embedded account: Pending and Failed, not only moto's Success."""

from __future__ import annotations

from moto_clients import auditor_client, output_shape, shape_errors

IDENTITIES = {
    "ok.example": {"verification": "SUCCESS", "dkim": "SUCCESS", "mail_from": {"domain": "mail.ok.example"}},
    "pending.example": {
        "verification": "PENDING",
        "dkim": "PENDING",
        "mail_from": {"domain": "mail.pending.example", "status": "PENDING"},
    },
    "failed.example": {
        "verification": "FAILED",
        "dkim": "FAILED",
        "mail_from": {"domain": "mail.failed.example", "status": "FAILED", "behavior_on_mx_failure": "RejectMessage"},
    },
    "temporary.example": {"verification": "TEMPORARY_FAILURE", "dkim": "TEMPORARY_FAILURE"},
    "no-reply@ok.example": {"verification": "SUCCESS"},
}


SES_READER = {
    "inline": {
        "ses-read": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["ses:Get*", "ses:List*"], "Resource": "*"}],
        }
    }
}
WORLD = {"auditor": SES_READER, "regions": {"us-west-2": {"ses": {"identities": IDENTITIES}}}}


def ses_client(embedded):
    return auditor_client(embedded(WORLD), "ses", "us-west-2")


def test_verification_statuses(embedded):
    ses = ses_client(embedded)
    response = ses.get_identity_verification_attributes(Identities=list(IDENTITIES))
    assert shape_errors(response, output_shape("ses", "GetIdentityVerificationAttributes")) == []
    found = {k: v["VerificationStatus"] for k, v in response["VerificationAttributes"].items()}
    assert found == {
        "ok.example": "Success",
        "pending.example": "Pending",
        "failed.example": "Failed",
        "temporary.example": "TemporaryFailure",
        "no-reply@ok.example": "Success",
    }


def test_dkim_statuses(embedded):
    ses = ses_client(embedded)
    response = ses.get_identity_dkim_attributes(Identities=["ok.example", "pending.example", "failed.example"])
    assert shape_errors(response, output_shape("ses", "GetIdentityDkimAttributes")) == []
    found = {k: (v["DkimEnabled"], v["DkimVerificationStatus"]) for k, v in response["DkimAttributes"].items()}
    assert found == {
        "ok.example": (True, "Success"),
        "pending.example": (False, "Pending"),
        "failed.example": (False, "Failed"),
    }
    assert len(response["DkimAttributes"]["ok.example"]["DkimTokens"]) == 3


def test_mail_from_statuses(embedded):
    ses = ses_client(embedded)
    response = ses.get_identity_mail_from_domain_attributes(
        Identities=["ok.example", "pending.example", "failed.example"]
    )
    assert shape_errors(response, output_shape("ses", "GetIdentityMailFromDomainAttributes")) == []
    found = {
        k: (v["MailFromDomain"], v["MailFromDomainStatus"], v["BehaviorOnMXFailure"])
        for k, v in response["MailFromDomainAttributes"].items()
    }
    assert found == {
        "ok.example": ("mail.ok.example", "Success", "UseDefaultValue"),
        "pending.example": ("mail.pending.example", "Pending", "UseDefaultValue"),
        "failed.example": ("mail.failed.example", "Failed", "RejectMessage"),
    }


def test_regions_are_separate(embedded):
    account = embedded(WORLD)
    assert auditor_client(account, "ses", "us-east-1").list_identities()["Identities"] == []
