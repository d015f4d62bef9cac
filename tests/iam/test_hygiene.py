"""Policy hygiene on policies written here: what counts as an SES grant scoped to an identity."""

from __future__ import annotations

import pytest

from golive.iam.engine import Policy
from golive.iam.hygiene import unscoped_ses_writes

OWN = "arn:aws:ses:ap-southeast-1:123456789012:identity/bizassist.example"


def _grant(resource: object) -> Policy:
    statement = {"Effect": "Allow", "Action": "ses:SendEmail", "Resource": resource}
    return Policy("app", "role", {"Version": "2012-10-17", "Statement": [statement]})


@pytest.mark.parametrize(
    "resource",
    [
        "*",
        "arn:aws:ses:*:*:identity/*",
        "arn:aws:ses:ap-southeast-1:123456789012:identity/*",
        "arn:aws:ses:*:123456789012:identity/bizassist.example",
        "arn:aws:ses:ap-southeast-1:*:identity/bizassist.example",
        "arn:aws:ses:ap-southeast-1:123456789012:*",
        "arn:aws:ses:ap-southeast-?:123456789012:identity/bizassist.example",
        [OWN, "arn:aws:ses:*:*:identity/*"],
    ],
)
def test_a_wildcard_in_region_account_or_identity_is_unscoped(resource):
    [finding] = unscoped_ses_writes(_grant(resource))
    assert "ses:SendEmail on Resource" in str(finding)
    wildcards = [r for r in ([resource] if isinstance(resource, str) else resource) if "*" in r or "?" in r]
    assert all(w in str(finding) for w in wildcards)


def test_one_identity_of_one_region_is_scoped():
    assert unscoped_ses_writes(_grant(OWN)) == []
    assert unscoped_ses_writes(_grant([OWN, OWN.replace("ap-southeast-1", "us-east-1")])) == []
