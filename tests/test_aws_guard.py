"""The read-only guard: nothing but reads leaves the process, whatever the code asks for."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import boto3
import botocore.session
import pytest

from golive.areas import reads
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


def test_the_allowlist_is_exactly_the_declared_reads_of_every_botocore_operation():
    session = botocore.session.get_session()
    allowed = {
        (service, operation)
        for service in session.get_available_services()
        for operation in session.get_service_model(service).operation_names
        if is_allowed(service, operation)
    }
    assert allowed == set(reads())
    # what a prefix rule let through before: credentials, tokens and secret values
    for refused in [("sts", "GetSessionToken"), ("sts", "GetFederationToken"), ("sts", "AssumeRole")]:
        assert refused not in allowed
    assert ("ecr", "GetAuthorizationToken") not in allowed
    assert ("secretsmanager", "GetSecretValue") not in allowed
    assert ("sesv2", "GetAccount") in allowed and ("ses", "ListIdentities") in allowed


def test_assume_role_is_let_through_only_for_the_configured_role():
    role = "arn:aws:iam::123456789012:role/golive-audit"
    access = AwsAccess(boto3.Session(), endpoint_url=NOWHERE, max_attempts=1, assume_role=role)
    sts = access.client("sts")
    with pytest.raises(ReadOnlyViolation, match=r"only aws\.role_arn"):
        sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/admin", RoleSessionName="x")
    with pytest.raises(Exception) as raised:  # the configured role passes, and finds nothing on port 9
        sts.assume_role(RoleArn=role, RoleSessionName="golive-audit")
    assert not isinstance(raised.value, ReadOnlyViolation)
    with pytest.raises(ReadOnlyViolation):
        AwsAccess(boto3.Session(), endpoint_url=NOWHERE).client("sts").assume_role(RoleArn=role, RoleSessionName="x")


def test_clients_asked_for_from_threads_at_once_are_made_once_and_guarded(access):
    """The regions' reads start together: each asks for its clients, made one at a time (boto3
    sessions are not thread-safe), one per service and region, each with the guard on."""
    wanted = [(service, region) for service in ("ses", "sesv2") for region in ("us-east-1", "eu-west-1")] * 4
    start = threading.Barrier(len(wanted))

    def client(key: tuple[str, str]) -> object:
        start.wait()
        return access.client(*key)

    with ThreadPoolExecutor(len(wanted)) as pool:
        made = list(pool.map(client, wanted))
    by_key = {key: {id(c) for c, k in zip(made, wanted, strict=True) if k == key} for key in set(wanted)}
    assert all(len(ids) == 1 for ids in by_key.values()), by_key
    writes = {"ses": ("delete_identity", {"Identity": "x"}), "sesv2": ("delete_email_identity", {"EmailIdentity": "x"})}
    for made_once in {id(c): c for c in made}.values():
        call, params = writes[made_once.meta.service_model.service_name]
        with pytest.raises(ReadOnlyViolation):
            getattr(made_once, call)(**params)
