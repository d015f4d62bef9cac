"""IAM least privilege: the service sends only as its own sender, only from its own regions,
and runs on short-lived credentials.

Each answer is IAM's own decision for a request the service must never be able to make.
"""

import pytest


@pytest.mark.golive(gate="iam-permissions", severity="critical")
def test_sending_as_another_sender_is_denied(sender_scope):
    """The principal cannot send as any address but the configured sender.

    Risk: a bug or a leaked credential sends mail as any address of the domain, as another
    verified identity of the account, or as an outside address.
    Fix: add `"Condition": {"StringEquals": {"ses:FromAddress": "<the configured sender>"}}`
    to the statements named below (and scope their Resource to the sender's identity).
    """
    assert not sender_scope.leaks, sender_scope.why_other_senders()


@pytest.mark.golive(gate="iam-permissions", severity="high")
def test_sending_outside_the_regions_is_denied(region_scope):
    """The principal cannot send from a region the environment does not use.

    Risk: mail sent from an unexpected region bypasses that region's reputation, quotas,
    notifications and DKIM setup, and hides from the environment's monitoring.
    Fix: scope the send statements' Resource to identity ARNs in the configured regions, or
    add `"Condition": {"StringEquals": {"aws:RequestedRegion": [<the regions>]}}`.
    """
    assert not region_scope.leaks, region_scope.why_other_regions()


@pytest.mark.golive(gate="iam-permissions", severity="advisory")
def test_no_long_lived_access_keys(access_keys):
    """In production, a service principal runs on a role, not on an IAM user's long-lived access keys.

    Risk: static keys leak (environment files, logs, laptops) and stay valid until someone
    notices; a role's credentials expire within hours.
    Fix: run the service with an IAM role (App Runner/ECS task role, instance profile), then
    deactivate and delete the user's access keys.
    """
    assert not access_keys.active, access_keys.why_long_lived()
