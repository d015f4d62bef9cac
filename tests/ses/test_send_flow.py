"""The test send: GO with it on in the demo; SES's answer, the message id, in the evidence; found
in the embedded account's record of sent mail; and the guard refusing every other write before
anything leaves golive (the recipient is checked, then the mode)."""

from __future__ import annotations

import json

import pytest
from runs import ROOT
from workspace import Workspace

from golive.areas import auditor_policy
from golive.aws import AwsAccess, ReadOnlyViolation, embedded_session
from golive.embedded.account import EmbeddedAccount
from golive.embedded.scenario import load_scenario
from golive.ses import send_test

REGION = "ap-southeast-1"
SENDER = "no-reply@bizassist.example"
CHECK = f"test_a_test_send_is_accepted[{REGION}-success@simulator.amazonses.com]"


@pytest.fixture(scope="module")
def demo_account():
    config = ROOT / "config"
    scenario = load_scenario(config / "scenarios" / "demo.yaml", root=config)
    account = EmbeddedAccount(scenario, auditor_policy(send_test=True)).start()
    yield account
    account.stop()


def access(account: EmbeddedAccount, sends: bool) -> AwsAccess:
    creds = account.auditor
    session = embedded_session(creds.access_key_id, creds.secret_access_key)
    return AwsAccess(session, endpoint_url=account.endpoint_url, max_attempts=1, send_test=sends)


def test_the_demo_with_the_test_send_is_go_and_records_the_message_id(workspace):
    result = workspace.verify("demo", "--send-test")
    assert result.exit_code == 0, result.output
    assert result.outcome(CHECK.split("[")[1].rstrip("]"), "test_a_test_send_is_accepted").status == "passed"
    sent = result.evidence["checks"][f"checks/test_ses_send_flow.py::{CHECK}"]["facts"]["test_send"]
    assert sent["message_id"] and sent["from"] == SENDER and sent["configuration_set"] == "bizassist-demo"
    assert result.evidence["aws_calls"]["sesv2:SendEmail"] == 1


def test_the_send_is_in_the_embedded_account_s_record_of_sent_mail(demo_account):
    from moto.ses.models import ses_backends

    found = send_test.send(access(demo_account, True).client("sesv2", REGION), REGION, SENDER,
                           send_test.SIMULATOR["bounce"], "bizassist-demo")  # fmt: skip
    assert found.accepted, found.rejected
    sent = ses_backends[demo_account.scenario.account_id][REGION].sent_messages
    assert found.message_id in [m.id for m in sent]


def test_an_unverified_sender_is_a_finding_with_ses_s_words(demo_account):
    found = send_test.send(access(demo_account, True).client("sesv2", REGION), REGION, "ops@elsewhere.example",
                           send_test.SIMULATOR["success"], None)  # fmt: skip
    assert not found.accepted and found.rejected.startswith("MessageRejected: ")
    assert "refused the test send from ops@elsewhere.example to success@simulator.amazonses.com" in found.explain()


@pytest.mark.parametrize(
    ("sends", "to", "said"),
    [
        (True, ["someone@bizassist.example"], "recipients someone@bizassist.example are not SES mailbox-simulator"),
        (True, ["success@simulator.amazonses.com", "cc@bizassist.example"], "cc@bizassist.example"),
        (False, ["success@simulator.amazonses.com"], "golive sends only with --send-test"),
    ],
)
def test_the_guard_refuses_any_other_send_before_it_leaves(sends, to, said):
    """Against a closed port: were anything sent, this would be a connection error, not the guard."""
    session = embedded_session("AKIDEXAMPLE", "not-a-secret")
    client = AwsAccess(session, endpoint_url="http://127.0.0.1:9", max_attempts=1, send_test=sends).client("sesv2")
    with pytest.raises(ReadOnlyViolation, match=said):
        client.send_email(
            FromEmailAddress=SENDER,
            Destination={"ToAddresses": to[:1], "CcAddresses": to[1:]},
            Content={"Simple": {"Subject": {"Data": "x"}, "Body": {"Text": {"Data": "x"}}}},
        )


def test_the_auditor_policy_names_the_send_only_when_asked_and_holds_it_to_the_simulator(tmp_path):
    plain, sending = auditor_policy(), auditor_policy(send_test=True)
    assert "ses:SendEmail" not in json.dumps(plain)
    [statement] = [s for s in sending["Statement"] if s["Action"] == "ses:SendEmail"]
    assert statement["Condition"] == {"ForAllValues:StringLike": {"ses:Recipients": ["*@simulator.amazonses.com"]}}
    assert Workspace(tmp_path).read("demo.yaml")["ses"].get("send_test") is None  # off unless asked
