"""The SES inventory reads every identity of a region in batches of 100, whatever asks for them."""

from __future__ import annotations

import boto3
import pytest

from golive.aws import AwsAccess
from golive.config import Config
from golive.errors import CouldNotSee
from golive.ses.inventory import SesInventory

IDENTITIES = {f"d{n:03}.example": {"verification": "PENDING" if n % 7 == 0 else "SUCCESS"} for n in range(250)}


def test_250_identities_take_one_listing_and_three_batches_of_each_attribute_call(embedded, tmp_path):
    account = embedded({"regions": {"eu-west-1": {"ses": {"identities": IDENTITIES}}}})
    creds = account.auditor
    session = boto3.Session(aws_access_key_id=creds.access_key_id, aws_secret_access_key=creds.secret_access_key)
    access = AwsAccess(session, endpoint_url=account.endpoint_url, max_attempts=1)
    data = {"account_id": "123456789012"}
    config = Config(env="t", path=tmp_path / "t.yaml", files=(), sha256="", data=data, origins={})
    inventory = SesInventory(access, config)

    found = inventory.identity_names("eu-west-1")
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


def _inventory(account, tmp_path, ses):
    creds = account.auditor
    session = boto3.Session(aws_access_key_id=creds.access_key_id, aws_secret_access_key=creds.secret_access_key)
    access = AwsAccess(session, endpoint_url=account.endpoint_url, max_attempts=1)
    data = {"account_id": "123456789012", "regions": ["ap-southeast-1"], "ses": ses}
    config = Config(env="t", path=tmp_path / "t.yaml", files=(), sha256="", data=data, origins={})
    return access, SesInventory(access, config)


REGION = {
    "ses": {
        "account": {"production_access": True},
        "identities": {"bizassist.example": {"notifications": {"bounce": "feedback", "complaint": "feedback"}}},
        "configuration_sets": {"cs": {"event_destinations": {"sns": {"events": ["BOUNCE"], "sns": "events"}}}},
        "tenants": {"biz": {"identities": ["bizassist.example"]}},
    },
    "sns": {"topics": {"feedback": {"subscriptions": [{"protocol": "email", "endpoint": "ops@bizassist.example"}]}}},
    "cloudwatch": {"alarms": {"bounces": {"metric": "Reputation.BounceRate", "threshold": 0.05}}},
}
SES = {
    "from_address": "no-reply@bizassist.example",
    "domains": {"bizassist.example": None},
    "configuration_set": "cs",
    "tenant": "biz",
}


def test_every_fact_of_a_region_is_read_once_however_often_it_is_asked(embedded, tmp_path):
    access, inventory = _inventory(embedded({"regions": {"ap-southeast-1": REGION}}), tmp_path, SES)
    for _ in range(3):
        assert inventory.account("ap-southeast-1").production_access is True
        assert inventory.statistics("ap-southeast-1").points == 1
        assert [a.name for a in inventory.reputation_alarms("ap-southeast-1").on("Reputation.BounceRate")] == [
            "bounces"
        ]
        assert inventory.sender("ap-southeast-1", "no-reply@bizassist.example").verified
        assert inventory.tenancy("ap-southeast-1", "bizassist.example").owned
        assert inventory.notification_routes("ap-southeast-1", "bizassist.example").missing == []
        topics = inventory.notification_topics("ap-southeast-1")
        assert topics.problems == [
            "arn:aws:sns:ap-southeast-1:123456789012:events does not exist (named by configuration set cs 'sns')"
        ]
        # golive's default patterns hold the reserved .example TLD (the demo's config leaves it out)
        assert [name for name, _ in inventory.placeholders("ap-southeast-1").found] == ["bizassist.example"]
    assert access.recorder.by_operation() == {
        "cloudwatch:DescribeAlarms": 1,
        # DKIM and MAIL FROM attributes: no fact asked here reads them, so SES is not asked
        "ses:GetIdentityNotificationAttributes": 1,
        "ses:GetIdentityVerificationAttributes": 1,
        "ses:GetSendStatistics": 1,
        "ses:ListIdentities": 1,
        "sesv2:GetAccount": 1,
        "sesv2:GetConfigurationSetEventDestinations": 1,
        "sesv2:ListResourceTenants": 1,
        "sns:ListSubscriptionsByTopic": 2,  # one per topic named
    }


def test_what_could_not_be_seen_is_not_asked_again(embedded, tmp_path):
    reader = {
        "inline": {
            "no-account": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "ses:List*", "Resource": "*"}],
            }
        }
    }
    access, inventory = _inventory(embedded({"auditor": reader}), tmp_path, SES)
    for _ in range(2):
        with pytest.raises(CouldNotSee, match="the auditor is not allowed ses:GetAccount") as caught:
            inventory.account("ap-southeast-1")
        assert caught.value.permission == "ses:GetAccount"
        assert caught.value.access_denied
    assert access.recorder.by_operation() == {"sesv2:GetAccount": 1}


def test_each_kind_of_identity_attribute_is_its_own_could_not_see(embedded, tmp_path):
    """Without GetIdentityNotificationAttributes, only what reads notifications cannot see."""
    reader = {
        "inline": {
            "no-notifications": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "ses:*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "ses:GetIdentityNotificationAttributes", "Resource": "*"},
                ],
            }
        }
    }
    account = embedded({"auditor": reader, "regions": {"ap-southeast-1": REGION}})
    _, inventory = _inventory(account, tmp_path, SES)
    region, domain = "ap-southeast-1", "bizassist.example"
    assert inventory.identity(region, domain, ("verification",)).verified
    assert inventory.identity(region, domain, ("dkim",)).signs_with_dkim
    assert inventory.sender(region, "no-reply@bizassist.example").verified
    assert [n for n, _ in inventory.placeholders(region).found] == [domain]
    with pytest.raises(CouldNotSee, match="not allowed ses:GetIdentityNotificationAttributes"):
        inventory.notification_routes(region, domain)
    evidence = inventory.identity(region, domain, ("dkim",)).evidence()
    assert "dkim_status" in evidence and "bounce_topic" not in evidence and "verification_status" not in evidence
