"""Who else can send as the service: email is sent only by the configured principals (seed 002:
by the API, never from the mobile app), whether through IAM or an identity's own policies."""

import pytest


@pytest.mark.golive(gate="iam-permissions", severity="critical")
def test_no_other_principal_may_send_as_the_sender(other_senders):
    """No IAM user or role of the account but the configured senders may send as the sender.

    Risk: another role (the mobile app's, a batch job's, a developer's) sends mail as the service,
    outside its templates, rate limits and monitoring; a leak of its credentials is a phishing kit.
    Fix: remove ses:SendEmail/ses:SendRawEmail from the statements named below (or hold them to
    other senders with an ses:FromAddress condition), or list an intended sender in
    `ses.other_senders_allowed`.
    """
    assert other_senders.ok, other_senders.explain()


@pytest.mark.golive(gate="iam-permissions", severity="critical")
def test_identity_policies_let_no_one_else_send(ses_identity_policies):
    """No sending-authorization policy on a sending identity lets another account, anyone, or an
    unconfigured principal send as it.

    Risk: a policy on the identity lets another account's principals send as the domain, whatever
    this account's IAM policies say; its mail spends the domain's reputation.
    Fix: delete the statements named below (`aws sesv2 delete-email-identity-policy`), or list an
    intended sender in `ses.other_senders_allowed`.
    """
    assert ses_identity_policies.ok, ses_identity_policies.explain()
