"""The test send: GO with it on in the demo; SES's answer, the message id, in the evidence; found
in the embedded account's record of sent mail; and the guard refusing every other write before
anything leaves golive (the recipient is checked, then the mode). The feedback loop: the bounce
and complaint notifications, with the sent message's id, awaited in the configured queue; a
topic that does not feed the queue fails exactly the feedback checks, within the bound; the
waits of every region and recipient are one, bounded by one feedback_wait, and only the selected
checks'; the queue is read only in send-test mode, and only that queue."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace

import pytest
from runs import ROOT
from workspace import Workspace, names

from golive.areas import auditor_policy
from golive.aws import AwsAccess, ReadOnlyViolation, embedded_session
from golive.config import load_config
from golive.embedded.account import EmbeddedAccount
from golive.embedded.scenario import load_scenario
from golive.ses import send_test
from golive.ses.cases import send_settings
from golive.ses.send_test import SIMULATOR

REGION = "ap-southeast-1"
SENDER = "no-reply@bizassist.example"
CHECK = f"test_a_test_send_is_accepted[{REGION}-success@simulator.amazonses.com]"
FEEDBACK = "test_the_feedback_notification_arrives"
QUEUE = f"arn:aws:sqs:{REGION}:123456789012:bizassist-golive-feedback"
TOPIC = f"arn:aws:sns:{REGION}:123456789012:bizassist-ses-feedback"
SEND_FLOW = "checks/test_ses_send_flow.py::"
CONFIG = (ROOT / "config").resolve()
TWO_REGIONS, TOKYO = "demo-two-regions", "ap-northeast-1"


@pytest.fixture(scope="module")
def demo_account():
    config = ROOT / "config"
    scenario = load_scenario(config / "scenarios" / "demo.yaml", root=config)
    account = EmbeddedAccount(scenario, auditor_policy(send_test=True)).start()
    yield account
    account.stop()


def demo_settings(sender: str = SENDER, configuration_set: str | None = "bizassist-demo") -> send_test.SendSettings:
    """config/demo.yaml's test-send settings in REGION, as the inventory makes them, with this sender and set."""
    found = send_settings(load_config("demo", CONFIG), REGION)
    return replace(found, sender=replace(found.sender, value=sender),
                   configuration_set=replace(found.configuration_set, value=configuration_set))  # fmt: skip


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
    calls = result.evidence["aws_calls"]
    assert calls["sesv2:SendEmail"] == 3  # success, bounce, complaint (config/demo.yaml)
    assert calls["sqs:ReceiveMessage"] == 1  # the notifications are there at once: no wait


@pytest.mark.parametrize("kind", ["bounce", "complaint"])
def test_the_demo_s_feedback_notification_of_each_send_is_its_own(workspace, kind):
    result = workspace.verify("demo", "--send-test")
    case = f"{REGION}-{SIMULATOR[kind]}"
    sent = result.evidence["checks"][f"{SEND_FLOW}test_a_test_send_is_accepted[{case}]"]["facts"]["test_send"]
    found = result.evidence["checks"][f"{SEND_FLOW}{FEEDBACK}[{case}]"]["facts"]["feedback"]
    assert found["queue"] == QUEUE and found["notification"]["type"] == kind.title()
    assert found["notification"]["message_id"] == sent["message_id"] == found["message_id"]
    assert found["notification"]["recipients"] == [SIMULATOR[kind]]


def unsubscribed(region: str) -> Callable[[dict], None]:
    """A scenario edit: the region's feedback topic no longer feeds golive's queue."""

    def edit(data: dict) -> None:
        topic = data["regions"][region]["sns"]["topics"]["bizassist-ses-feedback"]
        topic["subscriptions"] = [s for s in topic["subscriptions"] if s["protocol"] != "sqs"]

    return edit


def test_a_topic_that_does_not_feed_the_queue_fails_exactly_the_feedback_checks_within_the_bound(workspace):
    workspace.edit("scenarios/demo.yaml", unsubscribed(REGION))
    workspace.edit("demo.yaml", lambda d: d["ses"]["send_test"].update(feedback_wait=1))
    result = workspace.verify("demo", "--send-test")
    expected = {f"{FEEDBACK}[{REGION}-{SIMULATOR[kind]}]" for kind in ("bounce", "complaint")}
    assert names(result, "failed") == expected and names(result, "error") == set(), result.output
    message = result.outcomes[f"{FEEDBACK}[{REGION}-{SIMULATOR['bounce']}]"].message
    assert "No bounce notification of the test send " in message and f"reached {QUEUE} within 1 s" in message
    demo = r"/\S+/config/demo\.yaml"  # the run's own copy of the config: the file that sets both keys
    assert re.search(rf"subscribe the queue \(ses\.send_test\.feedback_queue in {demo}\) to that topic", message)
    assert re.search(rf"raise ses\.send_test\.feedback_wait in {demo} \(1 s\)", message)
    assert result.evidence["aws_calls"]["sqs:ReceiveMessage"] == 1  # the two waits are one: one long poll of 1 s


