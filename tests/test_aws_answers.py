"""An answer that is not what the API returns is could-not-see, naming the operation: never
"absent", never "present" (a proxy's HTML page, `{}`, a field of the wrong type)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from faults import Answer, FaultProxy

from golive.aws import AwsAccess
from golive.config import load_config
from golive.errors import CouldNotSee
from golive.ses.inventory import SesInventory

ROOT = Path(__file__).resolve().parent.parent
REGION = "ap-southeast-1"


@pytest.fixture
def answering() -> Iterator[tuple[list[bytes], str]]:
    """A loopback server that answers every request 200 with the body the test sets."""
    body = [b"{}"]
    nowhere = "http://127.0.0.1:9"  # never asked: every request gets the answer
    proxy = FaultProxy(nowhere, fault=lambda request: Answer(body=body[0], content_type="application/json"))
    with proxy.running() as url:
        yield body, url


def inventory(endpoint: str) -> SesInventory:
    access = AwsAccess(boto3.Session(), endpoint_url=endpoint, max_attempts=1)
    return SesInventory(access, load_config("demo", ROOT / "config"))


@pytest.mark.parametrize(
    ("body", "read", "said"),
    [
        (
            b"{}",
            lambda ses: ses.configuration_set(REGION, "bizassist-demo"),
            "GetConfigurationSetEventDestinations answered with no EventDestinations",
        ),
        (
            b"<html>proxy login</html>",
            lambda ses: ses.configuration_set(REGION, "bizassist-demo"),
            "no EventDestinations",
        ),
        (b"{}", lambda ses: ses.account(REGION), "sesv2:GetAccount answered with no SendQuota"),
        (
            b'{"SendQuota": [], "ProductionAccessEnabled": true, "SendingEnabled": true}',
            lambda ses: ses.account(REGION),
            "not what the API returns",
        ),
        (
            b"{}",
            lambda ses: ses.default_configuration_set(REGION, "bizassist.example"),
            "GetEmailIdentity answered with no IdentityType",
        ),
        (b"<html>proxy login</html>", lambda ses: ses.identity_names(REGION), "could not list the SES identities"),
        (
            b"<ListIdentitiesResponse><ListIdentitiesResult/></ListIdentitiesResponse>",
            lambda ses: ses.identity_names(REGION),
            "ses:ListIdentities answered with no Identities",
        ),
    ],
    ids=[
        "empty-json",
        "html-json",
        "empty-account",
        "wrong-type",
        "empty-identity",
        "html-xml",
        "empty-xml",
    ],
)
def test_a_malformed_answer_is_could_not_see(answering, body, read, said):
    answering[0][0] = body
    with pytest.raises(CouldNotSee) as raised:
        read(inventory(answering[1]))
    assert said in str(raised.value)
