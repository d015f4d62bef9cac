"""The test send (opt-in: `golive verify ENV --send-test`, or `ses.send_test.enabled`): the one
write golive makes, to SES's mailbox simulator only; and, with a feedback queue configured, its
bounce and complaint notifications, waited for there (bounded)."""

import pytest


@pytest.mark.golive(gate="send-flow", severity="critical")
def test_a_test_send_is_accepted(ses_test_send):
    """SES accepts a message from the configured sender, through the configuration set, to its
    mailbox simulator (success, and bounce or complaint when asked), and gives it a message id.

    Risk: the first real message fails at send time: an unverified sender or MAIL FROM domain,
    sending paused, or a configuration set SES does not know.
    Fix: what the failure names for SES's refusal: the config key (ses.from_address,
    ses.configuration_set, a MAIL FROM domain) and the file that sets it, or the account's state;
    then run golive again with --send-test.
    """
    assert ses_test_send.accepted, ses_test_send.explain()


@pytest.mark.golive(gate="send-flow", severity="critical")
def test_the_feedback_notification_arrives(ses_feedback):
    """The bounce or complaint notification of a test send to the mailbox simulator reaches the
    configured feedback queue (ses.send_test.feedback_queue) within ses.send_test.feedback_wait.

    Risk: bounces and complaints are configured but go nowhere anyone reads: the service keeps
    mailing dead addresses, and the bounce rate climbs to SES's review line unseen.
    Fix: route bounce and complaint events to the SNS topic the queue is subscribed to, then run
    golive again with --send-test.
    """
    assert ses_feedback.arrived, ses_feedback.explain()