def test_the_two_region_demo_with_the_test_send_is_go_each_region_s_notification_its_own(workspace):
    """config/demo-two-regions.yaml: Tokyo's feedback topic feeds golive's one queue, in Singapore."""
    result = workspace.verify(TWO_REGIONS, "--send-test")
    assert result.exit_code == 0, result.output
    checks = result.evidence["checks"]
    for case in (f"{region}-{SIMULATOR[kind]}" for region in (REGION, TOKYO) for kind in ("bounce", "complaint")):
        sent = checks[f"{SEND_FLOW}test_a_test_send_is_accepted[{case}]"]["facts"]["test_send"]
        found = checks[f"{SEND_FLOW}{FEEDBACK}[{case}]"]["facts"]["feedback"]
        assert found["queue"] == QUEUE and found["notification"]["message_id"] == sent["message_id"], case
        assert case.startswith(sent["region"])
    assert result.evidence["aws_calls"]["sqs:ReceiveMessage"] == 1  # both regions' notifications, in one read


def test_a_region_whose_topic_does_not_feed_the_queue_fails_its_own_feedback_checks_only(workspace):
    """The two-region demo as it first shipped: Tokyo's topic told the on-call mailbox only."""
    workspace.edit(f"scenarios/{TWO_REGIONS}.yaml", unsubscribed(TOKYO))
    workspace.edit(f"{TWO_REGIONS}.yaml", lambda d: d["ses"].update(send_test={"feedback_wait": 1}))
    result = workspace.verify(TWO_REGIONS, "--send-test")
    expected = {f"{FEEDBACK}[{TOKYO}-{SIMULATOR[kind]}]" for kind in ("bounce", "complaint")}
    assert names(result, "failed") == expected and names(result, "error") == set(), result.output


def test_a_selection_s_feedback_checks_send_and_wait_for_themselves_only(workspace):
    """The waits are those of the checks the selection left: the complaint's is not, nor its send."""
    result = workspace.verify("demo", "--send-test", "-k", f"{FEEDBACK} and bounce")
    assert result.exit_code == 6, result.output  # PARTIAL
    assert names(result, "passed") == {f"{FEEDBACK}[{REGION}-{SIMULATOR['bounce']}]"}
    assert result.evidence["aws_calls"]["sesv2:SendEmail"] == 1


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


class SlowQueue:
    """An SQS client on a fake clock: every ReceiveMessage long-polls its WaitTimeSeconds through, and
    hands back what was published by then (`published`: message id and event, with when)."""

    def __init__(self, clock: Clock, published: list[tuple[float, str, str]]) -> None:
        self.clock, self.published, self.polls = clock, sorted(published), 0

    def receive_message(self, **params: object) -> dict:
        self.polls += 1
        self.clock.now += params["WaitTimeSeconds"]
        ready = [(i, e) for at, i, e in self.published if at <= self.clock.now]
        self.published = [p for p in self.published if p[0] > self.clock.now]
        notifications = [{"notificationType": e, "mail": {"messageId": i}, e.lower(): {}} for i, e in ready]
        return {"Messages": [{"Body": json.dumps({"Type": "Notification", "Message": json.dumps(n)})}
                             for n in notifications]}  # fmt: skip


