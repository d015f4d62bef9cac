"""IAM policy hygiene: what a sending service's policies must not contain, whatever they allow today.

Read from every policy attached to the principal: inline, managed, its groups', and its
permissions boundary.
"""

import pytest


@pytest.mark.golive(gate="iam-permissions", severity="high")
def test_policies_name_only_real_actions(policy_review):
    """Every action a policy names is a real IAM action.

    Risk: a misspelt or invented action grants nothing, so the permission its author meant
    is silently missing (the first seed's `ses:PutIdentityMailFromDomain` is one).
    Fix: replace each name with the real action suggested in the failure.
    """
    assert not policy_review.unknown_actions, policy_review.why_unknown_actions()


@pytest.mark.golive(gate="iam-permissions", severity="high")
def test_policies_grant_no_wildcard_actions(policy_review):
    """No policy of the principal allows `*`, `service:*` or every action but some (NotAction).

    Risk: a wildcard grants every action the service gains in the future, including the ones
    that create, delete and reconfigure.
    Fix: list the actions the service uses (its must_allow list in the config).
    """
    assert not policy_review.wildcard_actions, policy_review.why_wildcard_actions()


@pytest.mark.golive(gate="iam-permissions", severity="high")
def test_ses_send_and_identity_actions_are_scoped(policy_review):
    """SES send and identity-management actions are granted on named identities, not on `Resource: "*"`.

    Risk: on `*`, the service can send as, or change, every identity of the account in
    every region.
    Fix: set Resource to `arn:aws:ses:<region>:<account>:identity/<domain>` for each
    configured region and domain (the least-privilege policy of a failing allow check shows it).
    """
    assert not policy_review.unscoped_ses_writes, policy_review.why_unscoped_ses_writes()


@pytest.mark.golive(gate="iam-permissions", severity="critical")
def test_policies_allow_no_privilege_escalation(policy_review):
    """The principal cannot escalate its privileges, manage permissions or mint credentials.

    Risk: a service that can change IAM or resource policies, pass roles or create access
    keys turns any leak of its credentials into an account takeover.
    Fix: remove the actions named (found by parliament, an IAM policy linter) from the
    service's policies; grant them to a separate, human-operated role if they are needed.
    """
    assert not policy_review.escalation, policy_review.why_escalation()
