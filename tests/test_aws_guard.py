"""The read-only guard: nothing but reads leaves the process, whatever the code asks for."""

from __future__ import annotations

import boto3
import pytest

from golive.aws import AwsAccess, ReadOnlyViolation, is_allowed

# A closed port: if the guard let a call through, it would fail with a connection error instead.
NOWHERE = "http://127.0.0.1:9"


@pytest.fixture
def access() -> AwsAccess:
    return AwsAccess(boto3.Session(), endpoint_url=NOWHERE, max_attempts=1)


@pytest.mark.parametrize(
    ("service", "call", "params"),
    [
        ("ses", "delete_identity", {"Identity": "bizassist.example"}),
        ("ses", "verify_domain_identity", {"Domain": "bizassist.example"}),
        ("sesv2", "create_email_identity", {"EmailIdentity": "bizassist.example"}),
        ("iam", "put_user_policy", {"UserName": "u", "PolicyName": "p", "PolicyDocument": "{}"}),
        ("iam", "create_access_key", {"UserName": "u"}),
        (
            "ses",
            "send_email",
            {"Source": "a@b.example", "Destination": {}, "Message": {"Subject": {"Data": "s"}, "Body": {}}},
        ),
    ],
)
def test_a_write_is_refused_before_it_is_sent(access, service, call, params):
    client = access.client(service, "us-east-1")
    with pytest.raises(ReadOnlyViolation, match="golive refused"):
        getattr(client, call)(**params)
    assert access.recorder.total() == 0


def test_a_read_passes_the_guard_and_is_counted(access):
    client = access.client("ses", "us-east-1")
    with pytest.raises(Exception) as raised:  # reaches the network: nothing listens on port 9
        client.list_identities()
    assert not isinstance(raised.value, ReadOnlyViolation)
    assert access.recorder.by_operation() == {"ses:ListIdentities": 1}


def test_the_allowlist():
    assert not is_allowed("ses", "SendEmail") and not is_allowed("sts", "AssumeRoleWithWebIdentity")
    assert is_allowed("sts", "GetCallerIdentity") and is_allowed("iam", "SimulatePrincipalPolicy")