def test_the_waits_of_every_region_are_one_bounded_by_one_feedback_wait():
    """Fake time: Tokyo's bounce comes late and its complaint never; one after another the waits
    would take 100 s (five polls), at once they take the bound, 60 s (three)."""
    settings = demo_settings()
    sends = [send_test.TestSend(region, SIMULATOR[kind], settings, f"{region}-{kind}")
             for region in (REGION, "ap-northeast-1") for kind in ("bounce", "complaint")]  # fmt: skip
    refused = send_test.TestSend("eu-west-1", SIMULATOR["bounce"], settings, rejected="MessageRejected: no")
    published = [(0, f"{REGION}-bounce", "Bounce"), (0, f"{REGION}-complaint", "Complaint"),
                 (30, "ap-northeast-1-bounce", "Bounce")]  # fmt: skip
    clock = Clock()
    client = SlowQueue(clock, published)
    found = send_test.FeedbackQueue(client, FEEDBACK_URL, QUEUE).wait_for([*sends, refused], 60, clock)
    assert [f.arrived for f in found] == [True, True, True, False, True]
    assert [f.waited for f in found] == [20, 20, 40, 60, 0] and client.polls == 3
    assert [f.notification["message_id"] for f in found[:3]] == [s.message_id for s in sends[:3]]
    assert found[4].not_waited.startswith("SES refused the send")


def test_the_embedded_simulator_notifies_the_identity_topic_and_the_set_s_destination(demo_account):
    from moto.sns.models import sns_backends

    client = access(demo_account, True).client("sesv2", REGION)
    found = send_test.send(client, REGION, SIMULATOR["complaint"], demo_settings())
    topic = sns_backends[demo_account.scenario.account_id][REGION].topics[TOPIC]
    mine = [json.loads(n[1]) for n in topic.sent_notifications if found.message_id in n[1]]
    assert sorted(n.get("notificationType") or f"event {n['eventType']}" for n in mine) == [
        "Complaint", "event Complaint"]  # fmt: skip
    assert all(n["complaint"]["complainedRecipients"] == [{"emailAddress": SIMULATOR["complaint"]}] for n in mine)


def test_the_send_is_in_the_embedded_account_s_record_of_sent_mail(demo_account):
    from moto.ses.models import ses_backends

    found = send_test.send(access(demo_account, True).client("sesv2", REGION), REGION, SIMULATOR["bounce"],
                           demo_settings())  # fmt: skip
    assert found.accepted, found.rejected
    sent = ses_backends[demo_account.scenario.account_id][REGION].sent_messages
    assert found.message_id in [m.id for m in sent]


def test_an_unverified_sender_is_a_finding_with_ses_s_words(demo_account):
    found = send_test.send(access(demo_account, True).client("sesv2", REGION), REGION, SIMULATOR["success"],
                           demo_settings("ops@elsewhere.example", None))  # fmt: skip
    assert not found.accepted and found.rejected.startswith("MessageRejected: ")
    assert "refused the test send from ops@elsewhere.example to success@simulator.amazonses.com" in found.explain()
    assert f"Fix: ses.from_address in {CONFIG / 'demo.yaml'} (ops@elsewhere.example) is not a sender" in found.explain()


def test_a_send_through_a_set_the_account_lacks_is_refused_as_ses_refuses_it(demo_account):
    found = send_test.send(access(demo_account, True).client("sesv2", REGION), REGION, SIMULATOR["success"],
                           demo_settings(configuration_set="bizassist-gone"))  # fmt: skip
    assert not found.accepted
    assert found.rejected == "NotFoundException: Configuration set bizassist-gone does not exist."
    assert "ses.configuration_set in" in found.explain() and "names bizassist-gone" in found.explain()


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
    assert not Workspace(tmp_path).read("demo.yaml")["ses"]["send_test"].get("enabled")  # off unless asked
    [receive] = [s for s in auditor_policy(True, QUEUE)["Statement"] if s["Action"] == "sqs:ReceiveMessage"]
    assert receive["Resource"] == QUEUE and "sqs:ReceiveMessage" not in json.dumps(plain)


FEEDBACK_URL = f"https://sqs.{REGION}.amazonaws.com/123456789012/bizassist-golive-feedback"
OTHER_URL = f"https://sqs.{REGION}.amazonaws.com/123456789012/bizassist-orders"


def sqs_client(sends: bool) -> object:
    """A guarded SQS client against a closed port: a call the guard lets through fails to connect."""
    session = embedded_session("AKIDEXAMPLE", "not-a-secret")
    access = AwsAccess(
        session, endpoint_url="http://127.0.0.1:9", max_attempts=1, send_test=sends, feedback_queue=QUEUE
    )
    return access.client("sqs", REGION)


@pytest.mark.parametrize(
    ("sends", "queue_url", "said"),
    [(False, FEEDBACK_URL, "only with --send-test"), (True, OTHER_URL, "is not the feedback queue")],
)
def test_the_guard_reads_only_the_feedback_queue_and_only_in_send_test_mode(sends, queue_url, said):
    with pytest.raises(ReadOnlyViolation, match=said):
        sqs_client(sends).receive_message(QueueUrl=queue_url)


