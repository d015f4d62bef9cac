"""The SES inventory reads every identity of a region in batches of 100, whatever asks for them."""

from __future__ import annotations

import boto3

from golive.aws import AwsAccess
from golive.config import Config
from golive.inventory.ses import SesInventory

IDENTITIES = {f"d{n:03}.example": {"verification": "PENDING" if n % 7 == 0 else "SUCCESS"} for n in range(250)}


def test_250_identities_take_one_listing_and_three_batches_of_each_attribute_call(embedded, tmp_path):
    account = embedded({"regions": {"eu-west-1": {"ses": {"identities": IDENTITIES}}}})
    creds = account.auditor
    session = boto3.Session(aws_access_key_id=creds.access_key_id, aws_secret_access_key=creds.secret_access_key)
    access = AwsAccess(session, endpoint_url=account.endpoint_url, max_attempts=1)
    config = Config(env="t", path=tmp_path / "t.yaml", files=(), sha256="", data={"account_id": "123456789012"})
    inventory = SesInventory(access, config)

    found = inventory.identities("eu-west-1")
    assert len(found) == 250
    assert inventory.identity("eu-west-1", "d007.example").verification_status == "Pending"
    assert inventory.identity("eu-west-1", "D008.example").verification_status == "Success"
    assert len(inventory.identity("eu-west-1", "d008.example").dkim_tokens) == 3
    assert inventory.identity("eu-west-1", "nowhere.example").exists is False
    assert inventory.identity("us-east-1", "d008.example").exists is False
    assert access.recorder.by_operation() == {
        "ses:ListIdentities": 2,  # one page per region read
        "ses:GetIdentityVerificationAttributes": 3,
        "ses:GetIdentityDkimAttributes": 3,
        "ses:GetIdentityMailFromDomainAttributes": 3,
        "ses:GetIdentityNotificationAttributes": 3,
    }
