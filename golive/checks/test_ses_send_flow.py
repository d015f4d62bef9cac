"""The test send (opt-in: `golive verify ENV --send-test`, or `ses.send_test.enabled`): the one
write golive makes, to SES's mailbox simulator only."""

import pytest


@pytest.mark.golive(gate="send-flow", severity="critical")
def test_a_test_send_is_accepted(ses_test_send):
    """SES accepts a message from the configured sender, through the configuration set, to its
    mailbox simulator (success, and bounce or complaint when asked), and gives it a message id.

    Risk: the first real message fails at send time: an unverified sender or MAIL FROM domain,
    sending paused, or a configuration set SES does not know.
    Fix: what SES names in the failure, then run golive again with --send-test.
    """
    assert ses_test_send.accepted, ses_test_send.explain()