def test_the_guard_lets_the_feedback_queue_be_read_but_never_emptied():
    client = sqs_client(True)
    with pytest.raises(Exception) as raised:
        client.receive_message(QueueUrl=FEEDBACK_URL)
    assert not isinstance(raised.value, ReadOnlyViolation)
    with pytest.raises(ReadOnlyViolation):
        client.delete_message(QueueUrl=FEEDBACK_URL, ReceiptHandle="x")
    with pytest.raises(ReadOnlyViolation):
        client.purge_queue(QueueUrl=FEEDBACK_URL)


def test_a_send_from_an_unverified_sender_fails_the_send_and_the_verification_checks_only(workspace):
    """config/demo-unverified-sender.yaml: SES refuses every test send with its own words; the feedback
    checks have nothing to wait for; the static checks that read the same verification fail with them."""
    result = workspace.verify("demo-unverified-sender", "--send-test")
    sends = {f"test_a_test_send_is_accepted[{REGION}-{address}]" for address in SIMULATOR.values()}
    same_fact = {f"test_domain_is_verified[{REGION}-bizassist.example]", f"test_sender_is_verified[{REGION}-{SENDER}]"}
    assert names(result, "failed") == sends | same_fact and names(result, "error") == set(), result.output
    message = result.outcomes[CHECK].message
    assert f"refused the test send from {SENDER} through bizassist-demo" in message
    assert "MessageRejected: Email address is not verified." in message and "AP-SOUTHEAST-1" in message
    # the fix names the key, the file that sets it (the base the environment extends) and what SES expects
    fix = message.partition("\nFix: ")[2]
    assert re.match(rf"ses\.from_address in /\S+/demo\.yaml \({SENDER}\) is not a sender SES has verified in {REGION}: "
                    r"expected the address itself or its domain bizassist\.example verified there\.", fix), fix  # fmt: skip
    assert "Verify bizassist.example in ap-southeast-1" in fix and "; then run golive again with --send-test." in fix
    waited = result.evidence["checks"][f"{SEND_FLOW}{FEEDBACK}[{REGION}-{SIMULATOR['bounce']}]"]
    assert waited["outcome"] == "passed" and waited["facts"]["feedback"]["not_waited"].startswith("SES refused")
    assert "sqs:ReceiveMessage" not in result.evidence["aws_calls"]


TWO_REGIONS_CONFIG = CONFIG / f"{TWO_REGIONS}.yaml"


@pytest.mark.parametrize(
    ("rejected", "env", "fix"),
    [
        ("MessageRejected: Email address is not verified.", "demo",
         f"ses.from_address in {CONFIG / 'demo.yaml'} ({SENDER}) is not a sender SES has verified in {TOKYO}"),
        ("MailFromDomainNotVerifiedException: MAIL FROM domain is not verified", TWO_REGIONS,
         f"ses.domains.bizassist.example.mail_from.{TOKYO} in {TWO_REGIONS_CONFIG} names mail-tokyo.bizassist.example"),
        ("MailFromDomainNotVerifiedException: no", "demo",
         f"ses.domains.bizassist.example.mail_from in {CONFIG / 'demo.yaml'} names mail.bizassist.example"),
        ("NotFoundException: Configuration set bizassist-demo does not exist.", "demo",
         f"ses.configuration_set in {CONFIG / 'demo.yaml'} names bizassist-demo, which is not a configuration set"),
        ("SendingPausedException: paused", "demo", f"aws sesv2 put-account-sending-attributes --sending-enabled --region {TOKYO}"),
        ("AccountSuspendedException: shut down", "demo", "which no config key changes"),
        ("BadRequestException: bad", "demo",
         f"what SES names above, in what golive sent from ses.from_address in {CONFIG / 'demo.yaml'} and"),
    ],
)  # fmt: skip
def test_a_refused_send_s_fix_names_the_key_its_file_and_what_was_expected(rejected, env, fix):
    settings = send_settings(load_config(env, CONFIG), TOKYO)
    refused = send_test.TestSend(TOKYO, SIMULATOR["success"], settings, rejected=rejected)
    said = refused.explain().partition(f"{rejected}.\nFix: ")[2]
    assert fix in said and said.endswith("; then run golive again with --send-test."), said
